package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/vclide/vclide/vcltest"
)

const falcoExamples = "../../../shared/reference/falco-testing/examples"

func needExamples(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(falcoExamples); err != nil {
		t.Skip("falco examples not available")
	}
}

func loadTestSchema(t *testing.T) *jsonSchema {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "schema", "test.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s jsonSchema
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("test.schema.json: %v", err)
	}
	return &s
}

// jsonKeys lists the JSON names of a struct's exported fields.
func jsonKeys(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("json"), ",")[0]
		if tag != "" && tag != "-" {
			out = append(out, tag)
		}
	}
	sort.Strings(out)
	return out
}

func schemaKeys(s *jsonSchema) []string {
	var out []string
	for k := range s.Properties {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestTestJSONSchema keeps schema/test.schema.json and the report types in
// step: the same keys both ways, and real output validates.
func TestTestJSONSchema(t *testing.T) {
	root := loadTestSchema(t)
	pairs := []struct {
		s  *jsonSchema
		ty reflect.Type
	}{
		{root, reflect.TypeOf(vcltest.Report{})},
		{root.Properties["summaries"], reflect.TypeOf(vcltest.Summary{})},
		{root.Defs["file"], reflect.TypeOf(vcltest.FileReport{})},
		{root.Defs["suite"], reflect.TypeOf(vcltest.Suite{})},
	}
	for _, p := range pairs {
		if got, want := schemaKeys(p.s), jsonKeys(p.ty); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: schema keys %v, struct keys %v", p.ty.Name(), got, want)
		}
		req := append([]string(nil), p.s.Required...)
		sort.Strings(req)
		if !reflect.DeepEqual(req, jsonKeys(p.ty)) {
			t.Errorf("%s: required %v", p.ty.Name(), req)
		}
	}
	needExamples(t)
	for _, dir := range []string{"default", "skipping_tests", "group"} {
		var out, errb bytes.Buffer
		main := mainVCLOf(t, filepath.Join(falcoExamples, dir))
		run([]string{"test", "--json", main}, &out, &errb)
		var v any
		if err := json.Unmarshal(out.Bytes(), &v); err != nil {
			t.Fatalf("%s: %v\n%s%s", dir, err, out.String(), errb.String())
		}
		for _, e := range root.validate(root, v, dir) {
			t.Error(e)
		}
	}
	bad := map[string]any{"tests": []any{map[string]any{"file": "x", "suites": []any{map[string]any{"name": "n"}}}}, "summaries": map[string]any{}}
	if errs := root.validate(root, bad, "bad"); len(errs) < 2 {
		t.Errorf("an incomplete document validated: %v", errs)
	}
}

func mainVCLOf(t *testing.T, dir string) string {
	t.Helper()
	if m := filepath.Join(dir, "main.vcl"); fileExists(m) {
		return m
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.vcl"))
	for _, f := range files {
		if !strings.HasSuffix(f, ".test.vcl") {
			return f
		}
	}
	t.Fatalf("no main VCL in %s", dir)
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// TestTestCommandExamples drives `vclide test --json` on every falco
// example and compares per-suite pass/fail/skip with falco's outcome.
func TestTestCommandExamples(t *testing.T) {
	needExamples(t)
	// Suites falco's README says fail or skip; the two examples needing
	// configuration that is not included fail their configured suite.
	notPass := map[string]string{
		"default/Foo request header should contains \"hoge\"":                "fail",
		"default/X-Custom-Header response header should contains \"hoge\"":   "fail",
		"skipping_tests/skip_by_annotation":                                  "skip",
		"skipping_tests/tagging":                                             "skip",
		"inject_dictionary/state should be pass when dictionary is injected": "fail",
		"override_variables/Assert overridden variables via configuration":   "fail",
	}
	dirs, _ := os.ReadDir(falcoExamples)
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		var out, errb bytes.Buffer
		code := run([]string{"test", "--json", mainVCLOf(t, filepath.Join(falcoExamples, d.Name()))}, &out, &errb)
		var rep vcltest.Report
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatalf("%s: %v\n%s", d.Name(), err, errb.String())
		}
		failed := false
		for _, fr := range rep.Tests {
			for _, s := range fr.Suites {
				got := "pass"
				switch {
				case s.Skip:
					got = "skip"
				case s.Error != "":
					got, failed = "fail", true
				}
				want := notPass[d.Name()+"/"+s.Name]
				if want == "" {
					want = "pass"
				}
				if got != want {
					t.Errorf("%s/%s: %s, want %s (%s)", d.Name(), s.Name, got, want, s.Error)
				}
			}
		}
		if wantCode := map[bool]int{true: 1, false: 0}[failed]; code != wantCode {
			t.Errorf("%s: exit %d, want %d", d.Name(), code, wantCode)
		}
	}
}

// TestTestCommandOutputs: the text report, JUnit XML and LCOV coverage of
// one example, and usage errors.
func TestTestCommandOutputs(t *testing.T) {
	needExamples(t)
	dir := t.TempDir()
	junit, lcov := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "cov.info")
	var out, errb bytes.Buffer
	code := run([]string{"test", filepath.Join(falcoExamples, "default", "default.vcl"), "--junit", junit, "--coverage", "--coverage-out", lcov}, &out, &errb)
	if code != 1 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	text := out.String()
	for _, want := range []string{
		"✗ [RECV] Foo request header should contains \"hoge\"",
		"✓ [ERROR] synthetic response available in testing",
		"default.test.vcl:8:3: assert.contains:",
		"expected: contains \"hoge\"",
		"actual:   \" foo bar baz \"",
		"log:  foo bar baz ",
		"3 passed, 2 failed, 0 skipped, 5 total, 9 assertions",
		"Statements", "Branches", "Subroutines", "default.vcl",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text output lacks %q:\n%s", want, text)
		}
	}
	x, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var js struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(x, &js); err != nil {
		t.Fatalf("junit: %v\n%s", err, x)
	}
	if js.Tests != 5 || js.Failures != 2 || len(js.Suites) != 1 || len(js.Suites[0].Cases) != 5 || js.Suites[0].Cases[0].Failure == nil {
		t.Errorf("junit: %+v", js)
	}
	l, err := os.ReadFile(lcov)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"SF:", "FN:", "FNDA:", "DA:", "BRDA:", "end_of_record"} {
		if !strings.Contains(string(l), want) {
			t.Errorf("lcov lacks %q:\n%s", want, l)
		}
	}
	for _, args := range [][]string{{"test"}, {"test", "a.vcl", "b.vcl"}, {"test", "--bogus", "x.vcl"}, {"test", "nope.vcl"}, {"test", "-o", "novalue", "x.vcl"}} {
		var o, e bytes.Buffer
		if c := run(args, &o, &e); c != 2 {
			t.Errorf("%v: exit %d, want 2", args, c)
		}
	}
	var o, e bytes.Buffer
	if c := run([]string{"test", "--help"}, &o, &e); c != 0 || !strings.Contains(o.String(), "usage: vclide test") {
		t.Errorf("--help: exit %d %q", c, o.String())
	}
}

