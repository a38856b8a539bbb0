package analysis

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// at renders a location as file:line:col.
func at(src *syntax.Source, r syntax.Range) string {
	if src == nil {
		return "?"
	}
	p := src.Position(r.Start)
	return fmt.Sprintf("%s:%d:%d", src.Name, p.Line, p.Col)
}

func atLoc(l Location) string { return at(l.File, l.Range) }

// renderProgram renders everything a consumer sees of a program, with
// positions as file:line:col: diagnostics, symbols and their references,
// subroutine properties, and the type, reference and call of every node.
func renderProgram(p *Program) []string {
	var out []string
	for _, d := range p.Diagnostics {
		line := fmt.Sprintf("diag %s %s %s %s %v %v", atLoc(Location{d.File, d.Range}), d.Severity, d.Code, d.Message, d.Suggestions, d.Data)
		for _, r := range d.Related {
			line += " | " + at(r.File, r.Range) + " " + r.Message
		}
		out = append(out, line)
	}
	sym := func(s *Symbol) string {
		if s == nil {
			return "nil"
		}
		refs := make([]string, len(s.Refs))
		for i, r := range s.Refs {
			refs[i] = atLoc(r)
		}
		owner := ""
		if s.Owner != nil {
			owner = s.Owner.Name
		}
		return fmt.Sprintf("%s %s@%s type=%v ext=%v owner=%s decl=%T refs=%v", s.Kind, s.Name, atLoc(s.NameLoc), s.Type, s.External, owner, s.Decl, refs)
	}
	for _, g := range p.SortedGlobals() {
		out = append(out, "global "+sym(g))
	}
	for _, s := range p.SubList {
		callers := make([]string, len(s.Callers))
		for i, c := range s.Callers {
			callers[i] = c.Name
		}
		calls := make([]string, len(s.Calls))
		for i, c := range s.Calls {
			calls[i] = c.Callee.Name + "@" + atLoc(c.Loc)
		}
		out = append(out, fmt.Sprintf("sub %s scopes=%v kind=%v macro=%v rec=%v ret=%v callers=%v calls=%v symbol=%s",
			s.Name, s.Scopes, s.Kind, s.HasMacro, s.Recursive, s.ReturnT, callers, calls, sym(s.Symbol)))
		for _, m := range []map[string]*Symbol{s.Locals, s.Labels} {
			names := keys(m)
			for _, n := range names {
				out = append(out, "  "+sym(m[n]))
			}
		}
	}
	for _, sc := range p.SiblingCalls {
		out = append(out, "sibling "+sc.Sub.Name+"@"+atLoc(sc.Loc))
	}
	var lits []string
	for _, f := range p.Files {
		src := f.Source
		syntax.Inspect(f, func(n syntax.Node) bool {
			e, ok := n.(syntax.Expr)
			if !ok {
				return true
			}
			line := fmt.Sprintf("node %T %s type=%v", n, at(src, n.Span()), p.TypeOf(e))
			switch n := n.(type) {
			case *syntax.Ident:
				switch r := p.RefOf(n).(type) {
				case *Symbol:
					line += " ref=" + r.Kind.String() + " " + r.Name + "@" + atLoc(r.NameLoc)
				case *catalog.Variable:
					line += " ref=variable " + r.Name
				case nil:
				default:
					line += fmt.Sprintf(" ref=%T", r)
				}
			case *syntax.CallExpr:
				fn, sig := p.CallOf(n)
				switch fn := fn.(type) {
				case *Sub:
					line += " call=sub " + fn.Name
				case *catalog.Function:
					line += " call=func " + fn.Name
				}
				if sig != nil {
					line += " sig=" + sig.String()
				}
			case *syntax.StringLit:
				if p.RegexLits[n] {
					lits = append(lits, at(src, n.Range))
				}
			}
			out = append(out, line)
			return true
		})
	}
	sort.Strings(lits)
	out = append(out, "regex "+strings.Join(lits, " "))
	return out
}

