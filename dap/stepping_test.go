package dap

import (
	"strings"
	"testing"

	"github.com/google/go-dap"
)

// action is one stepping request and where it must stop.
type action struct {
	cmd    string // next, stepIn, stepOut, stepBack, reverseContinue, continue
	line   int
	reason string
	thread int // 0: the same thread as before
	depth  int // stack depth; 0: not checked
	fail   string
}

// runActions performs the actions from the first stop.
func runActions(t *testing.T, c *testClient, first stop, acts []action) {
	t.Helper()
	cur := first
	for i, a := range acts {
		args := map[string]any{"threadId": cur.thread}
		if a.fail != "" {
			msg := c.callErr(a.cmd, args)
			if !strings.Contains(msg, a.fail) {
				t.Fatalf("action %d (%s): error %q, want %q", i, a.cmd, msg, a.fail)
			}
			continue
		}
		c.call(a.cmd, args)
		st := c.stopped()
		if st.top().Line != a.line {
			t.Fatalf("action %d (%s): stopped at line %d (%s), want %d", i, a.cmd, st.top().Line, st.top().Name, a.line)
		}
		if a.reason != "" && st.reason != a.reason {
			t.Errorf("action %d (%s): reason %q, want %q", i, a.cmd, st.reason, a.reason)
		}
		if a.thread != 0 && st.thread != a.thread {
			t.Errorf("action %d (%s): thread %d, want %d", i, a.cmd, st.thread, a.thread)
		}
		if a.depth != 0 && len(st.frames) != a.depth {
			t.Errorf("action %d (%s): %d frames, want %d", i, a.cmd, len(st.frames), a.depth)
		}
		cur = st
	}
	c.runToEnd(cur.thread)
}

func TestStepping(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	at := func(m string) int { return lineOf(t, vcl, m) }
	hashFirst := at("recv-return") + 4 // #FASTLY hash
	tests := []struct {
		name     string
		requests []any
		bps      []int
		acts     []action
	}{
		{"step into a call and out", []any{"/a"}, []int{at("recv-call")}, []action{
			{cmd: "stepIn", line: at("trace-set"), reason: "step", depth: 2},
			{cmd: "next", line: at("trace-log"), depth: 2},
			{cmd: "stepOut", line: at("recv-call") + 1, depth: 1},
		}},
		{"next steps over a call", []any{"/a"}, []int{at("recv-call")}, []action{
			{cmd: "next", line: at("recv-call") + 1, depth: 1},
		}},
		{"stepOut of a vcl_ sub goes to the next one", []any{"/a"}, []int{at("recv-first")}, []action{
			{cmd: "stepOut", line: hashFirst, depth: 1},
		}},
		{"next off the end of a sub", []any{"/a"}, []int{at("recv-return")}, []action{
			{cmd: "next", line: hashFirst},
		}},
		{"next from the last statement reaches the next request", []any{"/a", "/b"}, []int{at("deliver-log")}, []action{
			{cmd: "next", line: at("deliver-log") + 1, thread: 1},
			{cmd: "next", line: at("recv-first") - 1, thread: 2},
		}},
		{"step back", []any{"/a"}, []int{at("recv-first")}, []action{
			{cmd: "next", line: at("recv-call")},
			{cmd: "stepIn", line: at("trace-set"), depth: 2},
			{cmd: "stepBack", line: at("recv-call"), reason: "step", depth: 1},
			{cmd: "stepBack", line: at("recv-first"), reason: "step"},
			{cmd: "stepBack", line: at("recv-first") - 1, reason: "step"},
			{cmd: "stepBack", fail: "nothing before it"},
			{cmd: "next", line: at("recv-first")},
		}},
		{"reverse continue", []any{"/a", "/a"}, []int{at("recv-first"), at("fetch-header")}, []action{
			{cmd: "continue", line: at("fetch-header"), thread: 1},
			{cmd: "reverseContinue", line: at("recv-first"), reason: "breakpoint", thread: 1},
			{cmd: "reverseContinue", line: at("recv-first") - 1, reason: "entry", thread: 1},
			{cmd: "continue", line: at("recv-first"), thread: 1},
			{cmd: "continue", line: at("fetch-header"), thread: 1},
			{cmd: "continue", line: at("recv-first"), thread: 2},
			{cmd: "reverseContinue", line: at("fetch-header"), thread: 1},
			{cmd: "stepBack", line: at("fetch-first"), thread: 1},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t)
			c.start(map[string]any{"program": vcl, "requests": tc.requests}, func() {
				var bps []map[string]any
				for _, l := range tc.bps {
					bps = append(bps, bp(l))
				}
				c.setBreakpoints(vcl, bps...)
			})
			runActions(t, c, c.stopped(), tc.acts)
		})
	}
}

