package dap

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vclide/vclide/interp/scenario"
)

// runWithoutDebugger runs a scenario as `vclide run` does (scenario.Run on
// an engine without hooks) and returns each request's result block, as
// the debugger prints it, and whether every expectation passed.
func runWithoutDebugger(t *testing.T, path string) ([]string, bool) {
	t.Helper()
	tgt, err := loadTarget(LaunchConfig{Scenario: path, Mode: modeRun})
	if err != nil {
		t.Fatal(err)
	}
	defer tgt.close()
	eng, err := tgt.scen.Engine(tgt.prog, scenario.Options{Origin: tgt.origin})
	if err != nil {
		t.Fatal(err)
	}
	outs, err := tgt.scen.Run(context.Background(), eng)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, o := range outs {
		if o.Result == nil {
			continue
		}
		ir, err := o.Request.Interp()
		if err != nil {
			t.Fatal(err)
		}
		blocks = append(blocks, formatResult(&job{label: ir.Method + " " + ir.URL}, o.Result))
	}
	return blocks, scenario.Passed(outs)
}

// TestRunAndDebuggerAgree runs every example scenario without the debugger
// and under it (once straight through, once stopping in vcl_recv of every
// request and stepping), and compares every response, state, route and
// header, and the verdict.
func TestRunAndDebuggerAgree(t *testing.T) {
	files, err := filepath.Glob("../examples/*.scenario.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example scenarios: %v", err)
	}
	concurrent := false
	for _, f := range files {
		path, _ := filepath.Abs(f)
		want, passed := runWithoutDebugger(t, path)
		sc, err := scenario.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range sc.Requests {
			concurrent = concurrent || st.Kind() == "concurrent"
		}
		for _, mode := range []string{"straight", "stopping"} {
			t.Run(filepath.Base(f)+"/"+mode, func(t *testing.T) {
				c := newTestClient(t)
				c.start(map[string]any{"scenario": path}, func() {
					if mode == "stopping" {
						c.call("setFunctionBreakpoints", map[string]any{"breakpoints": []any{map[string]any{"name": "vcl_recv"}}})
					}
				})
				stops := 0
				if mode == "stopping" {
					threads := map[int]bool{}
					for {
						m := c.nextStopOrExit()
						if m == nil {
							break
						}
						stops++
						threads[m.thread] = true
						if m.reason == "function breakpoint" {
							c.call("next", map[string]any{"threadId": m.thread})
							continue
						}
						c.call("continue", map[string]any{"threadId": m.thread})
					}
					if len(threads) != len(want) {
						t.Errorf("stopped on %d thread(s), want one per request (%d)", len(threads), len(want))
					}
				}
				ex := c.runToEnd(0)
				out := c.outputText()
				pos := 0
				for i, w := range want {
					k := strings.Index(out[pos:], w)
					if k < 0 {
						t.Fatalf("request %d: the debugger's result differs from vclide run's:\nwant\n%s\ngot (from here on)\n%s", i+1, w, out[pos:])
					}
					pos += k + len(w)
				}
				if got := strings.Count(out, " → ") - strings.Count(out, "[route]") - strings.Count(out, "[cluster]"); mode == "straight" && got < len(want) {
					t.Errorf("%d result(s), want %d", got, len(want))
				}
				if (ex.Body.ExitCode == 0) != passed {
					t.Errorf("exit code %d, vclide run passed: %v", ex.Body.ExitCode, passed)
				}
				t.Logf("%d request(s) agree, %d stop(s), exit code %d", len(want), stops, ex.Body.ExitCode)
			})
		}
	}
	if !concurrent {
		t.Errorf("no example scenario has a concurrent group")
	}
}