const incMain = `# vclide: test program
backend F_a { .host = "a.example"; }
director d1 random { { .backend = F_a; .weight = 1; } }
acl internal { "10.0.0.0"/8; }
table t INTEGER { "k": 1 }
table names { "a": "b" }

sub typed STRING {
  return "x";
}

sub reads_table {
  declare local var.n INTEGER;
  set var.n = table.lookup_integer(t, req.url.path, 0);
  set req.http.N = var.n;
}

sub plain {
  declare local var.unused STRING;
  set req.http.P = "p";
  if (req.url ~ "^/p") { set req.http.Q = "1"; }
}

sub uses_typed {
  set req.http.T = typed();
}

sub scoped {
  set req.http.S = "s";
}

sub vcl_recv {
#FASTLY recv
  call reads_table;
  call plain;
  call uses_typed;
  call scoped;
  if (client.ip ~ internal) { set req.backend = d1; }
  include "inc";
  return(lookup);
}

sub vcl_fetch {
#FASTLY fetch
  set beresp.http.X = "1";
  return(deliver);
}
`

const incSnippet = "set req.http.Inc = table.lookup(names, \"a\");\n"

// checkIncremental checks text2 reusing the check of text1 (the file is
// reparsed so that unchanged declarations keep their nodes), and checks
// the same tree from scratch.
func checkIncremental(t *testing.T, text1, text2 string, fs1, fs2 memFS) (inc, fresh, prev *Program) {
	t.Helper()
	f1 := syntax.ParseChunked("/w/main.vcl", text1)
	prev = CheckFile(f1, Options{FS: fs1})
	f2 := syntax.Reparse(f1, text2)
	inc = CheckFile(f2, Options{FS: fs2, Previous: prev})
	fresh = CheckFile(f2, Options{FS: fs2})
	if inc.Options.Previous != nil {
		t.Fatal("the program keeps the previous program")
	}
	return inc, fresh, prev
}

