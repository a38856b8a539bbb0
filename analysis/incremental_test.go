package analysis

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"sync"
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
				if p.RegexLits()[n] {
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

// cachedParse is an Options.Parse that returns the same File for the same
// text of a path, as the language server's parse cache does for files
// that did not change.
func cachedParse() func(path, text string) *syntax.File {
	cache := map[[2]string]*syntax.File{}
	return func(path, text string) *syntax.File {
		k := [2]string{path, text}
		if f := cache[k]; f != nil {
			return f
		}
		f := syntax.Parse(path, text)
		cache[k] = f
		return f
	}
}

// checkIncremental checks text2 reusing the check of text1 (the file is
// reparsed so that unchanged declarations keep their nodes), and checks
// the same tree from scratch.
func checkIncremental(t *testing.T, text1, text2 string, fs1, fs2 memFS) (inc, fresh, prev *Program) {
	t.Helper()
	parse := cachedParse()
	f1 := syntax.ParseChunked("/w/main.vcl", text1)
	prev = CheckFile(f1, Options{FS: fs1, Parse: parse})
	f2 := syntax.Reparse(f1, text2)
	inc = CheckFile(f2, Options{FS: fs2, Parse: parse, Previous: prev})
	fresh = CheckFile(f2, Options{FS: fs2, Parse: parse})
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
		{"no change", "", "", nil, []string{}},
		{"edit a body", `set req.http.P = "p";`, `set req.http.P = "pp"; set req.http.Bad = 1.5s + "x";`, nil, []string{"plain"}},
		{"rename a table", "table t INTEGER", "table t2 INTEGER", nil, []string{"reads_table"}},
		{"change a table's type", "table t INTEGER", "table t STRING", nil, []string{"reads_table"}},
		{"change a sub's return type", "sub typed STRING {\n  return \"x\";", "sub typed INTEGER {\n  return 1;", nil, []string{"typed", "uses_typed"}},
		{"add a call: scopes change", "set beresp.http.X = \"1\";", "set beresp.http.X = \"1\";\n  call scoped;", nil, []string{"scoped", "vcl_fetch"}},
		{"remove a call", "  call plain;\n", "", nil, []string{"plain", "vcl_recv"}},
		{"duplicate declaration", "acl internal", "backend internal { .host = \"b\"; }\nacl internal", nil, []string{"vcl_recv"}},
		{"edit the included file", "", "", memFS{"/w/inc.vcl": "set req.http.Inc = table.lookup(missing, \"a\");\n"}, []string{"vcl_recv"}},
		{"remove a called sub", "sub typed STRING {\n  return \"x\";\n}\n", "", nil, []string{"uses_typed"}},
		{"edit a sub's name", "sub plain {", "sub plane {", nil, []string{"plane", "vcl_recv"}},
		{"add a backend with a near name", "acl internal", "backend F_b { .host = \"b\"; }\nacl internal", nil, []string{}},
		{"add a label and goto", "set req.http.S = \"s\";", "goto end;\n  set req.http.S = \"s\";\n  end:", nil, []string{"scoped"}},
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

// incDecls and incStmts are what random edits insert: declarations that
// change globals, signatures and scopes, and statements that change
// references, labels, includes, flow facts and syntax.
var incDecls = []string{
	"table t STRING { \"k\": \"v\" }",
	"table t2 INTEGER { }",
	"backend F_c { .host = \"c\"; }",
	"backend internal { .host = \"i\"; }",
	"sub extra { call plain; }",
	"sub typed INTEGER {\n  return 2;\n}",
	"sub plain(STRING var.p) {\n  set req.http.P = var.p;\n}",
	"sub vcl_miss {\n#FASTLY miss\n  set req.http.Lost = \"1\";\n  call scoped;\n  return(fetch);\n}",
	"sub vcl_deliver {\n#FASTLY deliver\n  set resp.http.L = req.http.Lost;\n  call reads_table;\n  return(deliver);\n}",
	"sub vcl_error {\n#FASTLY error\n  call plain;\n  restart;\n}",
	"sub vcl_recv {\n  call extra;\n}",
	"sub {",
}

var incStmts = []string{
	"  call scoped;",
	"  call plain;",
	"  call extra;",
	"  call missing_sub;",
	"  set req.http.Z = var.n;",
	"  declare local var.n INTEGER;",
	"  goto end;",
	"  end:",
	"  restart;",
	"  error 600;",
	"  set req.backend = F_a;",
	"  set req.backend = F_b;",
	"  set req.http.W = typed();",
	"  include \"inc\";",
	"  if (req.restarts == 0) { set req.backend = F_a; }",
	"  set req.http.R = regsub(req.url, \"^/(a\", \"\");",
	"  set req.http.T = table.lookup(t, \"k\");",
	"  set req.http.Lost = \"2\";",
	"  esi;",
	"  synthetic \"x\";",
	"  # vclide-ignore-next-line",
	"  set req.http.B = \"{\";",
	"  }",
}

// randomEdit changes one declaration of text (declarations are separated
// by blank lines): replaces, inserts or deletes one of its lines, inserts
// or deletes a whole declaration, or changes a name or type everywhere.
func randomEdit(rng *rand.Rand, text string) string {
	decls := strings.Split(text, "\n\n")
	d := rng.IntN(len(decls))
	switch rng.IntN(10) {
	case 0:
		decls = slices.Insert(decls, d, incDecls[rng.IntN(len(incDecls))])
	case 1:
		if len(decls) > 1 {
			decls = slices.Delete(decls, d, d+1)
		}
	case 2:
		swaps := [][2]string{{"table t ", "table t2 "}, {"INTEGER", "STRING"}, {"sub typed STRING", "sub typed INTEGER"}, {"F_a", "F_b"}, {"call plain;", "call scoped;"}}
		sw := swaps[rng.IntN(len(swaps))]
		if rng.IntN(2) == 0 {
			sw[0], sw[1] = sw[1], sw[0]
		}
		return strings.Replace(text, sw[0], sw[1], 1)
	default:
		lines := strings.Split(decls[d], "\n")
		i := rng.IntN(len(lines))
		switch rng.IntN(3) {
		case 0:
			lines = slices.Delete(lines, i, i+1)
		case 1:
			lines[i] = incStmts[rng.IntN(len(incStmts))]
		default:
			lines = slices.Insert(lines, i, incStmts[rng.IntN(len(incStmts))])
		}
		decls[d] = strings.Join(lines, "\n")
	}
	return strings.Join(decls, "\n\n")
}

// TestIncrementalRandomEdits chains incremental checks over random edit
// sequences (each reusing the last) and compares every step with a check
// from scratch of the same tree.
func TestIncrementalRandomEdits(t *testing.T) {
	steps := 400
	if testing.Short() {
		steps = 60
	}
	for seed := uint64(1); seed <= 3; seed++ {
		rng := rand.New(rand.NewPCG(seed, 14))
		text := incMain
		fs := memFS{"/w/inc.vcl": incSnippet}
		parse := cachedParse()
		f := syntax.ParseChunked("/w/main.vcl", text)
		prev := CheckFile(f, Options{FS: fs, Parse: parse})
		reused, total := 0, 0
		for step := 0; step < steps; step++ {
			if rng.IntN(25) == 0 {
				text = incMain // start again from a valid program
			}
			before, fBefore, progBefore := text, f, prev
			text = randomEdit(rng, text)
			if rng.IntN(10) == 0 {
				inc := incSnippet
				if rng.IntN(2) == 0 {
					inc = incStmts[rng.IntN(len(incStmts))] + "\n"
				}
				fs = memFS{"/w/inc.vcl": inc}
			}
			f = syntax.Reparse(f, text)
			inc := CheckFile(f, Options{FS: fs, Parse: parse, Previous: prev})
			fresh := CheckFile(f, Options{FS: fs, Parse: parse})
			if got, want := renderProgram(inc), renderProgram(fresh); !slices.Equal(got, want) {
				for i := range max(len(got), len(want)) {
					if i >= len(got) || i >= len(want) || got[i] != want[i] {
						g, w := "(none)", "(none)"
						if i < len(got) {
							g = got[i]
						}
						if i < len(want) {
							w = want[i]
						}
						t.Fatalf("seed %d step %d: first difference at line %d:\nincremental: %s\nfrom scratch: %s\ntext:\n%s", seed, step, i, g, w, text)
					}
				}
			}
			reused += len(inc.SubList) - len(inc.Rechecked())
			total += len(inc.SubList)
			prev = inc
			if len(f.Errors) > 0 && rng.IntN(4) != 0 {
				// Mostly undo syntax errors, as a typist does (the broken
				// file was re-parsed whole and shares nothing).
				text, f, prev = before, fBefore, progBefore
			}
		}
		t.Logf("seed %d: %d of %d subroutine checks reused", seed, reused, total)
		if reused == 0 {
			t.Errorf("seed %d: no subroutine was ever reused", seed)
		}
	}
}

// FuzzIncrementalCheck: checking b reusing the check of a (b re-parsed
// from a) equals checking b from scratch.
func FuzzIncrementalCheck(f *testing.F) {
	f.Add(incMain, strings.Replace(incMain, "table t INTEGER", "table t STRING", 1))
	f.Add(incMain, strings.Replace(incMain, "  call plain;\n", "", 1))
	rng := rand.New(rand.NewPCG(7, 7))
	for range 8 {
		f.Add(incMain, randomEdit(rng, randomEdit(rng, incMain)))
	}
	fs := memFS{"/w/inc.vcl": incSnippet}
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) > 1<<16 || len(b) > 1<<16 {
			return
		}
		fa := syntax.ParseChunked("/w/main.vcl", a)
		prev := CheckFile(fa, Options{FS: fs})
		fb := syntax.Reparse(fa, b)
		inc := CheckFile(fb, Options{FS: fs, Previous: prev})
		fresh := CheckFile(fb, Options{FS: fs})
		if got, want := renderProgram(inc), renderProgram(fresh); !slices.Equal(got, want) {
			t.Fatalf("incremental check differs from a check from scratch")
		}
	})
}

