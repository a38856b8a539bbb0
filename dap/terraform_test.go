package dap

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestTerraformHeredocBreakpoints: launching the example service (its .tf
// file, or the `terraform show -json` fixture), breakpoints inside snippet
// heredocs of main.tf and in the deliver snippet file stop there, with
// frames pointing at main.tf's lines.
func TestTerraformHeredocBreakpoints(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "examples", "terraform"))
	if err != nil {
		t.Fatal(err)
	}
	tf := filepath.Join(dir, "main.tf")
	headers := filepath.Join(dir, "security_headers.vcl")
	api := lineWith(t, tf, "set req.backend = F_api;")
	block := lineWith(t, tf, "if (req.url.path ~ \"^/admin\"")
	hsts := lineWith(t, headers, "Strict-Transport-Security")
	// The .tf program; the main VCL with the plan JSON, whose snippet
	// content is mapped back to the heredocs of main.tf beside it.
	for _, tc := range []struct {
		name   string
		launch map[string]any
		tfBps  bool
	}{
		{"tf", map[string]any{"program": tf}, true},
		{"plan", map[string]any{"program": filepath.Join(dir, "main.vcl"), "terraformPlan": filepath.Join(dir, "terraform-show.json")}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t)
			tc.launch["requests"] = []string{"GET /api/items"}
			c.start(tc.launch, func() {
				if tc.tfBps {
					for _, b := range c.setBreakpoints(tf, bp(block), bp(api)) {
						if !b.Verified {
							t.Errorf("main.tf breakpoint at line %d not verified: %s", b.Line, b.Message)
						}
					}
				}
				for _, b := range c.setBreakpoints(headers, bp(hsts)) {
					if !b.Verified {
						t.Errorf("security_headers.vcl breakpoint not verified: %s", b.Message)
					}
				}
			})
			type stop struct {
				path string
				line int
			}
			want := []stop{{headers, hsts}}
			if tc.tfBps {
				want = []stop{{tf, block}, {tf, api}, {headers, hsts}}
			}
			for _, w := range want {
				st := c.stopped()
				top := st.top()
				if top.Source == nil || top.Source.Path != w.path || top.Line != w.line {
					t.Fatalf("stopped at %+v line %d, want %s:%d", top.Source, top.Line, w.path, w.line)
				}
				c.call("continue", map[string]any{"threadId": st.thread})
			}
			c.runToEnd(0)
			if out := c.outputText(); !strings.Contains(out, `terraform: service "shop"`) {
				t.Errorf("the console does not name the service:\n%s", out)
			}
		})
	}
}
