package analysis

import (
	"testing"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// describeRef renders what RefOf returned, for comparisons.
func describeRef(ref any) string {
	switch r := ref.(type) {
	case nil:
		return "nil"
	case *Symbol:
		s := r.Kind.String() + " " + r.Name
		if r.Owner != nil {
			s += " of " + r.Owner.Name
		}
		return s
	case *catalog.Variable:
		return "variable " + r.Name
	}
	return "unexpected"
}

// identsNamed lists the identifiers spelt name in f, in source order.
func identsNamed(f *syntax.File, name string) []*syntax.Ident {
	var out []*syntax.Ident
	syntax.Inspect(f, func(n syntax.Node) bool {
		if id, ok := n.(*syntax.Ident); ok && id.Name == name {
			out = append(out, id)
		}
		return true
	})
	return out
}

const sideTableMain = `backend F_a { .host = "a"; }
director d1 random { { .backend = F_a; .weight = 1; } }
acl internal { "10.0.0.0"/8; }
table t INTEGER { "k": 1 }
sub helper(STRING var.s) STRING {
  declare local var.n INTEGER;
  set var.n = table.lookup_integer(t, var.s, 0);
  return var.s;
}
sub vcl_recv {
#FASTLY recv
  declare local var.x STRING;
  set var.x = helper(req.url);
  if (client.ip ~ internal) { goto done; }
  include "inc";
  done:
  set req.backend = d1;
}
sub vcl_recv {
  set req.http.B = var.x;
}
`

// TestSideTables: what the checker learns is found through the Program for
// every kind of node: declarations, uses in bodies, repeated definitions,
// director members and inline-included snippets.
func TestSideTables(t *testing.T) {
	fs := memFS{"/w/main.vcl": sideTableMain, "/w/inc.vcl": "set req.http.X = var.x;\n"}
	p, err := Load("/w/main.vcl", Options{FS: fs})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Files) != 2 {
		t.Fatalf("loaded %d files", len(p.Files))
	}
	tests := []struct {
		file  int
		name  string
		nth   int
		ref   string
		typ   catalog.Type
		isUse bool // an expression whose type is checked
	}{
		{0, "F_a", 0, "backend F_a", catalog.TypeUnknown, false},
		{0, "F_a", 1, "backend F_a", catalog.TypeBackend, true},
		{0, "d1", 0, "director d1", catalog.TypeUnknown, false},
		{0, "d1", 1, "director d1", catalog.TypeBackend, true},
		{0, "internal", 1, "acl internal", catalog.TypeACL, true},
		{0, "t", 1, "table t", catalog.TypeTable, true},
		{0, "helper", 0, "subroutine helper", catalog.TypeUnknown, false},
		{0, "helper", 1, "subroutine helper", catalog.TypeUnknown, false},
		{0, "var.s", 0, "parameter var.s of helper", catalog.TypeUnknown, false},
		{0, "var.s", 1, "parameter var.s of helper", catalog.TypeString, true},
		{0, "var.n", 0, "local variable var.n of helper", catalog.TypeUnknown, false},
		{0, "vcl_recv", 0, "subroutine vcl_recv", catalog.TypeUnknown, false},
		{0, "vcl_recv", 1, "subroutine vcl_recv", catalog.TypeUnknown, false},
		{0, "var.x", 1, "local variable var.x of vcl_recv", catalog.TypeUnknown, false},
		{0, "var.x", 2, "local variable var.x of vcl_recv", catalog.TypeString, true},
		{0, "done", 0, "label done of vcl_recv", catalog.TypeUnknown, false},
		{0, "done", 1, "label done of vcl_recv", catalog.TypeUnknown, false},
		{0, "req.url", 0, "variable req.url", catalog.TypeString, true},
		{0, "client.ip", 0, "variable client.ip", catalog.TypeIP, true},
		{1, "var.x", 0, "local variable var.x of vcl_recv", catalog.TypeString, true},
		{1, "req.http.X", 0, "variable req.http.*", catalog.TypeUnknown, false},
		{0, "table.lookup_integer", 0, "nil", catalog.TypeUnknown, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ids := identsNamed(p.Files[tc.file], tc.name)
			if tc.nth >= len(ids) {
				t.Fatalf("only %d identifiers %s", len(ids), tc.name)
			}
			id := ids[tc.nth]
			if got := describeRef(p.RefOf(id)); got != tc.ref {
				t.Errorf("RefOf = %s, want %s", got, tc.ref)
			}
			if tc.isUse {
				if got := p.TypeOf(id); got != tc.typ {
					t.Errorf("TypeOf = %v, want %v", got, tc.typ)
				}
			}
		})
	}
	// The two definitions of vcl_recv name the same subroutine.
	recv := identsNamed(p.Root, "vcl_recv")
	if p.RefOf(recv[0]) != p.RefOf(recv[1]) || p.RefOf(recv[0]) != p.Subs["vcl_recv"].Symbol {
		t.Errorf("the definitions of vcl_recv resolve to different symbols")
	}

	var calls []*syntax.CallExpr
	var match *syntax.BinaryExpr
	syntax.Inspect(p.Root, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.CallExpr:
			calls = append(calls, n)
		case *syntax.BinaryExpr:
			match = n
		}
		return true
	})
	if len(calls) != 2 {
		t.Fatalf("%d calls", len(calls))
	}
	fn, sig := p.CallOf(calls[0])
	if f, ok := fn.(*catalog.Function); !ok || f.Name != "table.lookup_integer" || sig == nil {
		t.Errorf("CallOf(table.lookup_integer) = %v, %v", fn, sig)
	}
	if got := p.TypeOf(calls[0]); got != catalog.TypeInteger {
		t.Errorf("TypeOf(table.lookup_integer(…)) = %v", got)
	}
	fn, sig = p.CallOf(calls[1])
	if s, ok := fn.(*Sub); !ok || s != p.Subs["helper"] || sig != nil {
		t.Errorf("CallOf(helper(…)) = %v, %v", fn, sig)
	}
	if got := p.TypeOf(calls[1]); got != catalog.TypeString {
		t.Errorf("TypeOf(helper(…)) = %v", got)
	}
	if got := p.TypeOf(match); got != catalog.TypeBool {
		t.Errorf("TypeOf(client.ip ~ internal) = %v", got)
	}
	// Nodes the program never saw are unknown.
	e, _, _ := syntax.ParseExpr("x", "req.url")
	if p.TypeOf(e) != catalog.TypeUnknown || p.RefOf(e.(*syntax.Ident)) != nil {
		t.Errorf("a foreign node has a type or a reference")
	}
}

