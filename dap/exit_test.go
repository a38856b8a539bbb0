package dap

import (
	"testing"

	"github.com/google/go-dap"
)

// TestSubExitBreakpoint: a breakpoint on a subroutine's closing brace, or
// on the end of an `if` with nothing after it, binds to the subroutine's
// exit and stops there after whichever branch ran, with the variables as
// the subroutine leaves them.
func TestSubExitBreakpoint(t *testing.T) {
	vcl := testdata(t, "exit.vcl")
	at := func(m string) int { return lineOf(t, vcl, m) }
	for _, line := range []int{at("if-end"), at("recv-end")} {
		c := newTestClient(t)
		var ids []dap.Breakpoint
		c.start(map[string]any{"program": vcl, "requests": []any{"/a", "/b"}}, func() {
			ids = c.setBreakpoints(vcl, bp(line))
		})
		if !ids[0].Verified || ids[0].Line != at("recv-end") {
			t.Fatalf("breakpoint on line %d: %+v, want it on the closing brace (line %d)", line, ids[0], at("recv-end"))
		}
		for _, branch := range []string{`"a"`, `"b"`} {
			ev := c.event("stopped").(*dap.StoppedEvent)
			if ev.Body.Reason != "breakpoint" || len(ev.Body.HitBreakpointIds) != 1 || ev.Body.HitBreakpointIds[0] != ids[0].Id {
				t.Fatalf("stop %+v", ev.Body)
			}
			st := c.stopped2(ev)
			if st.top().Line != at("recv-end") || len(st.frames) != 1 {
				t.Errorf("stopped at line %d (%d frames), want the closing brace %d", st.top().Line, len(st.frames), at("recv-end"))
			}
			if got := c.eval(st.top().Id, "req.http.X-Branch", "watch"); got != branch {
				t.Errorf("at the exit, req.http.X-Branch = %s, want %s", got, branch)
			}
			// Stepping back from the exit goes to the branch that ran.
			c.call("stepBack", map[string]any{"threadId": st.thread})
			back := c.stopped()
			want := at("branch-a")
			if branch == `"b"` {
				want = at("branch-b")
			}
			if back.top().Line != want {
				t.Errorf("stepBack from the exit: line %d, want %d", back.top().Line, want)
			}
			// reverseContinue from there... forward again with continue.
			c.call("continue", map[string]any{"threadId": st.thread})
			ev2 := c.event("stopped").(*dap.StoppedEvent)
			if ev2.Body.Reason != "breakpoint" || len(ev2.Body.HitBreakpointIds) != 1 {
				t.Fatalf("continue after stepBack: %+v", ev2.Body)
			}
			if branch == `"a"` {
				c.call("continue", map[string]any{"threadId": st.thread})
			} else {
				c.runToEnd(st.thread)
			}
		}
	}
}

// stopped2 loads the stack for a stopped event already read.
func (c *testClient) stopped2(ev *dap.StoppedEvent) stop {
	c.tb.Helper()
	st := stop{reason: ev.Body.Reason, text: ev.Body.Text, thread: ev.Body.ThreadId}
	r := c.call("stackTrace", map[string]any{"threadId": st.thread}).(*dap.StackTraceResponse)
	st.frames = r.Body.StackFrames
	if len(st.frames) == 0 {
		c.tb.Fatalf("stopped (%s) with an empty stack", st.reason)
	}
	return st
}
