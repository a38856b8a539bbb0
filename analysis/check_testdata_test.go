package analysis

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis/syntax"
)

// The checker's cases are annotated VCL files under testdata/check/<code>/,
// in the style of go/types' testdata. A comment
//
//	# ERROR code "message substring"
//
// (or WARNING, INFO, HINT; the message part is optional) says that the
// checker reports that diagnostic starting on the comment's line. The driver
// fails on an annotation no diagnostic matches and on a diagnostic no
// annotation expects, so every file states all that the checker says of it.
//
// Files named *.test.vcl are checked as unit-test files against the sibling
// file without ".test" (if there is one), which is then not a case of its own.
// Other files are loaded from disk, so `include` resolves against their
// directory; helper files that only exist to be included live one directory
// deeper and are not cases.
//
// In testdata/check/<code>/, files named ok_*.vcl are the code's negative
// cases: near misses for which the checker must not report <code>. Every
// other file is a positive case and expects <code> at least once.
const checkTestdata = "testdata/check"

// annotationRE matches one expectation inside a line's comment.
var annotationRE = regexp.MustCompile(`#\s*(ERROR|WARNING|INFO|HINT)\s+([a-z][a-z-]*)(?:\s+"([^"]*)")?`)

// annotation is one expected diagnostic.
type annotation struct {
	file     string
	line     int
	severity string // "error", "warning", "info", "hint"
	code     string
	msg      string // substring of the message; "" matches any
}

func (a annotation) String() string {
	return fmt.Sprintf("%s:%d: %s %s %q", a.file, a.line, a.severity, a.code, a.msg)
}

// readAnnotations returns the expectations written in a file.
func readAnnotations(path string) ([]annotation, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []annotation
	for i, line := range strings.Split(string(text), "\n") {
		for _, m := range annotationRE.FindAllStringSubmatch(line, -1) {
			out = append(out, annotation{file: path, line: i + 1, severity: strings.ToLower(m[1]), code: m[2], msg: m[3]})
		}
	}
	return out, nil
}

// checkCase is one case: the files checked together and the program.
type checkCase struct {
	name  string // path of the case's main file, relative to testdata/check
	code  string // the directory: the code the case is about
	files []string
}

// checkCases lists the cases under testdata/check.
func checkCases(t *testing.T) []checkCase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(checkTestdata, "*", "*.vcl"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no cases under %s: %v", checkTestdata, err)
	}
	isMainOfTest := map[string]bool{}
	for _, p := range paths {
		if strings.HasSuffix(p, ".test.vcl") {
			isMainOfTest[strings.TrimSuffix(p, ".test.vcl")+".vcl"] = true
		}
	}
	var out []checkCase
	for _, p := range paths {
		if isMainOfTest[p] {
			continue
		}
		c := checkCase{name: strings.TrimPrefix(filepath.ToSlash(p), checkTestdata+"/"), code: filepath.Base(filepath.Dir(p)), files: []string{p}}
		if main := strings.TrimSuffix(p, ".test.vcl") + ".vcl"; strings.HasSuffix(p, ".test.vcl") && fileExists(main) {
			c.files = append(c.files, main)
		}
		out = append(out, c)
	}
	return out
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// run checks the case the way vclide would: a test file with its VCL under
// test, any other file loaded from disk with its includes.
func (c checkCase) run(t *testing.T) *Program {
	t.Helper()
	if !strings.HasSuffix(c.files[0], ".test.vcl") {
		p, err := Load(c.files[0], Options{})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	test, err := os.ReadFile(c.files[0])
	if err != nil {
		t.Fatal(err)
	}
	main := ""
	mainName := strings.TrimSuffix(c.files[0], ".test.vcl") + ".vcl"
	if len(c.files) > 1 {
		b, err := os.ReadFile(c.files[1])
		if err != nil {
			t.Fatal(err)
		}
		main = string(b)
	}
	return CheckWithTests(syntax.Parse(mainName, main), []*syntax.File{syntax.Parse(c.files[0], string(test))}, Options{})
}

// compareDiagnostics returns one line per annotation without a matching
// diagnostic and per diagnostic without a matching annotation.
func compareDiagnostics(want []annotation, got []*Diagnostic) []string {
	used := make([]bool, len(got))
	var problems []string
	for _, a := range want {
		found := false
		for i, d := range got {
			if used[i] || filepath.Clean(d.File.Name) != filepath.Clean(a.file) || d.File.Position(d.Range.Start).Line != a.line ||
				d.Severity.String() != a.severity || d.Code != a.code || !strings.Contains(d.Message, a.msg) {
				continue
			}
			used[i], found = true, true
			break
		}
		if !found {
			problems = append(problems, "missing: "+a.String())
		}
	}
	for i, d := range got {
		if !used[i] {
			problems = append(problems, "unexpected: "+d.String())
		}
	}
	return problems
}

// TestCheckTestdata runs every annotated case under testdata/check.
func TestCheckTestdata(t *testing.T) {
	for _, c := range checkCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var want []annotation
			for _, f := range c.files {
				as, err := readAnnotations(f)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, as...)
			}
			for _, problem := range compareDiagnostics(want, c.run(t).Diagnostics) {
				t.Error(problem)
			}
		})
	}
}