// TestFragmentFacts: debugger input is checked into its own side table,
// and its locals resolve in the scope's subroutine.
func TestFragmentFacts(t *testing.T) {
	p := ParseFile("main.vcl", sideTableMain, Options{FS: memFS{}})
	e, src, _ := syntax.ParseExpr("console", `var.x + "!"`)
	typ, facts, diags := p.CheckExpr(FragmentScope{Sub: p.Subs["vcl_recv"], Scopes: catalog.SetOf(catalog.SubRecv)}, e, src, catalog.TypeUnknown)
	if len(diags) > 0 {
		t.Fatalf("diagnostics: %s", diags[0].Message)
	}
	if typ != catalog.TypeString || facts.TypeOf(e) != catalog.TypeString {
		t.Errorf("type %v, recorded %v", typ, facts.TypeOf(e))
	}
	x := e.(*syntax.BinaryExpr).X.(*syntax.Ident)
	if got := describeRef(facts.RefOf(x)); got != "local variable var.x of vcl_recv" {
		t.Errorf("RefOf(var.x) = %s", got)
	}
	if facts.TypeOf(x) != catalog.TypeString {
		t.Errorf("TypeOf(var.x) = %v", facts.TypeOf(x))
	}
	// The program learnt nothing about the fragment.
	if p.RefOf(x) != nil || p.TypeOf(x) != catalog.TypeUnknown {
		t.Errorf("the fragment was recorded in the program")
	}
	if refs := p.Subs["vcl_recv"].Locals["var.x"].Refs; len(refs) != 2 {
		t.Errorf("var.x has %d references, want the 2 in main.vcl", len(refs))
	}
}