func TestStopOnEntry(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	c := newTestClient(t)
	c.start(map[string]any{"program": vcl, "stopOnEntry": true}, nil)
	st := c.stopped()
	if st.reason != "entry" || st.top().Line != lineOf(t, vcl, "recv-first")-1 {
		t.Errorf("stopped for %s at line %d", st.reason, st.top().Line)
	}
	if !strings.HasPrefix(st.top().Name, "vcl_recv [delivery cache-sim") {
		t.Errorf("frame name %q", st.top().Name)
	}
	c.runToEnd(st.thread)
}

// TestStepBackReplaysEdits checks that a change made with setVariable is
// made again when stepping back re-runs the request.
func TestStepBackReplaysEdits(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	at := func(m string) int { return lineOf(t, vcl, m) }
	c := newTestClient(t)
	c.start(map[string]any{"program": vcl, "requests": []any{"/a"}}, func() {
		c.setBreakpoints(vcl, bp(at("fetch-first")))
	})
	st := c.stopped()
	c.call("setExpression", map[string]any{"expression": "beresp.http.X-Edit", "value": `"edited"`, "frameId": st.top().Id})
	c.call("next", map[string]any{"threadId": st.thread})
	st = c.stopped()
	c.call("next", map[string]any{"threadId": st.thread})
	st = c.stopped()
	if st.top().Line != at("fetch-ttl") {
		t.Fatalf("at line %d", st.top().Line)
	}
	c.call("stepBack", map[string]any{"threadId": st.thread})
	st = c.stopped()
	if got := c.eval(st.top().Id, "beresp.http.X-Edit", "watch"); got != `"edited"` {
		t.Errorf("after stepBack, beresp.http.X-Edit = %s", got)
	}
	// Back at the statement where the change was made: the state as the
	// forward run left it, with the change.
	c.call("stepBack", map[string]any{"threadId": st.thread})
	st = c.stopped()
	if got := c.eval(st.top().Id, "beresp.http.X-Edit", "watch"); st.top().Line != at("fetch-first") || got != `"edited"` {
		t.Errorf("back at the edit (line %d), beresp.http.X-Edit = %s", st.top().Line, got)
	}
	// The change itself was a step: stepping back undoes it, in place.
	c.call("stepBack", map[string]any{"threadId": st.thread})
	st = c.stopped()
	if got := c.eval(st.top().Id, "beresp.http.X-Edit", "watch"); st.top().Line != at("fetch-first") || got != "(not set)" {
		t.Errorf("back before the edit (line %d), beresp.http.X-Edit = %s", st.top().Line, got)
	}
	c.runToEnd(st.thread)
}

func TestThreads(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	c := newTestClient(t)
	c.start(map[string]any{"program": vcl, "requests": []any{"/a", "POST /again"}}, func() {
		c.setBreakpoints(vcl, bp(lineOf(t, vcl, "deliver-first")))
	})
	tests := []struct {
		thread int
		name   string
	}{
		{1, "GET /a (restarts: 0)"},
		{2, "POST /again (restarts: 1)"},
	}
	for _, tc := range tests {
		st := c.stopped()
		r := c.call("threads", nil).(*dap.ThreadsResponse)
		if len(r.Body.Threads) != 1 || r.Body.Threads[0].Id != tc.thread || r.Body.Threads[0].Name != tc.name {
			t.Errorf("threads %+v, want %d %q", r.Body.Threads, tc.thread, tc.name)
		}
		c.call("continue", map[string]any{"threadId": st.thread})
	}
	c.runToEnd(0)
}

func TestRestart(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	line := lineOf(t, vcl, "fetch-header")
	c := newTestClient(t)
	c.start(map[string]any{"program": vcl, "requests": []any{"/a", "/b"}}, func() {
		c.setBreakpoints(vcl, bp(line))
	})
	st := c.stopped()
	c.call("continue", map[string]any{"threadId": st.thread})
	if st = c.stopped(); st.thread != 2 {
		t.Fatalf("second stop on thread %d", st.thread)
	}
	c.call("restart", nil)
	st = c.stopped()
	if st.thread != 1 || st.top().Line != line {
		t.Errorf("after restart: thread %d line %d", st.thread, st.top().Line)
	}
	// A restart with new arguments (no breakpoint hit on /c: the line is in
	// vcl_fetch, and /c passes... through it too, so stop there).
	c.call("restart", map[string]any{"arguments": map[string]any{"program": vcl, "requests": []any{"/c"}}})
	st = c.stopped()
	if got := c.eval(st.top().Id, "req.url", "repl"); got != `"/c"` {
		t.Errorf("after restart with arguments: req.url = %s", got)
	}
	c.runToEnd(st.thread)
	// After the end, a restart runs the session again.
	c.call("restart", nil)
	st = c.stopped()
	// And after a terminate request too.
	c.call("terminate", nil)
	c.event("terminated")
	c.call("restart", nil)
	st = c.stopped()
	c.runToEnd(st.thread)
}
