package dap

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// serviceExample is examples/service.vcl: production-style VCL whose
// backends (F_Heroku, F_S3) live in the Fastly service, undeclared.
func serviceExample(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "examples", "service.vcl"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// lineWith is the 1-based line of the first line of file containing text.
func lineWith(t *testing.T, file, text string) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, text) {
			return i + 1
		}
	}
	t.Fatalf("%s has no line with %q", file, text)
	return 0
}

// TestDebugServiceVCL debugs service VCL as users have it: a breakpoint
// where the request picks the undeclared F_Heroku, the values there, then
// the response after continuing, answered through the service backend.
func TestDebugServiceVCL(t *testing.T) {
	vcl := serviceExample(t)
	line := lineWith(t, vcl, "set req.backend = F_Heroku;")
	tests := []struct {
		name     string
		backends map[string]any
		out      []string
	}{
		{"embedded origin", nil, []string{
			"[note] F_Heroku: not declared in VCL; treated as a service backend answered by the embedded origin",
			"GET /api/cart → 200 (PASS)",
			"Served by the vclide embedded origin",
		}},
		{"a launch mock for the service backend", map[string]any{
			"F_Heroku": map[string]any{"responses": []any{map[string]any{"path": "/api/**", "status": 201, "body": `{"items":[]}`}}},
		}, []string{
			"[note] F_Heroku: not declared in VCL; treated as a service backend answered by the scenario's mock responses",
			"GET /api/cart → 201 (PASS)",
			`{"items":[]}`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t)
			args := map[string]any{"program": vcl, "requests": []any{"/api/cart"}}
			if tc.backends != nil {
				args["backends"] = tc.backends
			}
			c.start(args, func() {
				if got := c.setBreakpoints(vcl, bp(line)); len(got) != 1 || !got[0].Verified {
					t.Fatalf("breakpoint at line %d: %+v", line, got)
				}
			})
			st := c.stopped()
			if st.reason != "breakpoint" || st.top().Line != line {
				t.Fatalf("stopped (%s) at line %d, want the breakpoint at line %d", st.reason, st.top().Line, line)
			}
			// #FASTLY recv already selected the service's default backend.
			if got := c.eval(st.top().Id, "req.backend", "watch"); got != "F_Heroku" {
				t.Errorf("req.backend at the breakpoint = %q, want F_Heroku", got)
			}
			ex := c.runToEnd(st.thread)
			if ex.Body.ExitCode != 0 {
				t.Errorf("exit code %d", ex.Body.ExitCode)
			}
			out := c.outputText()
			if os.Getenv("VCLIDE_SHOW_OUTPUT") != "" {
				t.Logf("debug console:\n%s", out)
			}
			for _, want := range tc.out {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, "no such backend") {
				t.Errorf("output reports a missing backend:\n%s", out)
			}
		})
	}
}

// TestServeModeServiceVCL sends real requests to the debugger's live
// server for the service example: the service backend answers, and the
// VCL's reason phrase reaches the HTTP status line.
func TestServeModeServiceVCL(t *testing.T) {
	vcl := serviceExample(t)
	c := newTestClient(t)
	c.start(map[string]any{"program": vcl, "mode": "serve", "listen": "127.0.0.1:0"}, nil)
	m := servingRE.FindStringSubmatch(c.outputText())
	if m == nil {
		t.Fatalf("no serving address in the output:\n%s", c.outputText())
	}
	base := "http://" + m[1]
	tests := []struct {
		path, status, body string
	}{
		{"/healthz", "299 Cheers!", "ok"},
		{"/api/cart", "200 OK", "vclide embedded origin"},
	}
	for _, tc := range tests {
		r := waitLive(t, get(context.Background(), base+tc.path, nil))
		if r.resp.Status != tc.status || !strings.Contains(r.body, tc.body) {
			t.Errorf("%s: %q %q, want %q with %q", tc.path, r.resp.Status, r.body, tc.status, tc.body)
		}
	}
	c.call("disconnect", nil)
}

// TestDebugServiceScenario debugs the service example's scenario: the
// breakpoint is reached on the API request, and every expectation (the
// F_Heroku mock, F_S3 on the embedded origin, the reason phrases) holds.
func TestDebugServiceScenario(t *testing.T) {
	vcl := serviceExample(t)
	sc := filepath.Join(filepath.Dir(vcl), "service.scenario.yaml")
	line := lineWith(t, vcl, "set req.backend = F_Heroku;")
	c := newTestClient(t)
	c.start(map[string]any{"scenario": sc}, func() { c.setBreakpoints(vcl, bp(line)) })
	st := c.stopped()
	if st.reason != "breakpoint" || st.top().Line != line {
		t.Fatalf("stopped (%s) at line %d, want line %d", st.reason, st.top().Line, line)
	}
	if got := c.eval(st.top().Id, "req.url", "watch"); got != `"/api/cart"` {
		t.Errorf("stopped on %s, want the API request", got)
	}
	if ex := c.runToEnd(st.thread); ex.Body.ExitCode != 0 {
		t.Errorf("exit code %d (an expectation failed):\n%s", ex.Body.ExitCode, c.outputText())
	}
	for _, want := range []string{"GET /api/cart → 200 (PASS)", "GET /healthz → 299", "HTTP/1.1 299 Cheers!", "HTTP/1.1 301 Moved Permanently"} {
		if !strings.Contains(c.outputText(), want) {
			t.Errorf("output lacks %q:\n%s", want, c.outputText())
		}
	}
}

// TestDebugServiceDeclaredOrigin launches with origin "declared": the
// service example declares no host, so its backends keep the embedded
// origin and nothing else is contacted.
func TestDebugServiceDeclaredOrigin(t *testing.T) {
	c := newTestClient(t)
	c.start(map[string]any{"program": serviceExample(t), "origin": "declared", "requests": []any{"/products/shoes"}}, nil)
	if ex := c.runToEnd(0); ex.Body.ExitCode != 0 {
		t.Errorf("exit code %d", ex.Body.ExitCode)
	}
	for _, want := range []string{"GET /products/shoes → 200", "F_Heroku: not declared in VCL; treated as a service backend answered by the embedded origin"} {
		if !strings.Contains(c.outputText(), want) {
			t.Errorf("output lacks %q:\n%s", want, c.outputText())
		}
	}
}