// TestIncrementalEqualsFresh: for edits of every kind, the incremental
// check equals a check from scratch of the same tree, and only the
// subroutines the edit affects are checked again.
func TestIncrementalEqualsFresh(t *testing.T) {
	fs := memFS{"/w/inc.vcl": incSnippet}
	tests := []struct {
		name      string
		from, to  string // a replacement in the main file ("" for none)
		fsTo      memFS  // the files after the edit (nil: unchanged)
		rechecked []string
	}{
		{"no change", "", "", nil, []string{"vcl_recv"}},
		{"edit a body", `set req.http.P = "p";`, `set req.http.P = "pp"; set req.http.Bad = 1.5s + "x";`, nil, []string{"plain", "vcl_recv"}},
		{"rename a table", "table t INTEGER", "table t2 INTEGER", nil, []string{"reads_table", "vcl_recv"}},
		{"change a table's type", "table t INTEGER", "table t STRING", nil, []string{"reads_table", "vcl_recv"}},
		{"change a sub's return type", "sub typed STRING {\n  return \"x\";", "sub typed INTEGER {\n  return 1;", nil, []string{"typed", "uses_typed", "vcl_recv"}},
		{"add a call: scopes change", "set beresp.http.X = \"1\";", "set beresp.http.X = \"1\";\n  call scoped;", nil, []string{"scoped", "vcl_fetch", "vcl_recv"}},
		{"remove a call", "  call plain;\n", "", nil, []string{"plain", "vcl_recv"}},
		{"duplicate declaration", "acl internal", "backend internal { .host = \"b\"; }\nacl internal", nil, []string{"vcl_recv"}},
		{"edit the included file", "", "", memFS{"/w/inc.vcl": "set req.http.Inc = table.lookup(missing, \"a\");\n"}, []string{"vcl_recv"}},
		{"remove a called sub", "sub typed STRING {\n  return \"x\";\n}\n", "", nil, []string{"uses_typed", "vcl_recv"}},
		{"edit a sub's name", "sub plain {", "sub plane {", nil, []string{"plane", "vcl_recv"}},
		{"add a backend with a near name", "acl internal", "backend F_b { .host = \"b\"; }\nacl internal", nil, []string{"vcl_recv"}},
		{"add a label and goto", "set req.http.S = \"s\";", "goto end;\n  set req.http.S = \"s\";\n  end:", nil, []string{"scoped", "vcl_recv"}},
		{"break a body's syntax", "set req.http.P = \"p\";", "set req.http.P = ;", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text2 := incMain
			if tc.from != "" {
				if !strings.Contains(incMain, tc.from) {
					t.Fatalf("%q is not in the program", tc.from)
				}
				text2 = strings.Replace(incMain, tc.from, tc.to, 1)
			}
			fs2 := fs
			if tc.fsTo != nil {
				fs2 = tc.fsTo
			}
			inc, fresh, prev := checkIncremental(t, incMain, text2, fs, fs2)
			got, want := renderProgram(inc), renderProgram(fresh)
			if !slices.Equal(got, want) {
				for i := 0; i < max(len(got), len(want)); i++ {
					var g, w string
					if i < len(got) {
						g = got[i]
					}
					if i < len(want) {
						w = want[i]
					}
					if g != w {
						t.Errorf("first difference at line %d:\nincremental: %s\nfrom scratch: %s", i, g, w)
						break
					}
				}
			}
			if tc.rechecked != nil {
				// Exactly the expected subs are checked again, and any
				// whose definition the parser did not reuse (an edit next
				// to it widens the re-parsed region).
				want := map[string]bool{}
				for _, n := range tc.rechecked {
					want[n] = true
				}
				for _, s := range inc.SubList {
					if s.Decl != nil && prev.Subs[s.Name] != nil && prev.Subs[s.Name].Decl != s.Decl {
						want[s.Name] = true
					}
				}
				got := map[string]bool{}
				for _, n := range inc.Rechecked() {
					got[n] = true
				}
				for _, n := range tc.rechecked {
					if !got[n] {
						t.Errorf("%s was not checked again (re-checked: %v)", n, inc.Rechecked())
					}
				}
				for n := range got {
					if !want[n] {
						t.Errorf("%s was checked again though nothing it depends on changed (re-checked: %v)", n, inc.Rechecked())
					}
				}
			}
		})
	}
}

// edit40k returns the 40k-line program and the same program with one
// statement of a body in the middle changed.
func edit40k() (string, string) {
	src := generateVCL(2000)
	i := strings.Index(src, "sub helper_1000 {")
	j := i + strings.Index(src[i:], `"section-"`)
	return src, src[:j] + `"sect-"` + src[j+len(`"section-"`):]
}

// BenchmarkCheck40k checks the already parsed 40k-line program from
// scratch: the cost an edit paid before incremental checking.
func BenchmarkCheck40k(b *testing.B) {
	src, _ := edit40k()
	f := syntax.ParseChunked("big.vcl", src)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		CheckFile(f, Options{})
	}
}

// BenchmarkRecheck40k re-checks the 40k-line program after a one-statement
// edit in one body, reusing the previous check (the re-parse is not
// timed; see BenchmarkReparseRecheck40k).
func BenchmarkRecheck40k(b *testing.B) {
	benchRecheck(b, false)
}

// BenchmarkReparseRecheck40k is the whole analysis of an edit: re-parse
// and re-check.
func BenchmarkReparseRecheck40k(b *testing.B) {
	benchRecheck(b, true)
}

func benchRecheck(b *testing.B, timeParse bool) {
	texts := [2]string{}
	texts[0], texts[1] = edit40k()
	f := syntax.ParseChunked("big.vcl", texts[0])
	prev := CheckFile(f, Options{})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if !timeParse {
			b.StopTimer()
		}
		f = syntax.Reparse(f, texts[(i+1)%2])
		if !timeParse {
			b.StartTimer()
		}
		prev = CheckFile(f, Options{Previous: prev})
		if n := len(prev.Rechecked()); n != 1 {
			b.Fatalf("re-checked %d subroutines, want 1", n)
		}
	}
}