// unreportedCode is a registered code the checker never reports.
type unreportedCode struct {
	why string
	// referenced: the code's constant appears in a report call that cannot
	// be reached. Otherwise TestCheckTestdataCoverage verifies that no
	// analysis source mentions the constant, so a code that gains a report
	// must gain testdata too.
	referenced bool
}

// codesWithoutEmitter are registered codes with no case under
// testdata/check, because the checker cannot report them.
var codesWithoutEmitter = map[string]unreportedCode{
	CodeSimulator: {why: "registered for severity: configuration only; nothing in analysis reports it"},
	CodeUndefinedObject: {referenced: true, why: "resolveNamed's fallback branch: every caller asks for a backend, ACL or table, " +
		"and ratecounter or penaltybox names (TypeID) are resolved without a warning"},
	CodeTerraform: {referenced: true, why: "reported by the Workspace about Terraform files (workspace_terraform.go), " +
		"never by checking VCL; its tests are the workspace's"},
}

// TestCheckTestdataCoverage: every registered diagnostic code has a
// directory under testdata/check with at least one positive case (a file
// that expects the code) and one negative case (an ok_*.vcl file that does
// not). It logs the number of annotated expectations per code.
func TestCheckTestdataCoverage(t *testing.T) {
	positive, negative, annotated := map[string]int{}, map[string]int{}, map[string]int{}
	for _, c := range checkCases(t) {
		as, err := readAnnotations(c.files[0])
		if err != nil {
			t.Fatal(err)
		}
		mentions := 0
		for _, a := range as {
			annotated[a.code]++
			if a.code == c.code {
				mentions++
			}
		}
		switch ok := strings.HasPrefix(filepath.Base(c.files[0]), "ok_"); {
		case ok && mentions > 0:
			t.Errorf("%s: a negative case expects %s", c.name, c.code)
		case ok:
			negative[c.code]++
		case mentions == 0:
			t.Errorf("%s: a positive case does not expect %s (name it ok_*.vcl if it is a negative case)", c.name, c.code)
		default:
			positive[c.code]++
		}
	}
	emitted := codesReportedBySource(t)
	var lines []string
	for _, code := range Codes {
		if u, ok := codesWithoutEmitter[code]; ok {
			if emitted[code] && !u.referenced {
				t.Errorf("%s is listed as never reported (%s), but analysis now reports it: add testdata/check/%s/", code, u.why, code)
			}
			if positive[code]+negative[code] > 0 {
				t.Errorf("%s has cases under testdata/check: remove it from codesWithoutEmitter", code)
			}
			continue
		}
		if positive[code] == 0 || negative[code] == 0 {
			t.Errorf("code %s: %d positive and %d negative cases under testdata/check/%s/; it needs at least one of each", code, positive[code], negative[code], code)
		}
		lines = append(lines, fmt.Sprintf("%-24s %2d annotations, %d positive, %d negative files", code, annotated[code], positive[code], negative[code]))
	}
	for code := range positive {
		if !isCode(code) {
			t.Errorf("testdata/check/%s: not a registered diagnostic code", code)
		}
	}
	for code := range negative {
		if !isCode(code) {
			t.Errorf("testdata/check/%s: not a registered diagnostic code", code)
		}
	}
	sort.Strings(lines)
	t.Log("annotated cases per code:\n" + strings.Join(lines, "\n"))
}

func isCode(code string) bool {
	for _, c := range Codes {
		if c == code {
			return true
		}
	}
	return false
}

// codesReportedBySource returns the codes whose Code constant is used in the
// package's non-test sources outside diagnostic.go (where they are defined).
func codesReportedBySource(t *testing.T) map[string]bool {
	t.Helper()
	byName := map[string]string{}
	fset := token.NewFileSet()
	defs, err := parser.ParseFile(fset, "diagnostic.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ast.Inspect(defs, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			for i, name := range vs.Names {
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && strings.HasPrefix(name.Name, "Code") {
					byName[name.Name] = strings.Trim(lit.Value, `"`)
				}
			}
		}
		return true
	})
	out := map[string]bool{}
	sources, _ := filepath.Glob("*.go")
	for _, path := range sources {
		if strings.HasSuffix(path, "_test.go") || path == "diagnostic.go" {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if code, ok := byName[id.Name]; ok {
					out[code] = true
				}
			}
			return true
		})
	}
	return out
}
