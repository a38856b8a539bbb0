package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

const mainVCL = `
backend F_a { .host = "a.example"; }
table dict { "k": "v" }
sub helper { set req.http.X = "1"; }
sub vcl_recv {
#FASTLY recv
  call helper;
  return(lookup);
}
`

func checkTest(t *testing.T, test string) *Program {
	t.Helper()
	m := syntax.Parse("main.vcl", mainVCL)
	f := syntax.Parse("main.test.vcl", test)
	return CheckWithTests(m, []*syntax.File{f}, Options{})
}

func codesIn(p *Program, file string) []string {
	var out []string
	for _, d := range p.Diagnostics {
		if d.File.Name == file && d.Severity == SeverityError {
			out = append(out, d.Code+"@"+itoa(d.File.Position(d.Range.Start).Line))
		}
	}
	return out
}

func TestTestFileDiagnostics(t *testing.T) {
	cases := []struct {
		name, src string
		want      string // comma-separated code@line, "" for none
	}{
		{"catalogue and main resolve", `
// @scope: recv
// @suite: works
sub test_a {
  testing.call_subroutine("vcl_recv");
  testing.table_set(dict, "k", "w");
  testing.set_backend_health(F_a, false);
  assert.equal(req.backend, F_a);
  assert.state(lookup);
  assert.equal(testing.state, "LOOKUP");
  assert(req.http.X);
}`, ""},
		{"repeated test names are separate tests", `
sub t { declare local var.a STRING; set var.a = "1"; assert.equal(var.a, "1"); }
sub t { declare local var.a STRING; set var.a = "2"; assert.equal(var.a, "2"); }`, ""},
		{"unknown assertion", "sub t {\n  assert.equals(1, 1);\n}", "unknown-function@2"},
		{"unknown subroutine", "sub t {\n  testing.call_subroutine(\"nope\");\n}", "unknown-subroutine@2"},
		{"scope mismatch", "// @scope: recv\nsub t {\n  testing.call_subroutine(\"vcl_fetch\");\n}", "test@3"},
		{"no scope means recv", "sub t {\n  assert.equal(beresp.ttl, 1s);\n}", "variable-scope@2"},
		{"unknown scope word", "// @scope: revc\nsub t {}", "test@1"},
		{"upper-case and several scopes", "// @scope: RECV,Fetch\nsub t {\n  set req.http.A = \"1\";\n}", ""},
		{"describe with hooks", `
describe g {
  before_recv { set req.http.B = "1"; }
  after_recv { testing.restore_all_mocks(); }
  // @scope: recv
  sub test_x { assert.equal(req.http.B, "1"); }
}`, ""},
		{"mock a vcl_ sub", "sub m {}\nsub t {\n  testing.mock(\"vcl_recv\", \"m\");\n}", "test@3"},
		{"read-only testing variable", "sub t {\n  set testing.state = \"x\";\n}", "read-only@2"},
		{"syntax error", "sub t {\n  set req.http.X = ;\n}", "syntax@2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := checkTest(t, c.src)
			got := strings.Join(codesIn(p, "main.test.vcl"), ",")
			if got != c.want {
				t.Errorf("errors = %q, want %q\n%v", got, c.want, p.Diagnostics)
			}
		})
	}
}

func TestTestAnnotations(t *testing.T) {
	p := checkTest(t, `
// @scope: deliver, fetch
// @suite: my suite
// @tag: prod, !dev
sub test_a {}

// @skip
sub test_b {}

describe grp {
  before_fetch {}
  // @scope: fetch
  sub test_c {}
}

sub helper_typed STRING { return "x"; }
`)
	if len(p.Tests) != 1 {
		t.Fatalf("tests = %d files", len(p.Tests))
	}
	tf := p.Tests[0]
	if len(tf.Cases) != 3 || len(tf.Groups) != 1 {
		t.Fatalf("cases %d groups %d", len(tf.Cases), len(tf.Groups))
	}
	a := tf.Cases[0]
	if a.Suite != "my suite" || a.Scope != catalog.SubDeliver || !a.Scopes.Has(catalog.SubFetch) || strings.Join(a.Tags, "|") != "prod|!dev" || a.Skip {
		t.Errorf("case a = %+v", a)
	}
	if b := tf.Cases[1]; !b.Skip || b.Suite != "test_b" || b.HasScope || b.Scope != catalog.SubRecv {
		t.Errorf("case b = %+v", b)
	}
	if c := tf.Cases[2]; c.Group != tf.Groups[0] || len(tf.Groups[0].Before[catalog.SubFetch]) != 1 {
		t.Errorf("group wiring wrong: %+v", c)
	}
	if p.Subs["helper_typed"] == nil {
		t.Error("typed subroutine of a test file should be a callable helper")
	}
}

func TestTestingNamesOutsideTestFiles(t *testing.T) {
	p := ParseFile("main.vcl", "sub vcl_recv {\n#FASTLY recv\n  assert.true(true);\n  set req.http.A = testing.state;\n}\ndescribe g {}\n", Options{})
	got := strings.Join(codesIn(p, "main.vcl"), ",")
	if got != "test-only@3,test-only@4,test-only@6" {
		t.Errorf("errors = %q", got)
	}
	opts := Options{TestFile: func(p string) bool { return strings.HasPrefix(filepath.Base(p), "t_") }}
	if !IsTestFile("/x/t_a.vcl", opts) || !IsTestFile("a.test.vcl", Options{}) || IsTestFile("a.vcl", Options{}) {
		t.Error("IsTestFile")
	}
}

// TestFalcoExamplesHaveNoErrors checks every example project of falco's
// test format: the test files, checked against their VCL, have no errors.
func TestFalcoExamplesHaveNoErrors(t *testing.T) {
	root := filepath.Join("..", "..", "shared", "reference", "falco-testing", "examples")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Skip("falco examples not available:", err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		dir := filepath.Join(root, d.Name())
		files, _ := filepath.Glob(filepath.Join(dir, "*.vcl"))
		var mains []string
		for _, f := range files {
			if !IsTestFile(f, Options{}) {
				mains = append(mains, f)
			}
		}
		for _, f := range files {
			if !IsTestFile(f, Options{}) {
				continue
			}
			text, _ := os.ReadFile(f)
			tf := syntax.Parse(f, string(text))
			var p *Program
			if m := TestTarget(f, mains); m != "" {
				mt, _ := os.ReadFile(m)
				p = CheckWithTests(syntax.Parse(m, string(mt)), []*syntax.File{tf}, Options{IncludePaths: []string{dir}})
			} else {
				p = CheckFile(tf, Options{})
			}
			if errs := codesIn(p, f); len(errs) > 0 {
				t.Errorf("%s: %v", f, p.Diagnostics)
			}
		}
	}
}