// TestTestCommandFlags: -t, --filter and -o select and configure tests.
func TestTestCommandFlags(t *testing.T) {
	needExamples(t)
	skip := filepath.Join(falcoExamples, "skipping_tests", "default.vcl")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"test", skip}, "2 passed, 0 failed, 2 skipped, 4 total"},
		{[]string{"test", "-t", "prod", skip}, "2 passed, 0 failed, 2 skipped, 4 total"},
		{[]string{"test", "--filter", "always_*", skip}, "1 passed, 0 failed, 0 skipped, 1 total"},
		{[]string{"test", "-f", "always_*", skip}, "1 passed, 0 failed, 0 skipped, 1 total"},
		{[]string{"test", "--override", "server.region=ASIA", "--include_path", filepath.Join(falcoExamples, "override_variables"), filepath.Join(falcoExamples, "override_variables", "override_variables.vcl")}, "1 passed, 2 failed"},
		{[]string{"test", "-o", "server.region=ASIA", filepath.Join(falcoExamples, "override_variables", "override_variables.vcl")}, "1 passed, 2 failed"},
	}
	for _, c := range cases {
		var o, e bytes.Buffer
		run(c.args, &o, &e)
		if !strings.Contains(o.String(), c.want) {
			t.Errorf("%v: output lacks %q:\n%s%s", c.args, c.want, o.String(), e.String())
		}
	}
	// With -t prod, the inverse-tagged test is the one skipped.
	var o, e bytes.Buffer
	run([]string{"test", "-t", "prod", skip}, &o, &e)
	if !strings.Contains(o.String(), "- [RECV] inversed_tagging (skipped)") || !strings.Contains(o.String(), "✓ [RECV] tagging") {
		t.Errorf("-t prod:\n%s", o.String())
	}
}

