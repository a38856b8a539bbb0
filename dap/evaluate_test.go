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
// readable where the requests stop (vcl_recv, vcl_miss, vcl_fetch,
// vcl_error and vcl_deliver): each gives a value of its type.
func TestEveryTimeAndIPVariable(t *testing.T) {
	c := newTestClient(t)
	subs := []string{"vcl_recv", "vcl_miss", "vcl_fetch", "vcl_error", "vcl_deliver"}
	kinds := []catalog.Sub{catalog.SubRecv, catalog.SubMiss, catalog.SubFetch, catalog.SubError, catalog.SubDeliver}
	c.start(map[string]any{"program": testdata(t, "main.vcl"), "requests": []any{"/a", "/boom"}}, func() {
		var fbs []any
		for _, s := range subs {
			fbs = append(fbs, map[string]any{"name": s})
		}
		c.call("setFunctionBreakpoints", map[string]any{"breakpoints": fbs})
	})
	n := 0
	seen := map[string]bool{}
	for len(seen) < len(subs) {
		st := c.stopped()
		i := -1
		for k, sub := range subs {
			if strings.HasPrefix(st.top().Name, sub+" ") {
				i = k
			}
		}
		if i < 0 || seen[subs[i]] {
			c.call("continue", map[string]any{"threadId": st.thread})
			continue
		}
		sub := subs[i]
		seen[sub] = true
		for _, v := range catalog.Variables() {
			if v.Pattern || !v.Readable(kinds[i]) {
				continue
			}
			if v.Type != catalog.TypeTime && v.Type != catalog.TypeRTime && v.Type != catalog.TypeIP {
				continue
			}
			n++
			r := c.evalResp(st.top().Id, v.Name, "watch")
			if !r.Success {
				t.Errorf("%s in %s: %s", v.Name, sub, r.Message)
				continue
			}
			if r.Body.Type != v.Type.String() || r.Body.Result == "" || r.Body.Result == `"`+v.Name+`"` {
				t.Errorf("%s in %s = %s (%s), want a %s", v.Name, sub, r.Body.Result, r.Body.Type, v.Type)
			}
		}
		c.call("continue", map[string]any{"threadId": st.thread})
	}
	t.Logf("%d evaluations of TIME, RTIME and IP variables in %d subroutines", n, len(subs))
	if n < 40 {
		t.Errorf("only %d evaluations", n)
	}
	c.runToEnd(0)
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
