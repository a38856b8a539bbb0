package dap

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-dap"
)

// point is where a stop is and every variable the client can see there.
type stopState struct {
	thread, line, depth int
	vars                string
}

func (s stopState) String() string {
	return fmt.Sprintf("thread %d line %d depth %d", s.thread, s.line, s.depth)
}

// capture reads every scope of the top frame (and the headers of each
// object) into one comparable text.
func capture(c *testClient, st stop) stopState {
	c.tb.Helper()
	var lines []string
	for name, ref := range c.scopes(st.top().Id) {
		for vn, v := range c.vars(ref) {
			lines = append(lines, name+" / "+vn+" = "+v.Value)
			if strings.HasSuffix(vn, ".http") && v.VariablesReference > 0 {
				for hn, hv := range c.vars(v.VariablesReference) {
					lines = append(lines, name+" / "+vn+"."+hn+" = "+hv.Value)
				}
			}
		}
	}
	sort.Strings(lines)
	return stopState{thread: st.thread, line: st.top().Line, depth: len(st.frames), vars: strings.Join(lines, "\n")}
}

// diffState names the first variable that differs.
func diffState(a, b stopState) string {
	al, bl := strings.Split(a.vars, "\n"), strings.Split(b.vars, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("forward %q, reverse %q", x, y)
		}
	}
	return ""
}

// TestReverseStepping steps forward with `next` through a 3-request
// session (the second request restarts), changing variables from the REPL
// on the way, then steps back to the start. stepBack must retrace exactly
// the statements `next` went through, in reverse, with every variable
// equal to its forward value at that point; each REPL change is a step of
// its own. reverseContinue then goes from breakpoint to breakpoint back to
// the start, with hitBreakpointIds.
func TestReverseStepping(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	at := func(m string) int { return lineOf(t, vcl, m) }
	c := newTestClient(t)
	c.start(map[string]any{"program": vcl, "stopOnEntry": true, "requests": []any{"/a", "/again", "/a"}}, nil)

	var forward []stopState
	st := c.stopped()
	edits := 0
	for {
		forward = append(forward, capture(c, st))
		// REPL changes at a few points, each recorded as a step.
		if st.top().Line == at("recv-call") || st.top().Line == at("deliver-first") {
			edits++
			c.eval(st.top().Id, fmt.Sprintf(`set req.http.X-Edit = "edit %d"`, edits), "repl")
			forward = append(forward, capture(c, st))
		}
		c.call("next", map[string]any{"threadId": st.thread})
		m := c.nextStopOrExit()
		if m == nil {
			t.Fatalf("the session ended before the last statement")
		}
		st = *m
		if st.thread == 3 && st.top().Line == at("deliver-log") {
			forward = append(forward, capture(c, st))
			break
		}
	}
	threads := map[int]bool{}
	restarted := false
	for _, f := range forward {
		threads[f.thread] = true
		restarted = restarted || strings.Contains(f.vars, "req.restarts = 1")
	}
	if len(threads) != 3 || !restarted || edits < 4 {
		t.Fatalf("the forward run covers threads %v, restarted %v, %d edits", threads, restarted, edits)
	}
	t.Logf("forward: %d stops over 3 requests (one restart), %d REPL changes", len(forward), edits)

	// Back to the start, one stepBack at a time.
	for i := len(forward) - 2; i >= 0; i-- {
		c.call("stepBack", map[string]any{"threadId": st.thread})
		st = c.stopped()
		got, want := capture(c, st), forward[i]
		if got.thread != want.thread || got.line != want.line || got.depth != want.depth {
			t.Fatalf("stepBack %d: at %s, want %s", len(forward)-1-i, got, want)
		}
		if d := diffState(want, got); d != "" {
			t.Fatalf("stepBack %d at %s: %s", len(forward)-1-i, got, d)
		}
	}
	if msg := c.callErr("stepBack", map[string]any{"threadId": st.thread}); !strings.Contains(msg, "nothing before it") {
		t.Errorf("stepBack at the start: %q", msg)
	}

	// reverseContinue: from the end, breakpoint by breakpoint.
	ids := c.setBreakpoints(vcl, bp(at("fetch-header")), bp(at("deliver-hit")))
	c.call("continue", map[string]any{"threadId": st.thread})
	var hits []int
	var atHits []stopState
	thread := st.thread
	for {
		ev := c.event("stopped").(*dap.StoppedEvent)
		thread = ev.Body.ThreadId
		atHits = append(atHits, capture(c, c.stopped2(ev)))
		if ev.Body.Reason != "breakpoint" || len(ev.Body.HitBreakpointIds) != 1 {
			t.Fatalf("forward stop %+v", ev.Body)
		}
		hits = append(hits, ev.Body.HitBreakpointIds[0])
		if len(hits) == 3 {
			break
		}
		c.call("continue", map[string]any{"threadId": ev.Body.ThreadId})
	}
	// /a misses (fetch), /again misses after its restart (fetch), /a hits.
	want := []int{ids[0].Id, ids[0].Id, ids[1].Id}
	if fmt.Sprint(hits) != fmt.Sprint(want) {
		t.Fatalf("forward breakpoint hits %v, want %v", hits, want)
	}
	for i := len(hits) - 2; i >= 0; i-- {
		c.call("reverseContinue", map[string]any{"threadId": thread})
		ev := c.event("stopped").(*dap.StoppedEvent)
		thread = ev.Body.ThreadId
		if ev.Body.Reason != "breakpoint" || fmt.Sprint(ev.Body.HitBreakpointIds) != fmt.Sprint([]int{hits[i]}) {
			t.Fatalf("reverseContinue %d: %+v, want breakpoint %d", len(hits)-1-i, ev.Body, hits[i])
		}
		got := capture(c, c.stopped2(ev))
		if d := diffState(atHits[i], got); d != "" || got.line != atHits[i].line || got.thread != atHits[i].thread {
			t.Fatalf("reverseContinue %d at %s (want %s): %s", len(hits)-1-i, got, atHits[i], d)
		}
	}
	c.call("reverseContinue", map[string]any{"threadId": thread})
	if ev := c.event("stopped").(*dap.StoppedEvent); ev.Body.Reason != "entry" {
		t.Errorf("reverseContinue past the first breakpoint: %+v, want the start", ev.Body)
	}
	c.runToEnd(1)
}

