package dap

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-dap"
)

var servingRE = regexp.MustCompile(`serving http://(\S+)`)

// startServe launches serve mode and returns the live server's base URL.
func startServe(t *testing.T, c *testClient, setup func()) string {
	t.Helper()
	c.start(map[string]any{"program": testdata(t, "main.vcl"), "mode": "serve", "listen": "127.0.0.1:0"}, setup)
	m := servingRE.FindStringSubmatch(c.outputText())
	if m == nil {
		t.Fatalf("no serving address in the output:\n%s", c.outputText())
	}
	return "http://" + m[1]
}

type liveResult struct {
	resp *http.Response
	body string
	err  error
}

// get sends a real request to the live server in the background.
func get(ctx context.Context, url string, header map[string]string) chan liveResult {
	ch := make(chan liveResult, 1)
	go func() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			ch <- liveResult{err: err}
			return
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			ch <- liveResult{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		ch <- liveResult{resp: resp, body: string(b), err: err}
	}()
	return ch
}

func waitLive(t *testing.T, ch chan liveResult) liveResult {
	t.Helper()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatal(r.err)
		}
		return r
	case <-time.After(testTimeout):
		t.Fatal("no HTTP response")
	}
	return liveResult{}
}

func TestServeMode(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := newTestClient(t)
	base := startServe(t, c, func() { c.setBreakpoints(vcl, bp(lineOf(t, vcl, "deliver-log"))) })

	tests := []struct {
		path, header, want string
	}{
		{"/live", "from-the-debugger", "MISS"},
		{"/live", "again", "HIT"},
	}
	for i, tc := range tests {
		ch := get(ctx, base+tc.path, map[string]string{"X-Client": "curl"})
		st := c.stopped()
		if st.thread != i+1 {
			t.Errorf("request %d on thread %d", i+1, st.thread)
		}
		th := c.call("threads", nil).(*dap.ThreadsResponse)
		if len(th.Body.Threads) != 1 || th.Body.Threads[0].Name != "GET "+tc.path+" (restarts: 0)" {
			t.Errorf("threads %+v", th.Body.Threads)
		}
		if got := c.eval(st.top().Id, "req.http.X-Client", "watch"); got != `"curl"` {
			t.Errorf("req.http.X-Client = %s", got)
		}
		c.call("setExpression", map[string]any{"expression": "resp.http.X-Debugger", "value": tc.header, "frameId": st.top().Id})
		c.call("continue", map[string]any{"threadId": st.thread})
		r := waitLive(t, ch)
		if r.resp.StatusCode != 200 || r.resp.Header.Get("X-Debugger") != tc.header || r.resp.Header.Get("X-Cache") != tc.want {
			t.Errorf("response %d %v", r.resp.StatusCode, r.resp.Header)
		}
	}

	// Pausing while idle is an error: no thread runs.
	if msg := c.callErr("pause", map[string]any{"threadId": 1}); !strings.Contains(msg, "unknown thread") {
		t.Errorf("pause while idle: %q", msg)
	}
	c.setBreakpoints(vcl, bp(lineOf(t, vcl, "recv-first")-1), bp(lineOf(t, vcl, "deliver-log")))
	ch := get(ctx, base+"/paused", nil)
	st := c.stopped()
	if st.reason != "breakpoint" || st.top().Line != lineOf(t, vcl, "recv-first")-1 {
		t.Errorf("stop: %s at line %d", st.reason, st.top().Line)
	}
	// Stepping back in serve mode re-runs the earlier live requests.
	c.call("next", map[string]any{"threadId": st.thread})
	c.stopped()
	c.call("stepBack", map[string]any{"threadId": st.thread})
	if back := c.stopped(); back.thread != st.thread || back.top().Line != st.top().Line {
		t.Errorf("stepBack: thread %d line %d", back.thread, back.top().Line)
	}
	c.call("continue", map[string]any{"threadId": st.thread})
	c.stopped() // the breakpoint in vcl_deliver
	c.call("continue", map[string]any{"threadId": st.thread})
	if r := waitLive(t, ch); r.resp.StatusCode != 200 {
		t.Errorf("paused request: %d", r.resp.StatusCode)
	}

	// A request pending when the session ends gets a 503.
	ch = get(ctx, base+"/pending", nil)
	if st := c.stopped(); st.thread != 4 {
		t.Fatalf("pending request stopped on thread %d (%s, line %d)", st.thread, st.reason, st.top().Line)
	}
	c.call("disconnect", nil)
	if r := waitLive(t, ch); r.resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("pending request at disconnect: %d", r.resp.StatusCode)
	}
}
