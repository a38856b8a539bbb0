package dap

import (
	"strings"
	"testing"

	"github.com/google/go-dap"
)

func TestScopesPerSubroutine(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	at := func(m string) int { return lineOf(t, vcl, m) }
	const (
		locals = "Locals"
		req    = "Request (req)"
		bereq  = "Backend request (bereq)"
		beresp = "Backend response (beresp)"
		obj    = "Cached object (obj)"
		resp   = "Response (resp)"
	)
	all := []string{locals, req, bereq, beresp, obj, resp, "Cache", "Clustering"}
	tests := []struct {
		sub  string
		line int
		want []string
	}{
		{"vcl_recv", at("recv-first"), []string{req, "Cache", "Clustering"}},
		{"add_trace", at("trace-set"), []string{req, "Cache", "Clustering"}},
		{"vcl_miss", at("miss-set"), []string{req, bereq, "Cache", "Clustering"}},
		{"vcl_fetch", at("fetch-header"), []string{locals, req, bereq, beresp, "Cache", "Clustering"}},
		{"vcl_deliver", at("deliver-first"), []string{req, obj, resp, "Cache", "Clustering"}},
		{"vcl_recv", at("recv-error"), []string{req, "Cache", "Clustering"}},
		{"vcl_error", at("recv-error") + 2, []string{req, obj, "Cache", "Clustering"}}, // function breakpoint: the sub's line is not checked
	}
	c := newTestClient(t)
	c.start(map[string]any{"program": vcl, "requests": []any{"/a", "/boom"}}, func() {
		c.setBreakpoints(vcl, bp(at("recv-first"), "condition", `req.url == "/a"`), bp(at("trace-set"), "condition", `req.url == "/a"`),
			bp(at("miss-set")), bp(at("fetch-header")), bp(at("deliver-first"), "condition", `req.url == "/a"`), bp(at("recv-error")))
		c.call("setFunctionBreakpoints", map[string]any{"breakpoints": []any{map[string]any{"name": "vcl_error"}}})
	})
	for _, tc := range tests {
		st := c.stopped()
		if !strings.HasPrefix(st.top().Name, tc.sub+" ") {
			t.Fatalf("stopped in %s, want %s", st.top().Name, tc.sub)
		}
		got := c.scopes(st.top().Id)
		for _, name := range all {
			want := false
			for _, w := range tc.want {
				want = want || w == name
			}
			if _, has := got[name]; has != want {
				t.Errorf("%s: scope %q present=%v, want %v", tc.sub, name, has, want)
			}
		}
		c.call("continue", map[string]any{"threadId": st.thread})
	}
	c.runToEnd(0)
}

// stopAt launches the scenario and stops at a marker.
func stopAt(t *testing.T, args map[string]any, marker string) (*testClient, stop) {
	t.Helper()
	vcl := testdata(t, "main.vcl")
	c := newTestClient(t)
	c.start(args, func() { c.setBreakpoints(vcl, bp(lineOf(t, vcl, marker))) })
	return c, c.stopped()
}

func TestVariables(t *testing.T) {
	c, st := stopAt(t, map[string]any{"scenario": testdata(t, "scenario.yaml")}, "fetch-header")
	sc := c.scopes(st.top().Id)
	beresp := c.vars(sc["Backend response (beresp)"])
	tests := []struct {
		name, want string
		vars       map[string]dap.Variable
	}{
		{"beresp.status", "200", beresp},
		{"beresp.ttl", "300.000s", beresp},
		{"beresp.response", `"OK"`, beresp},
		{"X-Origin", `"mock"`, c.vars(beresp["beresp.http"].VariablesReference)},
		{"var.ttl", "60.000s", c.vars(sc["Locals"])},
		{"req.url", `"/a"`, c.vars(sc["Request (req)"])},
		{"fastly_info.state", `"MISS-CLUSTER"`, c.vars(sc["Request (req)"])},
		{"req.restarts", "0", c.vars(sc["Request (req)"])},
		{"host", // as main.vcl writes it (req.http.host)
			`"www.example.com"`, c.vars(c.vars(sc["Request (req)"])["req.http"].VariablesReference)},
	}
	for _, tc := range tests {
		v, ok := tc.vars[tc.name]
		if !ok {
			t.Errorf("no variable %s", tc.name)
			continue
		}
		if v.Value != tc.want {
			t.Errorf("%s = %s, want %s", tc.name, v.Value, tc.want)
		}
	}
	c.runToEnd(st.thread)
}