// TestIncrementalSiblingSubs: calls of subroutines defined in sibling files
// (Options.WorkspaceSubs) are adopted with the sub, and a sub whose sibling
// disappears is checked again.
func TestIncrementalSiblingSubs(t *testing.T) {
	text := "sub vcl_recv {\n#FASTLY recv\n  call from_sibling;\n  set req.http.X = typed_sibling();\n}\n\nsub other {\n  set req.http.O = \"1\";\n}\n"
	sib := map[string]*ExternalSub{
		"from_sibling":  {Name: "from_sibling"},
		"typed_sibling": {Name: "typed_sibling", ReturnT: catalog.TypeString},
	}
	tests := []struct {
		name      string
		subs      map[string]*ExternalSub
		rechecked []string
	}{
		{"same siblings", sib, []string{"other"}},
		{"a sibling's type changes", map[string]*ExternalSub{"from_sibling": sib["from_sibling"], "typed_sibling": {Name: "typed_sibling", ReturnT: catalog.TypeInteger}}, []string{"vcl_recv", "other"}},
		{"a sibling disappears", map[string]*ExternalSub{"typed_sibling": sib["typed_sibling"]}, []string{"vcl_recv", "other"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f1 := syntax.ParseChunked("/w/main.vcl", text)
			prev := CheckFile(f1, Options{WorkspaceSubs: sib})
			f2 := syntax.Reparse(f1, strings.Replace(text, `"1"`, `"2"`, 1))
			inc := CheckFile(f2, Options{WorkspaceSubs: tc.subs, Previous: prev})
			fresh := CheckFile(f2, Options{WorkspaceSubs: tc.subs})
			if got, want := renderProgram(inc), renderProgram(fresh); !slices.Equal(got, want) {
				t.Errorf("incremental:\n%s\nfrom scratch:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if len(inc.SiblingCalls) == 0 {
				t.Errorf("no sibling calls recorded")
			}
			if got := inc.Rechecked(); !slices.Equal(got, tc.rechecked) {
				t.Errorf("re-checked %v, want %v", got, tc.rechecked)
			}
		})
	}
}

// TestIncrementalWithTests: a program checked with unit-test files adopts
// test subroutines, hooks and helpers like any other, and re-checks the
// tests that call or mock a subroutine whose signature changed.
func TestIncrementalWithTests(t *testing.T) {
	const test = `// @scope: recv
sub test_helper {
  testing.call_subroutine("helper");
  assert.equal(req.http.X, "1");
}

sub typed_helper STRING {
  return "h";
}

describe group {
  before_recv {
    set req.http.B = typed_helper();
  }

  sub test_mock {
    testing.mock("helper", "typed_helper");
    testing.call_subroutine("vcl_recv");
  }
}
`
	edits := []struct {
		name, mainFrom, mainTo, testFrom, testTo string
		rechecked                                []string
	}{
		{"edit a test body", "", "", `"1"`, `"2"`, []string{"test_helper"}},
		{"edit the VCL under test", `"1"`, `"3"`, "", "", []string{"helper"}},
		{"remove the called sub", "sub helper { set req.http.X = \"1\"; }\n", "", "", "", nil},
	}
	for _, tc := range edits {
		t.Run(tc.name, func(t *testing.T) {
			m1 := syntax.ParseChunked("main.vcl", mainVCL)
			t1 := syntax.ParseChunked("main.test.vcl", test)
			prev := CheckWithTests(m1, []*syntax.File{t1}, Options{})
			m2, t2 := m1, t1
			if tc.mainFrom != "" {
				m2 = syntax.Reparse(m1, strings.Replace(mainVCL, tc.mainFrom, tc.mainTo, 1))
			}
			if tc.testFrom != "" {
				t2 = syntax.Reparse(t1, strings.Replace(test, tc.testFrom, tc.testTo, 1))
			}
			inc := CheckWithTests(m2, []*syntax.File{t2}, Options{Previous: prev})
			fresh := CheckWithTests(m2, []*syntax.File{t2}, Options{})
			if got, want := renderProgram(inc), renderProgram(fresh); !slices.Equal(got, want) {
				t.Errorf("incremental:\n%s\nfrom scratch:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if len(inc.Tests) != 1 || len(inc.Tests[0].Cases) != 2 {
				t.Fatalf("tests not found")
			}
			if tc.rechecked != nil && !slices.Equal(inc.Rechecked(), tc.rechecked) {
				t.Errorf("re-checked %v, want %v", inc.Rechecked(), tc.rechecked)
			}
			if tc.rechecked == nil && !slices.Contains(inc.Rechecked(), "test_helper") {
				t.Errorf("test_helper calls the removed sub but was not checked again (re-checked %v)", inc.Rechecked())
			}
		})
	}
}

// TestParallelCheckEqualsSequential: a program with enough subroutines is
// checked on several goroutines; the result is the same as one checked on
// one (run with -race, this also looks for shared writes: the "did you
// mean" lists of unknown functions and variables once appended into a
// slice every check shares).
func TestParallelCheckEqualsSequential(t *testing.T) {
	var b strings.Builder
	b.WriteString(incMain)
	for i := range 400 {
		fmt.Fprintf(&b, "\nsub gen_%d {\n  declare local var.v STRING;\n  declare local var.unused INTEGER;\n  set var.v = table.lookup(names, \"a\");\n  set req.http.G%d = var.v \"x\";\n  set req.http.E = 1s + \"x\";\n  set req.backend = F_missing_%d;\n  call plain;\n  if (req.url ~ \"^/(a\") { restart; }\n  set req.http.U = nosuchfn_%d(\"x\");\n  set req.http.V = req.nosuch;\n}\n", i, i, i%7, i%5)
		fmt.Fprintf(&b, "\nsub vcl_miss {\n  call gen_%d;\n  set req.http.Lost = \"%d\";\n}\n", i, i)
	}
	b.WriteString("\nsub vcl_deliver {\n#FASTLY deliver\n  set resp.http.L = req.http.Lost;\n}\n")
	text := b.String()
	fs := memFS{"/w/inc.vcl": incSnippet}
	f := syntax.ParseChunked("/w/main.vcl", text)
	old := maxUnitWorkers
	defer func() { maxUnitWorkers = old }()
	maxUnitWorkers = 1
	seq := CheckFile(f, Options{FS: fs})
	maxUnitWorkers = 4
	par := CheckFile(f, Options{FS: fs})
	if len(par.Rechecked()) < 400 {
		t.Fatalf("checked %d subroutines", len(par.Rechecked()))
	}
	if got, want := renderProgram(par), renderProgram(seq); !slices.Equal(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("first difference at line %d:\nparallel:   %s\nsequential: %s", i, got[i], want[i])
			}
		}
		t.Fatalf("%d lines in parallel, %d sequentially", len(got), len(want))
	}
	if len(par.Diagnostics) < 1000 {
		t.Errorf("only %d diagnostics: the program should exercise many checks", len(par.Diagnostics))
	}
}

