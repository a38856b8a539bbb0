package dap

import (
	"strings"
	"testing"
)

// TestDebugMacroLocal: a recv snippet that uses var.fastly_req_do_shield
// (declared by Fastly's generated code at #FASTLY recv, as Fastly's Magento
// module assumes) launches, stops at a breakpoint, shows the local as true
// on the first pass, evaluates req.url, steps, and runs to the end. It used
// to be refused with "var.fastly_req_do_shield is not declared in vcl_recv".
func TestDebugMacroLocal(t *testing.T) {
	snippet := testdataIn(t, "macro_local", "recv_snippet.vcl")
	line := lineOf(t, snippet, "shield")
	c := newTestClient(t)
	c.start(map[string]any{"program": snippet, "requests": []string{"GET /page"}}, func() {
		for _, b := range c.setBreakpoints(snippet, bp(line)) {
			if !b.Verified {
				t.Errorf("breakpoint not verified: %s", b.Message)
			}
		}
	})
	st := c.stopped()
	if top := st.top(); top.Line != line {
		t.Fatalf("stopped at line %d, want %d", top.Line, line)
	}
	if got := c.eval(st.top().Id, "req.url", "repl"); !strings.Contains(got, "/page") {
		t.Errorf("req.url = %q", got)
	}
	if got := c.eval(st.top().Id, "var.fastly_req_do_shield", "repl"); got != "true" && got != "1" {
		t.Errorf("var.fastly_req_do_shield = %q, want true on the first pass", got)
	}
	c.call("next", map[string]any{"threadId": st.thread})
	st = c.stopped()
	if top := st.top(); top.Line != line+1 {
		t.Errorf("after next: line %d, want %d", top.Line, line+1)
	}
	c.call("continue", map[string]any{"threadId": st.thread})
	c.runToEnd(0)
	if out := c.outputText(); !strings.Contains(out, "299") {
		t.Errorf("the snippet's error 299 did not happen:\n%s", out)
	}
}
