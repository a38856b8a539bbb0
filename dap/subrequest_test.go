package dap

import (
	"strings"
	"testing"

	"github.com/google/go-dap"
)

// TestBackgroundFetchThread: the background fetch a stale-while-revalidate
// hit starts runs as a thread of its own, "background fetch GET /x", beside
// the request that started it, and stops at breakpoints in vcl_miss with
// req.is_background_fetch true.
func TestBackgroundFetchThread(t *testing.T) {
	vcl := testdata(t, "swr.vcl")
	c := newTestClient(t)
	c.start(map[string]any{"scenario": testdata(t, "swr.scenario.yaml")}, func() {
		c.setBreakpoints(vcl, bp(lineOf(t, vcl, "bg-miss")))
	})
	// The first request's miss, on its own thread.
	st := c.stopped()
	if st.thread != 1 || c.eval(st.top().Id, "req.is_background_fetch", "watch") != "false" {
		t.Fatalf("first stop on thread %d", st.thread)
	}
	c.call("continue", map[string]any{"threadId": st.thread})

	// The second request is a stale hit: its background fetch stops here.
	st = c.stopped()
	if st.thread == 1 || st.thread == 2 || c.eval(st.top().Id, "req.is_background_fetch", "watch") != "true" {
		t.Fatalf("background stop on thread %d", st.thread)
	}
	r := c.call("threads", nil).(*dap.ThreadsResponse)
	names := map[int]string{}
	for _, th := range r.Body.Threads {
		names[th.Id] = th.Name
	}
	if names[st.thread] != "background fetch GET /x" || names[2] != "GET /x (restarts: 0)" {
		t.Errorf("threads %v: want the background fetch beside its request", names)
	}
	if !strings.HasPrefix(st.frames[len(st.frames)-1].Name, "vcl_miss") {
		t.Errorf("background stack %+v", st.frames)
	}
	if ex := c.runToEnd(st.thread); ex.Body.ExitCode != 0 {
		t.Errorf("exit code %d", ex.Body.ExitCode)
	}
	if out := c.outputText(); !contains(out, "background fetch GET /x") {
		t.Errorf("output does not mention the background fetch:\n%s", out)
	}
}

// TestESISubrequestThreads: each <esi:include> subrequest runs as a child
// thread, "esi GET /frag", beside the request (and include) that made it.
func TestESISubrequestThreads(t *testing.T) {
	vcl := testdata(t, "../run/esi.vcl")
	c := newTestClient(t)
	c.start(map[string]any{"scenario": testdata(t, "../run/esi.scenario.yaml")}, func() {
		c.setBreakpoints(vcl, bp(lineOf(t, vcl, "esi-recv"), "condition", "req.esi_level == 2"))
	})
	st := c.stopped()
	r := c.call("threads", nil).(*dap.ThreadsResponse)
	var names []string
	for _, th := range r.Body.Threads {
		names = append(names, th.Name)
		if th.Id == st.thread && th.Name != "esi GET /user" {
			t.Errorf("stopped on %q, want the level-2 include", th.Name)
		}
	}
	if strings.Join(names, "|") != "GET /page (restarts: 0)|esi GET /header|esi GET /user" {
		t.Errorf("threads %q", names)
	}
	if got := c.eval(st.top().Id, "req.topurl", "watch"); got != `"/header"` {
		t.Errorf("req.topurl in the level-2 include = %s", got)
	}
	c.runToEnd(st.thread)
}
