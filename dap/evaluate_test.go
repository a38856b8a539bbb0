package dap

import (
	"strings"
	"testing"

	"github.com/google/go-dap"

	"github.com/vclide/vclide/analysis/catalog"
)

// evalResult evaluates and returns the response (success or not).
func (c *testClient) evalResp(frame int, expr, context string) *dap.EvaluateResponse {
	c.tb.Helper()
	r := c.response(c.send("evaluate", map[string]any{"expression": expr, "frameId": frame, "context": context}))
	if !r.GetResponse().Success {
		return &dap.EvaluateResponse{Response: *r.GetResponse()}
	}
	return r.(*dap.EvaluateResponse)
}

// TestCheckedEvaluate: debugger expressions are parsed by the VCL parser
// and checked in the scope of the stopped frame, with the checker's
// diagnostics and types; console statements run only as statements.
func TestCheckedEvaluate(t *testing.T) {
	c, st := stopAt(t, map[string]any{"scenario": testdata(t, "scenario.yaml")}, "fetch-header")
	top := st.top().Id
	tests := []struct {
		expr, context string
		typ, result   string // result: a prefix ("" to skip)
		fail          string // part of the error
	}{
		{"now", "watch", "TIME", "Mon, 01 Jan 2024", ""},
		{"now + 1h", "watch", "TIME", "Mon, 01 Jan 2024 01:", ""},
		{"now - 1d", "repl", "TIME", "Sun, 31 Dec 2023", ""},
		{"time.start", "watch", "TIME", "", ""},
		{"beresp.ttl", "watch", "RTIME", "300.000s", ""},
		{"var.ttl", "watch", "RTIME", "60.000s", ""},
		{"client.ip", "hover", "IP", "192.0.2.1", ""},
		{"beresp.status", "repl", "INTEGER", "200", ""},
		{"beresp.status + 1", "repl", "STRING", `"201"`, ""}, // the checker's type, as in `set req.http.X = beresp.status + 1;`
		{`req.url ~ "^/a"`, "watch", "BOOL", "true", ""},
		{`std.strlen(req.url)`, "watch", "INTEGER", "2", ""},
		// The checker's diagnostics, as for source code.
		{"req.nope", "watch", "", "", "req.nope"},
		{"resp.status", "watch", "", "", "cannot be read in vcl_fetch"},
		{"var.missing", "watch", "", "", "var.missing is not declared"},
		{"std.strlen(1, 2)", "watch", "", "", "std.strlen"},
		{"beresp.status +", "repl", "", "", "syntax error"},
		{"req.url )", "watch", "", "", "syntax error"},
		// Statements run only in the console, only as statements.
		{`set beresp.http.X-Console = "yes"`, "repl", "STRING", `"yes"`, ""},
		{`beresp.http.X-Console`, "watch", "STRING", `"yes"`, ""},
		{`unset beresp.http.X-Console`, "repl", "STRING", "(not set)", ""},
		{`set beresp.ttl += 5s;`, "repl", "RTIME", "305.000s", ""},
		{`set beresp.http.X-Console = "yes"`, "watch", "", "", "syntax error"},
		{`set beresp.status = "text"`, "repl", "", "", "beresp.status"},
		{`set resp.status = 1`, "repl", "", "", "resp.status"},
		{`declare local var.x INTEGER`, "repl", "", "", "runs set, add, unset and remove"},
		{`call add_trace`, "repl", "", "", "runs set, add, unset and remove"},
		{`set beresp.http.X = 1 +`, "repl", "", "", "syntax error"},
	}
	for _, tc := range tests {
		r := c.evalResp(top, tc.expr, tc.context)
		if tc.fail != "" {
			if r.Success || !strings.Contains(r.Message, tc.fail) {
				t.Errorf("%s (%s): success %v %q, want an error with %q", tc.expr, tc.context, r.Success, r.Message, tc.fail)
			}
			continue
		}
		if !r.Success {
			t.Errorf("%s (%s): %s", tc.expr, tc.context, r.Message)
			continue
		}
		if r.Body.Type != tc.typ || !strings.HasPrefix(r.Body.Result, tc.result) {
			t.Errorf("%s (%s) = %s (%s), want %s… (%s)", tc.expr, tc.context, r.Body.Result, r.Body.Type, tc.result, tc.typ)
		}
	}
	c.runToEnd(st.thread)
}

// TestEveryTimeAndIPVariable evaluates every TIME, RTIME and IP variable
// readable in vcl_fetch: each gives a value of its type.
func TestEveryTimeAndIPVariable(t *testing.T) {
	c, st := stopAt(t, map[string]any{"scenario": testdata(t, "scenario.yaml")}, "fetch-header")
	n := 0
	for _, v := range catalog.Variables() {
		if v.Pattern || !v.Readable(catalog.SubFetch) {
			continue
		}
		if v.Type != catalog.TypeTime && v.Type != catalog.TypeRTime && v.Type != catalog.TypeIP {
			continue
		}
		n++
		r := c.evalResp(st.top().Id, v.Name, "watch")
		if !r.Success {
			if strings.Contains(r.Message, "not simulated") {
				continue
			}
			t.Errorf("%s: %s", v.Name, r.Message)
			continue
		}
		if r.Body.Type != v.Type.String() || r.Body.Result == "" || r.Body.Result == `"`+v.Name+`"` {
			t.Errorf("%s = %s (%s), want a %s", v.Name, r.Body.Result, r.Body.Type, v.Type)
		}
	}
	if n < 10 {
		t.Errorf("only %d TIME/RTIME/IP variables", n)
	}
	c.runToEnd(st.thread)
}

// TestNoGoInternals: errors from values typed by the user never show Go
// messages.
func TestNoGoInternals(t *testing.T) {
	c, st := stopAt(t, map[string]any{"scenario": testdata(t, "scenario.yaml")}, "fetch-header")
	sc := c.scopes(st.top().Id)
	for _, tc := range []struct {
		ref         int
		name, value string
	}{
		{sc["Backend response (beresp)"], "beresp.status", "abc"},
		{sc["Backend response (beresp)"], "beresp.status", "99999999999999999999999"},
		{sc["Backend response (beresp)"], "beresp.ttl", "soon"},
		{sc["Locals"], "var.ttl", `"x"`},
	} {
		msg := c.callErr("setVariable", map[string]any{"variablesReference": tc.ref, "name": tc.name, "value": tc.value})
		t.Logf("%s = %s: %s", tc.name, tc.value, msg)
		if strings.Contains(msg, "strconv") || strings.Contains(msg, "parsing ") || strings.Contains(msg, "Parse") {
			t.Errorf("%s = %s: %q exposes Go internals", tc.name, tc.value, msg)
		}
	}
	for _, expr := range []string{`std.atoi("x") + 99999999999999999999`, `std.integer2time(-99999999999999999)`} {
		if r := c.evalResp(st.top().Id, expr, "repl"); !r.Success && (strings.Contains(r.Message, "strconv") || strings.Contains(r.Message, "parsing ")) {
			t.Errorf("%s: %q exposes Go internals", expr, r.Message)
		}
	}
	c.runToEnd(st.thread)
}