func TestRepeatedHeader(t *testing.T) {
	args := map[string]any{"program": testdata(t, "main.vcl"), "requests": []any{
		map[string]any{"url": "/m", "headers": map[string]any{"X-Multi": []string{"one", "two"}}},
	}}
	c, st := stopAt(t, args, "recv-first")
	hdrs := c.vars(c.vars(c.scopes(st.top().Id)["Request (req)"])["req.http"].VariablesReference)
	m := hdrs["X-Multi"]
	if m.Value != `"one, two"` || m.VariablesReference == 0 {
		t.Fatalf("X-Multi = %+v", m)
	}
	vals := c.vars(m.VariablesReference)
	if vals["0"].Value != `"one"` || vals["1"].Value != `"two"` {
		t.Errorf("values %+v", vals)
	}
	c.runToEnd(st.thread)
}

func TestEvaluate(t *testing.T) {
	c, st := stopAt(t, map[string]any{"scenario": testdata(t, "scenario.yaml")}, "fetch-header")
	top := st.top().Id
	tests := []struct {
		expr, context string
		want          string // result, or the error when fail is set
		fail          bool
	}{
		{`beresp.status == 200`, "repl", "true", false},
		{`req.url "-" beresp.status`, "repl", `"/a-200"`, false},
		{`std.toupper(req.http.host)`, "watch", `"WWW.EXAMPLE.COM"`, false},
		{`beresp.http.X-Origin`, "hover", `"mock"`, false},
		{`var.ttl`, "watch", "60.000s", false},
		{`std.toupper("x")`, "hover", "not a variable", true},
		{`nonsense(`, "repl", "", true},
		{`set req.http.X-Debug = "on"`, "repl", `"on"`, false},
		{`req.http.X-Debug`, "repl", `"on"`, false},
		{`set beresp.ttl = 10s`, "repl", "10.000s", false},
		{`beresp.ttl`, "watch", "10.000s", false},
	}
	for _, tc := range tests {
		r := c.response(c.send("evaluate", map[string]any{"expression": tc.expr, "frameId": top, "context": tc.context}))
		if tc.fail {
			if r.GetResponse().Success || !strings.Contains(r.GetResponse().Message, tc.want) {
				t.Errorf("%s (%s): %+v, want an error %q", tc.expr, tc.context, r.GetResponse(), tc.want)
			}
			continue
		}
		if !r.GetResponse().Success {
			t.Errorf("%s (%s): %s", tc.expr, tc.context, r.GetResponse().Message)
			continue
		}
		if got := r.(*dap.EvaluateResponse).Body.Result; got != tc.want {
			t.Errorf("%s (%s) = %s, want %s", tc.expr, tc.context, got, tc.want)
		}
	}
	// A whole object evaluates to something expandable.
	r := c.call("evaluate", map[string]any{"expression": "beresp", "frameId": top, "context": "repl"}).(*dap.EvaluateResponse)
	if r.Body.VariablesReference == 0 {
		t.Error("evaluate beresp: not expandable")
	} else if v := c.vars(r.Body.VariablesReference); v["beresp.status"].Value != "200" {
		t.Errorf("evaluate beresp: %+v", v["beresp.status"])
	}
	c.runToEnd(st.thread)
}

func TestEvaluateOuterFrame(t *testing.T) {
	c, st := stopAt(t, map[string]any{"program": testdata(t, "main.vcl")}, "trace-set")
	if len(st.frames) != 2 {
		t.Fatalf("%d frames", len(st.frames))
	}
	outer := st.frames[1].Id
	if got := c.eval(outer, "req.url", "watch"); got != `"/"` {
		t.Errorf("req.url in the outer frame = %s", got)
	}
	msg := c.callErr("evaluate", map[string]any{"expression": "var.x", "frameId": outer, "context": "watch"})
	if !strings.Contains(msg, "outer frames") {
		t.Errorf("error %q", msg)
	}
	c.runToEnd(st.thread)
}

