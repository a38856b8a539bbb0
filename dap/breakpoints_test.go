package dap

import (
	"strings"
	"testing"

	"github.com/google/go-dap"
)

func TestBreakpointVerification(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	at := func(m string) int { return lineOf(t, vcl, m) }
	tests := []struct {
		name     string
		file     string
		bp       map[string]any
		verified bool
		line     int    // the statement it resolves to
		msg      string // part of the message when not verified
	}{
		{"on a statement", vcl, bp(at("recv-first")), true, at("recv-first"), ""},
		{"on a nested statement", vcl, bp(at("recv-error")), true, at("recv-error"), ""},
		{"closing brace of an if: next statement", vcl, bp(at("recv-error") + 1), true, at("recv-error") + 2, ""},
		{"closing brace of a subroutine: its exit", vcl, bp(at("recv-return") + 1), true, at("recv-return") + 1, ""},
		{"outside any subroutine", vcl, bp(1), false, 0, "outside any subroutine"},
		{"between subroutines", vcl, bp(at("trace-log") + 2), false, 0, "outside any subroutine"},
		{"condition syntax error", vcl, bp(at("recv-first"), "condition", `req.url ==`), false, 0, "syntax error"},
		{"condition syntax error names what was typed", vcl, bp(at("recv-first"), "condition", `req.url ==`), false, 0, "expected an expression, found end of file"},
		{"condition unknown variable", vcl, bp(at("recv-first"), "condition", `req.nope == 1`), false, 0, "req.nope"},
		{"condition out of scope", vcl, bp(at("recv-first"), "condition", `beresp.status == 200`), false, 0, "beresp.status"},
		{"condition with a local", vcl, bp(at("fetch-ttl"), "condition", `var.ttl > 10s`), true, at("fetch-ttl"), ""},
		{"beyond the end", vcl, bp(10000), false, 0, "no statement at or after line 10000"},
		{"not in the program", testdata(t, "broken.vcl"), bp(3), false, 0, "not part of the program"},
		{"bad hit count", vcl, bp(at("recv-first"), "hitCondition", "often"), false, 0, "hit count"},
	}
	c := newTestClient(t)
	c.start(map[string]any{"program": vcl}, func() {
		for _, tc := range tests {
			got := c.setBreakpoints(tc.file, tc.bp)
			if len(got) != 1 {
				t.Fatalf("%s: %d breakpoints back", tc.name, len(got))
			}
			b := got[0]
			if b.Verified != tc.verified {
				t.Errorf("%s: verified %v (%s), want %v", tc.name, b.Verified, b.Message, tc.verified)
			}
			if tc.verified && b.Line != tc.line {
				t.Errorf("%s: line %d, want %d", tc.name, b.Line, tc.line)
			}
			if !tc.verified && !strings.Contains(b.Message, tc.msg) {
				t.Errorf("%s: message %q, want %q", tc.name, b.Message, tc.msg)
			}
			if cond, _ := tc.bp["condition"].(string); cond != "" && !strings.Contains(cond, ")") && strings.Contains(b.Message, "')'") {
				t.Errorf("%s: message %q speaks of a parenthesis the condition does not have", tc.name, b.Message)
			}
			c.setBreakpoints(tc.file) // clear
		}
	})
	c.runToEnd(0)
}

func TestBreakpointIDsStable(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	c := newTestClient(t)
	c.start(map[string]any{"program": vcl}, func() {
		a := c.setBreakpoints(vcl, bp(lineOf(t, vcl, "recv-first")))
		b := c.setBreakpoints(vcl, bp(lineOf(t, vcl, "recv-first")), bp(lineOf(t, vcl, "recv-call")))
		if a[0].Id != b[0].Id || b[1].Id == b[0].Id {
			t.Errorf("ids %d then %d,%d: an unchanged breakpoint must keep its id", a[0].Id, b[0].Id, b[1].Id)
		}
		c.setBreakpoints(vcl)
	})
	c.runToEnd(0)
}

