package dap

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-dap"
)

// TestConcurrentGroup: the requests of a concurrent step run together as in
// `vclide run` (collapsing: HIT-WAIT), each is a thread, and a stop in one
// pauses all of them.
func TestConcurrentGroup(t *testing.T) {
	path, _ := filepath.Abs("../examples/collapse.scenario.yaml")
	vcl, _ := filepath.Abs("../examples/breadcrumbs.vcl")
	c := newTestClient(t)
	c.start(map[string]any{"scenario": path}, func() {
		c.call("setFunctionBreakpoints", map[string]any{"breakpoints": []any{map[string]any{"name": "vcl_fetch"}}})
	})
	ev := c.event("stopped").(*dap.StoppedEvent)
	if !ev.Body.AllThreadsStopped || ev.Body.ThreadId != 1 {
		t.Fatalf("stop %+v: want thread 1 with every thread stopped", ev.Body)
	}
	th := c.call("threads", nil).(*dap.ThreadsResponse).Body.Threads
	if len(th) != 3 {
		t.Fatalf("threads %+v, want the group's three requests", th)
	}
	// The waiting requests show where they wait; they are not inspected.
	for _, id := range []int{2, 3} {
		r := c.call("stackTrace", map[string]any{"threadId": id}).(*dap.StackTraceResponse)
		if len(r.Body.StackFrames) > 0 {
			msg := c.callErr("scopes", map[string]any{"frameId": r.Body.StackFrames[0].Id})
			if !strings.Contains(msg, "select the stopped thread") {
				t.Errorf("scopes of a waiting thread: %q", msg)
			}
		}
	}
	if msg := c.callErr("stackTrace", map[string]any{"threadId": 9}); !strings.Contains(msg, "unknown thread 9") {
		t.Errorf("stackTrace of thread 9: %q", msg)
	}
	// Only the leader fetches: the vcl_fetch breakpoint stops once.
	c.runToEnd(ev.Body.ThreadId)
	out := c.outputText()
	for _, want := range []string{"GET /news/today → 200 (MISS)", "GET /news/today → 200 (HIT-WAIT-CLUSTER)", "GET /news/today → 200 (HIT-WAIT)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if c.stops != 1 {
		t.Errorf("%d stops, want 1 (only the leader runs vcl_fetch)", c.stops)
	}
	_ = vcl
}
