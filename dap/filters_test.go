package dap

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-dap"
)

// TestExceptionFilters: restart also stops on return(restart); assertion
// stops where a request fails its expectations; cache-state stops where a
// request ends in a state matching a pattern.
func TestExceptionFilters(t *testing.T) {
	vcl := testdata(t, "filters.vcl")
	stale, _ := absPath(t, "../examples/stale.scenario.yaml")
	type want struct {
		thread int
		filter string
		text   string
		line   int
	}
	tests := []struct {
		name    string
		launch  map[string]any
		filters map[string]any
		stops   []want
	}{
		{"return(restart)", map[string]any{"program": vcl, "requests": []any{"/r"}},
			map[string]any{"filters": []string{"restart"}},
			[]want{{1, "restart", "return(restart)", lineOf(t, vcl, "deliver-restart")}}},
		{"assertion", map[string]any{"program": vcl, "requests": []any{
			map[string]any{"url": "/ok", "expect": map[string]any{"status": 200}},
			map[string]any{"url": "/bad", "expect": map[string]any{"status": 404, "headers": map[string]any{"X-Restarts": "1"}}},
		}},
			map[string]any{"filters": []string{"assertion"}},
			[]want{{2, "assertion", "expectation failed: status", 0}}},
		{"cache-state *STALE*", map[string]any{"scenario": stale},
			map[string]any{"filterOptions": []any{map[string]any{"filterId": "cache-state", "condition": "*STALE*"}}},
			[]want{{3, "cache-state", "HIT-STALE-CLUSTER", 0}, {4, "cache-state", "state HIT-STALE ", 0}}},
		{"cache-state default pattern", map[string]any{"scenario": stale},
			map[string]any{"filters": []string{"cache-state"}},
			[]want{{3, "cache-state", "*STALE*", 0}, {4, "cache-state", "*STALE*", 0}}},
		{"cache-state MISS*", map[string]any{"scenario": stale},
			map[string]any{"filterOptions": []any{map[string]any{"filterId": "cache-state", "condition": "miss*"}}},
			[]want{{1, "cache-state", "MISS-CLUSTER", 0}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t)
			c.start(tc.launch, func() {
				r := c.call("setExceptionBreakpoints", tc.filters).(*dap.SetExceptionBreakpointsResponse)
				for _, b := range r.Body.Breakpoints {
					if !b.Verified {
						t.Fatalf("filter not verified: %s", b.Message)
					}
				}
			})
			for i, w := range tc.stops {
				st := c.stopped()
				if st.reason != "exception" || st.thread != w.thread || !strings.Contains(st.text, w.text) {
					t.Fatalf("stop %d: %s on thread %d: %q, want thread %d %q", i, st.reason, st.thread, st.text, w.thread, w.text)
				}
				if w.line != 0 && st.top().Line != w.line {
					t.Errorf("stop %d at line %d, want %d", i, st.top().Line, w.line)
				}
				info := c.call("exceptionInfo", map[string]any{"threadId": st.thread}).(*dap.ExceptionInfoResponse)
				if info.Body.ExceptionId != w.filter {
					t.Errorf("stop %d: exceptionInfo %q, want %q", i, info.Body.ExceptionId, w.filter)
				}
				// The request's variables are there to inspect.
				if got := c.eval(st.top().Id, "req.url", "watch"); !strings.HasPrefix(got, `"/`) {
					t.Errorf("stop %d: req.url = %s", i, got)
				}
				if w.line == 0 {
					// Stopped after the request ended: stepping back goes to
					// its last statement, in the same request.
					c.call("stepBack", map[string]any{"threadId": st.thread})
					back := c.stopped()
					if back.thread != st.thread || back.reason != "step" {
						t.Errorf("stop %d: stepBack went to thread %d (%s), want %d", i, back.thread, back.reason, st.thread)
					}
					// Forward again: the same stop.
					c.call("continue", map[string]any{"threadId": back.thread})
					again := c.stopped()
					if again.thread != st.thread || again.reason != "exception" || again.text != st.text {
						t.Errorf("stop %d again: thread %d %s %q", i, again.thread, again.reason, again.text)
					}
				}
				if i < len(tc.stops)-1 {
					c.call("continue", map[string]any{"threadId": st.thread})
				} else {
					c.runToEnd(st.thread)
				}
			}
		})
	}
}

func TestExceptionFilterErrors(t *testing.T) {
	c := newTestClient(t)
	c.call("initialize", map[string]any{"adapterID": "vcl"})
	r := c.call("setExceptionBreakpoints", map[string]any{"filters": []string{}, "filterOptions": []any{
		map[string]any{"filterId": "cache-state", "condition": "[STALE"},
		map[string]any{"filterId": "nope"},
		map[string]any{"filterId": "assertion", "condition": "x"},
	}}).(*dap.SetExceptionBreakpointsResponse)
	want := []string{"cache-state pattern", "unknown exception filter", "takes no condition"}
	for i, b := range r.Body.Breakpoints {
		if b.Verified || !strings.Contains(b.Message, want[i]) {
			t.Errorf("filter %d: verified %v %q, want an error %q", i, b.Verified, b.Message, want[i])
		}
	}
	init := c.call("initialize", map[string]any{"adapterID": "vcl"}).(*dap.InitializeResponse)
	found := map[string]bool{}
	for _, f := range init.Body.ExceptionBreakpointFilters {
		found[f.Filter] = true
	}
	for _, f := range []string{"error", "restart", "runtime", "clustering", "assertion", "cache-state"} {
		if !found[f] {
			t.Errorf("initialize does not offer the %s filter", f)
		}
	}
}

// absPath makes a path relative to the package absolute.
func absPath(t *testing.T, p string) (string, error) {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs, nil
}
