package dap

import (
	"strings"
	"testing"

	"github.com/google/go-dap"
)

// TestTestModeBreakpointInRecv launches "mode": "test", stops at a
// breakpoint inside vcl_recv called from a test subroutine (the stack shows
// the test calling vcl_recv), at a breakpoint in the test file, and on the
// failed assertion under the "assertion" exception filter.
func TestTestModeBreakpointInRecv(t *testing.T) {
	vcl := testdata(t, "unittest/main.vcl")
	tests := testdata(t, "unittest/main.test.vcl")
	c := newTestClient(t)
	c.start(map[string]any{"program": vcl, "mode": "test", "tests": tests}, func() {
		for _, b := range c.setBreakpoints(vcl, bp(lineOf(t, vcl, "mark:recv"))) {
			if !b.Verified {
				t.Fatalf("breakpoint in vcl_recv not verified: %s", b.Message)
			}
		}
		for _, b := range c.setBreakpoints(tests, bp(lineOf(t, tests, "mark:call"))) {
			if !b.Verified {
				t.Fatalf("breakpoint in the test file not verified: %s", b.Message)
			}
		}
		c.call("setExceptionBreakpoints", map[string]any{"filters": []string{"assertion"}})
	})
	// In the test file, before the call.
	st := c.stopped()
	if st.reason != "breakpoint" || st.top().Line != lineOf(t, tests, "mark:call") || !strings.HasSuffix(st.top().Source.Path, "main.test.vcl") {
		t.Fatalf("first stop: %s at %s:%d", st.reason, st.top().Source.Path, st.top().Line)
	}
	c.call("continue", map[string]any{"threadId": st.thread})
	// Inside vcl_recv, called from the test.
	st = c.stopped()
	if st.reason != "breakpoint" || st.top().Line != lineOf(t, vcl, "mark:recv") {
		t.Fatalf("second stop: %s at line %d", st.reason, st.top().Line)
	}
	var names []string
	for _, f := range st.frames {
		names = append(names, f.Name)
	}
	if len(names) < 2 || !strings.Contains(names[0], "vcl_recv") || !strings.Contains(names[1], "test_recv") {
		t.Errorf("stack %v, want vcl_recv called from test_recv", names)
	}
	if got := c.eval(st.top().Id, "req.http.Host", "watch"); got != `"localhost"` {
		t.Errorf("req.http.Host = %s", got)
	}
	c.call("continue", map[string]any{"threadId": st.thread})
	// The second test: the breakpoints again, then the failed assertion.
	st = c.stopped()
	if st.top().Line != lineOf(t, vcl, "mark:recv") {
		// The test file breakpoint is only in test_recv.
		t.Fatalf("third stop at line %d", st.top().Line)
	}
	c.call("continue", map[string]any{"threadId": st.thread})
	st = c.stopped()
	if st.reason != "exception" || !strings.Contains(st.text, "assert.equal") || st.top().Line != lineOf(t, tests, "mark:assert") {
		t.Fatalf("assertion stop: %s %q at line %d", st.reason, st.text, st.top().Line)
	}
	info := c.call("exceptionInfo", map[string]any{"threadId": st.thread}).(*dap.ExceptionInfoResponse)
	if info.Body.ExceptionId != "assertion" {
		t.Errorf("exceptionInfo %q", info.Body.ExceptionId)
	}
	ex := c.runToEnd(st.thread)
	if ex.Body.ExitCode != 1 {
		t.Errorf("exit code %d, want 1 (a test failed)", ex.Body.ExitCode)
	}
	if out := c.outputText(); !strings.Contains(out, "1 passed, 1 failed, 0 skipped, 2 total") {
		t.Errorf("debug console:\n%s", out)
	}
}

// TestTestModeLaunchErrors: test-mode fields are checked.
func TestTestModeLaunchErrors(t *testing.T) {
	vcl := testdata(t, "unittest/main.vcl")
	cases := []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"program": vcl, "tests": "x.test.vcl"}, `"tests" is only used with "mode": "test"`},
		{map[string]any{"program": vcl, "filter": "x"}, `"filter" is only used with "mode": "test"`},
		{map[string]any{"program": vcl, "mode": "test", "tests": "/nonexistent/x.test.vcl"}, `"tests" must be a test file or a glob`},
		{map[string]any{"program": vcl, "mode": "test", "tests": "/nonexistent/*.test.vcl"}, `no test file matches`},
	}
	for _, tc := range cases {
		c := newTestClient(t)
		c.call("initialize", map[string]any{"adapterID": "vcl"})
		if got := c.callErr("launch", tc.args); !strings.Contains(got, tc.want) {
			t.Errorf("%v: error %q, want %q", tc.args, got, tc.want)
		}
	}
}

// TestTestModeFromATestFile: "program" may be the test file itself (a
// launch started from the test file's editor): it runs against its VCL.
func TestTestModeFromATestFile(t *testing.T) {
	tests := testdata(t, "unittest/main.test.vcl")
	c := newTestClient(t)
	c.start(map[string]any{"program": tests, "mode": "test", "filter": "test_recv"}, nil)
	ex := c.runToEnd(0)
	if ex.Body.ExitCode != 0 {
		t.Errorf("exit code %d\n%s", ex.Body.ExitCode, c.outputText())
	}
	if out := c.outputText(); !strings.Contains(out, "1 passed, 0 failed, 0 skipped, 1 total") {
		t.Errorf("debug console:\n%s", out)
	}
}

// TestTestModeAssertionIsNotARuntimeError: with the default filters
// (runtime errors on, assertion off) a failed assertion does not stop.
func TestTestModeAssertionIsNotARuntimeError(t *testing.T) {
	vcl := testdata(t, "unittest/main.vcl")
	c := newTestClient(t)
	c.start(map[string]any{"program": vcl, "mode": "test"}, nil)
	for {
		m := c.next()
		if _, ok := m.(*dap.StoppedEvent); ok {
			t.Fatalf("stopped on a failed assertion without the assertion filter")
		}
		if ex, ok := m.(*dap.ExitedEvent); ok {
			if ex.Body.ExitCode != 1 {
				t.Errorf("exit code %d, want 1", ex.Body.ExitCode)
			}
			return
		}
	}
}
