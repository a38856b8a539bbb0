package interp

import (
	"testing"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// TestCompilerUsesCheckedSignature: the compiler converts each argument of
// a builtin call to the parameter type of the overload the checker chose
// (Program.CallOf), not by resolving the overload again (issue 15, one
// overload resolution).
func TestCompilerUsesCheckedSignature(t *testing.T) {
	e := newEngine(t, `
sub vcl_recv {
#FASTLY recv
  set req.http.a = std.itoa(req.restarts);
  set req.http.b = substr("abcdef", 1, 2);
  set req.http.c = table.lookup(t, "k", "d");
}
table t { "k": "v" }
`, engineOpts{})
	var calls []*syntax.CallExpr
	for _, st := range e.prog.Subs["vcl_recv"].Body.Stmts {
		if s, ok := st.(*syntax.SetStmt); ok {
			calls = append(calls, s.Value.(*syntax.CallExpr))
		}
	}
	if len(calls) != 3 {
		t.Fatalf("found %d calls, want 3", len(calls))
	}
	for _, call := range calls {
		_, sig := e.prog.CallOf(call)
		if sig == nil {
			t.Fatalf("the checker recorded no signature on %v", call.Fn.Name)
		}
		c := &compiler{e: e, facts: e.prog, sub: &csub{}, slots: map[string]int{}}
		ce, ok := c.expr(call).(*callExpr)
		if !ok {
			t.Fatalf("%v did not compile to a builtin call", call.Fn.Name)
		}
		for i := range call.Args {
			want := catalog.Type(0)
			if p, ok := sig.ParamAt(i); ok {
				want = p.Type
			}
			if ce.ptypes[i] != want {
				t.Errorf("%v argument %d converted to %v, want the checked signature's %v", call.Fn.Name, i, ce.ptypes[i], want)
			}
		}
	}
}
