package dap

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBreakpointInRepeatedDefinition: a breakpoint in a later definition
// of vcl_recv, in an included file, stops there (the interpreter used to
// run only the first definition), and the request's state is the one the
// earlier definition left.
func TestBreakpointInRepeatedDefinition(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "main.vcl")
	svc := filepath.Join(dir, "svc.vcl")
	os.WriteFile(main, []byte("sub vcl_recv {\n#FASTLY recv\n  set req.http.X-First = \"1\";\n}\ninclude \"svc\";\n"), 0o644)
	os.WriteFile(svc, []byte("sub vcl_recv {\n  set req.http.X-Second = req.http.X-First;\n  return(lookup);\n}\n"), 0o644)
	c := newTestClient(t)
	c.start(map[string]any{"program": main, "requests": []string{"GET /page"}}, func() {
		for _, b := range c.setBreakpoints(svc, bp(2)) {
			if !b.Verified {
				t.Errorf("breakpoint not verified: %s", b.Message)
			}
		}
	})
	st := c.stopped()
	top := st.top()
	if top.Line != 2 || top.Source == nil || top.Source.Path != svc {
		t.Fatalf("stopped at %v:%d, want svc.vcl:2", top.Source, top.Line)
	}
	if got := c.eval(top.Id, "req.http.X-First", "repl"); !strings.Contains(got, "1") {
		t.Errorf("req.http.X-First = %q: the first definition did not run before", got)
	}
	c.call("continue", map[string]any{"threadId": st.thread})
	c.runToEnd(0)
}