func TestSetVariable(t *testing.T) {
	c, st := stopAt(t, map[string]any{"scenario": testdata(t, "scenario.yaml"), "requests": []any{"/a"}}, "fetch-header")
	sc := c.scopes(st.top().Id)
	beresp := c.vars(sc["Backend response (beresp)"])
	tests := []struct {
		ref         int
		name, value string
		want        string
		fail        string
	}{
		{sc["Backend response (beresp)"], "beresp.status", "404", "404", ""},
		{sc["Backend response (beresp)"], "beresp.ttl", "5m", "300.000s", ""},
		{beresp["beresp.http"].VariablesReference, "X-Origin", "changed by the debugger", `"changed by the debugger"`, ""},
		{beresp["beresp.http"].VariablesReference, "X-Quoted", `"a" "b"`, `"ab"`, ""},
		{sc["Locals"], "var.ttl", "10s", "10.000s", ""},
		{sc["Backend response (beresp)"], "beresp.backend.name", `"x"`, "", "beresp.backend.name"},
		{sc["Cache"], "anything", "1", "", "cannot be changed"},
	}
	for _, tc := range tests {
		args := map[string]any{"variablesReference": tc.ref, "name": tc.name, "value": tc.value}
		if tc.fail != "" {
			if msg := c.callErr("setVariable", args); !strings.Contains(msg, tc.fail) {
				t.Errorf("%s: error %q, want %q", tc.name, msg, tc.fail)
			}
			continue
		}
		r := c.call("setVariable", args).(*dap.SetVariableResponse)
		if r.Body.Value != tc.want {
			t.Errorf("%s = %s, want %s", tc.name, r.Body.Value, tc.want)
		}
	}
	ex := c.runToEnd(st.thread)
	if ex.Body.ExitCode != 0 {
		t.Errorf("exit code %d, want 0 (the request completed)", ex.Body.ExitCode)
	}
	if out := c.outputText(); !contains(out, "GET /a → 404", "X-Origin: changed by the debugger") {
		t.Errorf("output:\n%s", out)
	}
}

func TestStaleReferences(t *testing.T) {
	c, st := stopAt(t, map[string]any{"program": testdata(t, "main.vcl"), "requests": []any{"/a", "/b"}}, "recv-first")
	ref := c.scopes(st.top().Id)["Request (req)"]
	c.call("continue", map[string]any{"threadId": st.thread})
	st2 := c.stopped()
	if msg := c.callErr("variables", map[string]any{"variablesReference": ref}); !strings.Contains(msg, "earlier stop") {
		t.Errorf("stale reference: %q", msg)
	}
	if msg := c.callErr("scopes", map[string]any{"frameId": st.top().Id}); !strings.Contains(msg, "earlier stop") {
		t.Errorf("stale frame: %q", msg)
	}
	c.runToEnd(st2.thread)
}

func TestCacheAndClusteringScopes(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	c := newTestClient(t)
	c.start(map[string]any{"scenario": testdata(t, "scenario.yaml")}, func() {
		c.setBreakpoints(vcl, bp(lineOf(t, vcl, "fetch-header")), bp(lineOf(t, vcl, "deliver-hit")))
	})
	// The miss, on the fetch node: vcl_miss changed req.http.X-Miss.
	st := c.stopped()
	cl := c.vars(c.scopes(st.top().Id)["Clustering"])
	if cl["clustering"].Value != "true" || cl["lost on return to delivery"].Value != "req.http.X-Miss" {
		t.Errorf("clustering scope: %+v", cl)
	}
	lost := c.vars(cl["lost on return to delivery"].VariablesReference)
	if lost["req.http.X-Miss"].Value != `"fetch-node"` {
		t.Errorf("lost: %+v", lost)
	}
	if cl["delivery node"].Value == cl["fetch node"].Value || cl["current node"].Value != cl["fetch node"].Value {
		t.Errorf("nodes: %+v", cl)
	}
	c.call("continue", map[string]any{"threadId": st.thread})
	// The second request hits the object the first one stored.
	st = c.stopped()
	if st.thread != 2 {
		t.Fatalf("stopped on thread %d", st.thread)
	}
	nodes := c.vars(c.scopes(st.top().Id)["Cache"])
	hit := false
	for name, n := range nodes {
		for key, e := range c.vars(n.VariablesReference) {
			if key != "/awww.example.com" {
				continue
			}
			facts := c.vars(e.VariablesReference)
			if facts["status"].Value != "200" || facts["phase"].Value != "fresh" {
				t.Errorf("%s: %s facts %+v", name, key, facts)
			}
			hit = hit || facts["hits"].Value == "1"
		}
	}
	if !hit {
		t.Errorf("no node shows a hit on /a: %+v", nodes)
	}
	c.runToEnd(st.thread)
}

func TestOutputEvents(t *testing.T) {
	c := newTestClient(t)
	c.start(map[string]any{"scenario": testdata(t, "scenario.yaml")}, nil)
	ex := c.runToEnd(0)
	if ex.Body.ExitCode != 0 {
		t.Errorf("exit code %d, want 0 (every expectation passed)", ex.Body.ExitCode)
	}
	for _, want := range []string{
		"trace /a\n",                  // log statement
		"[route] vcl_fetch on",        // route line
		"[cluster] hand-off",          // cluster hand-off
		"lost [req.http.X-Miss]",      // what the hand-off back dropped
		"GET /a → 200 (MISS-CLUSTER)", // the final response
		"X-Fetched: yes",
		"hello from the mock origin",
		"GET /a → 200 (HIT)",
		"expectations passed",
	} {
		if !strings.Contains(c.outputText(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