func TestBreakpointLocations(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	first, ret := lineOf(t, vcl, "recv-first"), lineOf(t, vcl, "recv-return")
	c := newTestClient(t)
	c.start(map[string]any{"program": vcl}, nil)
	tests := []struct {
		name      string
		line, end int
		want      []int
	}{
		{"one line", first, 0, []int{first}},
		{"blank range", ret + 1, ret + 2, nil},
		{"range", first, first + 3, []int{first, first + 1, first + 2, first + 3}},
	}
	for _, tc := range tests {
		args := map[string]any{"source": map[string]any{"path": vcl}, "line": tc.line}
		if tc.end > 0 {
			args["endLine"] = tc.end
		}
		r := c.call("breakpointLocations", args).(*dap.BreakpointLocationsResponse)
		var got []int
		for _, l := range r.Body.Breakpoints {
			got = append(got, l.Line)
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: lines %v, want %v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: lines %v, want %v", tc.name, got, tc.want)
			}
		}
	}
	c.runToEnd(0)
}

// stopLines runs a session and records, for every stop, the thread, the
// top frame's line and the stop reason, continuing each time.
func stopLines(t *testing.T, args map[string]any, setup func(c *testClient)) ([]stop, *testClient) {
	t.Helper()
	c := newTestClient(t)
	c.start(args, func() { setup(c) })
	var stops []stop
	for {
		m := c.next()
		switch m := m.(type) {
		case *dap.StoppedEvent:
			r := c.call("stackTrace", map[string]any{"threadId": m.Body.ThreadId}).(*dap.StackTraceResponse)
			stops = append(stops, stop{reason: m.Body.Reason, text: m.Body.Text, thread: m.Body.ThreadId, frames: r.Body.StackFrames})
			c.call("continue", map[string]any{"threadId": m.Body.ThreadId})
		case *dap.TerminatedEvent:
			return stops, c
		}
		if len(stops) > 50 {
			t.Fatal("too many stops")
		}
	}
}

func TestBreakpointKinds(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	at := func(m string) int { return lineOf(t, vcl, m) }
	three := []any{"/a", "/b", "/a"}
	type want struct {
		thread int
		line   int
		reason string
	}
	tests := []struct {
		name     string
		requests []any
		lines    []map[string]any
		funcs    []map[string]any
		filters  []string
		want     []want
		output   string
	}{
		{"line", three, []map[string]any{bp(at("fetch-header"))}, nil, nil,
			[]want{{1, at("fetch-header"), "breakpoint"}, {2, at("fetch-header"), "breakpoint"}}, ""},
		{"condition", three, []map[string]any{bp(at("recv-first"), "condition", `req.url == "/b"`)}, nil, nil,
			[]want{{2, at("recv-first"), "breakpoint"}}, ""},
		{"hit count >=2", three, []map[string]any{bp(at("recv-first"), "hitCondition", ">=2")}, nil, nil,
			[]want{{2, at("recv-first"), "breakpoint"}, {3, at("recv-first"), "breakpoint"}}, ""},
		{"hit count %3", three, []map[string]any{bp(at("recv-first"), "hitCondition", "%3")}, nil, nil,
			[]want{{3, at("recv-first"), "breakpoint"}}, ""},
		{"condition and hit count", three, []map[string]any{bp(at("recv-first"), "condition", `req.url == "/a"`, "hitCondition", "2")}, nil, nil,
			[]want{{3, at("recv-first"), "breakpoint"}}, ""},
		{"condition error stops", []any{"/a"}, []map[string]any{bp(at("recv-first"), "condition", `quic.rtt.latest > 1`)}, nil, nil,
			[]want{{1, at("recv-first"), "breakpoint"}}, "breakpoint condition"},
		{"logpoint", three, []map[string]any{bp(at("deliver-log"), "logMessage", "url={req.url} state={fastly_info.state} {{literal}}")}, nil, nil,
			nil, "url=/b state=MISS {literal}"},
		{"function vcl_fetch", three, nil, []map[string]any{{"name": "vcl_fetch"}}, nil,
			[]want{{1, at("fetch-first") - 3, "function breakpoint"}, {2, at("fetch-first") - 3, "function breakpoint"}}, ""},
		{"function custom sub with condition", three, nil, []map[string]any{{"name": "add_trace", "condition": `req.url != "/a"`}}, nil,
			[]want{{2, at("trace-set") - 1, "function breakpoint"}}, ""},
		{"exception: error", []any{"/a", "/boom"}, nil, nil, []string{"error"},
			[]want{{2, at("recv-error"), "exception"}}, ""},
		{"exception: restart", []any{"/again"}, nil, nil, []string{"restart"},
			[]want{{1, at("recv-restart"), "exception"}}, ""},
		{"exception: clustering", []any{"/a"}, nil, nil, []string{"clustering"},
			[]want{{1, at("miss-return"), "exception"}}, ""},
		{"no exception filters", []any{"/boom", "/again"}, nil, nil, []string{},
			nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stops, c := stopLines(t, map[string]any{"program": vcl, "requests": tc.requests}, func(c *testClient) {
				if tc.lines != nil {
					c.setBreakpoints(vcl, tc.lines...)
				}
				if tc.funcs != nil {
					r := c.call("setFunctionBreakpoints", map[string]any{"breakpoints": tc.funcs}).(*dap.SetFunctionBreakpointsResponse)
					for _, b := range r.Body.Breakpoints {
						if !b.Verified {
							t.Errorf("function breakpoint not verified: %s", b.Message)
						}
					}
				}
				if tc.filters != nil {
					c.call("setExceptionBreakpoints", map[string]any{"filters": tc.filters})
				}
			})
			if len(stops) != len(tc.want) {
				t.Fatalf("%d stops, want %d: %+v", len(stops), len(tc.want), stops)
			}
			for i, w := range tc.want {
				s := stops[i]
				if s.thread != w.thread || s.top().Line != w.line || s.reason != w.reason {
					t.Errorf("stop %d: thread %d line %d (%s), want thread %d line %d (%s)", i, s.thread, s.top().Line, s.reason, w.thread, w.line, w.reason)
				}
			}
			if tc.output != "" && !strings.Contains(c.outputText(), tc.output) {
				t.Errorf("output lacks %q:\n%s", tc.output, c.outputText())
			}
		})
	}
}

