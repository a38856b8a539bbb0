package dap

import (
	"path/filepath"
	"testing"

	"github.com/google/go-dap"
)

// TestHeaderSpelling: header names appear as the VCL writes them.
func TestHeaderSpelling(t *testing.T) {
	vcl := testdata(t, "exit.vcl")
	c := newTestClient(t)
	c.start(map[string]any{"program": vcl, "requests": []any{"/a"}}, func() {
		c.setBreakpoints(vcl, bp(lineOf(t, vcl, "deliver-branch")))
	})
	st := c.stopped()
	req := c.vars(c.scopes(st.top().Id)["Request (req)"])
	hdrs := c.vars(req["req.http"].VariablesReference)
	v, ok := hdrs["X-PreFetch-Miss"]
	if !ok || v.Value != `"written like this"` || v.EvaluateName != "req.http.X-PreFetch-Miss" {
		names := []string{}
		for n := range hdrs {
			names = append(names, n)
		}
		t.Errorf("req.http has %v, want X-PreFetch-Miss as written", names)
	}
	c.runToEnd(st.thread)
}

// TestVariablesFilter: the variables request honours filter.
func TestVariablesFilter(t *testing.T) {
	c, st := stopAt(t, map[string]any{"scenario": testdata(t, "scenario.yaml")}, "fetch-header")
	sc := c.scopes(st.top().Id)
	count := func(ref int, filter string) int {
		args := map[string]any{"variablesReference": ref}
		if filter != "" {
			args["filter"] = filter
		}
		return len(c.call("variables", args).(*dap.VariablesResponse).Body.Variables)
	}
	req := sc["Request (req)"]
	route := c.vars(sc["Clustering"])["route"]
	if route.IndexedVariables == 0 {
		t.Fatalf("route %+v has no indexed children", route)
	}
	tests := []struct {
		name   string
		ref    int
		filter string
		want   int // -1: more than zero
	}{
		{"named scope, no filter", req, "", -1},
		{"named scope, named", req, "named", -1},
		{"named scope, indexed", req, "indexed", 0},
		{"indexed route, indexed", route.VariablesReference, "indexed", route.IndexedVariables},
		{"indexed route, named", route.VariablesReference, "named", 0},
	}
	for _, tc := range tests {
		got := count(tc.ref, tc.filter)
		if tc.want < 0 && got == 0 || tc.want >= 0 && got != tc.want {
			t.Errorf("%s: %d variables, want %d", tc.name, got, tc.want)
		}
	}
	c.runToEnd(st.thread)
}

// TestTerminateEndsEveryThread: terminate while a concurrent group is
// stopped ends all of its threads.
func TestTerminateEndsEveryThread(t *testing.T) {
	path, _ := filepath.Abs("../examples/collapse.scenario.yaml")
	c := newTestClient(t)
	c.start(map[string]any{"scenario": path}, func() {
		c.call("setFunctionBreakpoints", map[string]any{"breakpoints": []any{map[string]any{"name": "vcl_recv"}}})
	})
	st := c.stopped()
	if n := len(c.call("threads", nil).(*dap.ThreadsResponse).Body.Threads); n != 3 {
		t.Fatalf("%d threads, want 3", n)
	}
	c.call("terminate", nil)
	exited := map[int]bool{}
	for {
		m := c.next()
		if ev, ok := m.(*dap.ThreadEvent); ok && ev.Body.Reason == "exited" {
			exited[ev.Body.ThreadId] = true
		}
		if _, ok := m.(*dap.TerminatedEvent); ok {
			break
		}
	}
	if len(exited) != 3 {
		t.Errorf("threads exited: %v, want 1, 2 and 3", exited)
	}
	if n := len(c.call("threads", nil).(*dap.ThreadsResponse).Body.Threads); n != 0 {
		t.Errorf("%d threads after terminate", n)
	}
	if msg := c.callErr("continue", map[string]any{"threadId": st.thread}); msg == "" {
		t.Error("continue after terminate succeeded")
	}
}