// BenchmarkCheck40kSequential is BenchmarkCheck40k on one goroutine, to
// measure what checking subroutines in parallel gains.
func BenchmarkCheck40kSequential(b *testing.B) {
	old := maxUnitWorkers
	defer func() { maxUnitWorkers = old }()
	maxUnitWorkers = 1
	BenchmarkCheck40k(b)
}

// TestConcurrentChecksShareNoSlices: programs checked at once (the
// language server checks an edited program while it publishes another)
// give the same "did you mean" lists as when checked one by one. They
// once appended their subroutine names into the spare room of the
// catalogue's name list, which every check shares.
func TestConcurrentChecksShareNoSlices(t *testing.T) {
	program := func(k int) string {
		return fmt.Sprintf("sub vcl_recv {\n#FASTLY recv\n  call mine_%d_a;\n}\nsub mine_%d_a {\n  set req.http.U = mine_%d_b(\"x\");\n  set req.http.V = req.nosuch;\n}\n", k, k, k)
	}
	suggestions := func(p *Program) string {
		var out []string
		for _, d := range p.Diagnostics {
			out = append(out, d.Code+":"+strings.Join(d.Suggestions, ","))
		}
		return strings.Join(out, " ")
	}
	var want [8]string
	for k := range want {
		want[k] = suggestions(ParseFile("p.vcl", program(k), Options{}))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for k := range want {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if got := suggestions(ParseFile("p.vcl", program(k), Options{})); got != want[k] {
					errs <- fmt.Sprintf("program %d: %s, want %s", k, got, want[k])
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