func TestExceptionInfo(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	tests := []struct {
		name, filter, url string
		want              []string
	}{
		{"error statement", "error", "/boom", []string{`error 600 "boom"`}},
		{"clustering", "clustering", "/a", []string{"req.http.X-Miss", "fetch node", "delivery node"}},
		{"runtime", "runtime", "/bad", []string{"runtime error in vcl_recv", "quic.rtt.latest"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t)
			c.start(map[string]any{"program": vcl, "requests": []any{tc.url}}, func() {
				c.call("setExceptionBreakpoints", map[string]any{"filters": []string{tc.filter}})
			})
			st := c.stopped()
			if st.reason != "exception" {
				t.Fatalf("stopped for %s", st.reason)
			}
			r := c.call("exceptionInfo", map[string]any{"threadId": st.thread}).(*dap.ExceptionInfoResponse)
			if r.Body.ExceptionId != tc.filter {
				t.Errorf("exception id %q, want %q", r.Body.ExceptionId, tc.filter)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.Body.Description, w) {
					t.Errorf("description %q lacks %q", r.Body.Description, w)
				}
			}
			c.runToEnd(st.thread)
		})
	}
}

// TestBreakpointsBeforeLaunch: breakpoints sent before the program is
// loaded are pending, then verified by a breakpoint event at launch.
func TestBreakpointsBeforeLaunch(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	line := lineOf(t, vcl, "recv-first")
	c := newTestClient(t)
	c.call("initialize", map[string]any{"adapterID": "vcl"})
	got := c.setBreakpoints(vcl, bp(line))
	if got[0].Verified || !strings.Contains(got[0].Message, "not loaded") {
		t.Errorf("before launch: %+v", got[0])
	}
	c.call("launch", map[string]any{"program": vcl})
	ev := c.event("breakpoint").(*dap.BreakpointEvent)
	if !ev.Body.Breakpoint.Verified || ev.Body.Breakpoint.Id != got[0].Id || ev.Body.Breakpoint.Line != line {
		t.Errorf("after launch: %+v", ev.Body.Breakpoint)
	}
	c.event("initialized")
	c.call("configurationDone", nil)
	st := c.stopped()
	if st.top().Line != line {
		t.Errorf("stopped at %d", st.top().Line)
	}
	c.runToEnd(st.thread)
}