// nextStopOrExit waits for the next stop (loading its stack) or the end of
// the run (nil).
func (c *testClient) nextStopOrExit() *stop {
	c.tb.Helper()
	for {
		for i, e := range c.events {
			switch e.(type) {
			case *dap.StoppedEvent:
				c.events = append(c.events[:i:i], c.events[i+1:]...)
				c.events = append([]dap.Message{e}, c.events...)
				st := c.stopped()
				return &st
			case *dap.ExitedEvent:
				return nil
			}
		}
		m := c.next()
		if em, ok := m.(dap.EventMessage); ok {
			c.events = append(c.events, em)
			continue
		}
		c.tb.Fatalf("unexpected %T", m)
	}
}

// TestReverseSteppingConcurrent: stepBack retraces `next` through a
// concurrent group (three collapsed requests taking turns) with the same
// variables at every point.
func TestReverseSteppingConcurrent(t *testing.T) {
	path, _ := filepath.Abs("../examples/collapse.scenario.yaml")
	c := newTestClient(t)
	c.start(map[string]any{"scenario": path, "stopOnEntry": true}, nil)
	var forward []stopState
	st := c.stopped()
	threads := map[int]bool{}
	for st.thread != 4 {
		forward = append(forward, capture(c, st))
		threads[st.thread] = true
		c.call("next", map[string]any{"threadId": st.thread})
		m := c.nextStopOrExit()
		if m == nil {
			t.Fatalf("the session ended before the fourth request")
		}
		st = *m
	}
	forward = append(forward, capture(c, st))
	if len(threads) != 3 {
		t.Fatalf("the forward run went through threads %v, want the group's 1, 2 and 3", threads)
	}
	for i := len(forward) - 2; i >= 0; i-- {
		c.call("stepBack", map[string]any{"threadId": st.thread})
		st = c.stopped()
		got, want := capture(c, st), forward[i]
		if got.thread != want.thread || got.line != want.line || got.depth != want.depth {
			t.Fatalf("stepBack %d: at %s, want %s", len(forward)-1-i, got, want)
		}
		if d := diffState(want, got); d != "" {
			t.Fatalf("stepBack %d at %s: %s", len(forward)-1-i, got, d)
		}
	}
	t.Logf("%d stops over a concurrent group retraced", len(forward))
	c.runToEnd(st.thread)
}