// TestTestsGlob: files matching the tests: globs of .vclide.yaml are test
// files for lint (no errors on testing.*) and for vclide test (discovered).
func TestTestsGlob(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		".vclide.yaml":       "tests: [\"spec/**/*.vcl\"]\n",
		"main.vcl":           "sub vcl_recv {\n#FASTLY recv\n  set req.http.X = \"1\";\n}\n",
		"spec/recv_spec.vcl": "// @scope: recv\nsub test_x {\n  testing.call_subroutine(\"vcl_recv\");\n  assert.equal(req.http.X, \"1\");\n}\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(text), 0o644)
	}
	var out, errb bytes.Buffer
	if code := run([]string{"test", filepath.Join(dir, "main.vcl")}, &out, &errb); code != 0 || !strings.Contains(out.String(), "1 passed, 0 failed, 0 skipped, 1 total") {
		t.Errorf("test: exit %d\n%s%s", code, out.String(), errb.String())
	}
	out.Reset()
	errb.Reset()
	if code := run([]string{"lint", filepath.Join(dir, "spec", "recv_spec.vcl")}, &out, &errb); code != 0 || strings.Contains(out.String(), "error:") {
		t.Errorf("lint: exit %d\n%s%s", code, out.String(), errb.String())
	}
}

// TestTagMatchingAndGroupHooks: testing.md's @tag table row by row (a
// tagged test runs only when -t names a matching tag; !tag inverts), and a
// describe group's before_* and after_* hooks run around each of its tests
// on the group's shared state.
func TestTagMatchingAndGroupHooks(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.vcl": "sub vcl_recv {\n#FASTLY recv\n  set req.http.Main = \"1\";\n}\n",
		"main.test.vcl": `// @tag: prod
sub test_prod { assert.true(true); }
// @tag: !prod
sub test_not_prod { assert.true(true); }
// @tag: dev, prod
sub test_dev_or_prod { assert.true(true); }
sub test_untagged { assert.true(true); }
describe grp {
  before_recv { set req.http.Before = "1"; }
  after_recv { set req.http.After = req.http.Main; }
  // @scope: recv
  sub test_first {
    assert.equal(req.http.Before, "1");
    assert.is_notset(req.http.After);
    testing.call_subroutine("vcl_recv");
  }
  // @scope: recv
  sub test_second {
    assert.equal(req.http.After, "1");
  }
}
`,
	}
	for name, text := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
	}
	main := filepath.Join(dir, "main.vcl")
	cases := []struct {
		tags []string
		runs map[string]bool
	}{
		{nil, map[string]bool{"test_prod": false, "test_not_prod": true, "test_dev_or_prod": false, "test_untagged": true}},
		{[]string{"-t", "prod"}, map[string]bool{"test_prod": true, "test_not_prod": false, "test_dev_or_prod": true, "test_untagged": true}},
		{[]string{"-t", "dev"}, map[string]bool{"test_prod": false, "test_not_prod": true, "test_dev_or_prod": true, "test_untagged": true}},
	}
	for _, c := range cases {
		var o, e bytes.Buffer
		args := append(append([]string{"test"}, c.tags...), main)
		if code := run(args, &o, &e); code != 0 {
			t.Errorf("%v: exit %d\n%s%s", args, code, o.String(), e.String())
		}
		for name, runs := range c.runs {
			want := "✓ [RECV] " + name + " ("
			if !runs {
				want = "- [RECV] " + name + " (skipped)"
			}
			if !strings.Contains(o.String(), want) {
				t.Errorf("%v: output lacks %q:\n%s", args, want, o.String())
			}
		}
		// The hooks: before_recv ran before test_first, after_recv after it
		// (test_second sees what after_recv set in the group's state).
		for _, name := range []string{"test_first", "test_second"} {
			if !strings.Contains(o.String(), "✓ [RECV] "+name+" (") {
				t.Errorf("%v: %s did not pass:\n%s", args, name, o.String())
			}
		}
	}
}
