package vcltest

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// examplesDir is falco's example projects (shared reference material).
const examplesDir = "../../shared/reference/falco-testing/examples"

// exampleMains names the VCL under test of each example project (the
// directory's one non-test .vcl file otherwise).
var exampleMains = map[string]string{"base64": "main.vcl", "inject_variables": "main.vcl"}

// falcoOutcome is falco's outcome per example, from its README: everything
// passes except default (2 failing suites) and skipping_tests (2 skipped);
// inject_dictionary and override_variables need configuration that is not
// included, so one suite of each fails without it.
var falcoOutcome = map[string]map[string]string{
	"default": {
		`Foo request header should contains "hoge"`:              "fail",
		`X-Custom-Header response header should contains "hoge"`: "fail",
	},
	"skipping_tests": {"skip_by_annotation": "skip", "tagging": "skip"},
	"inject_dictionary": {
		"state should be pass when dictionary is injected": "fail", // needs the injected dictionary
	},
	"override_variables": {
		"Assert overridden variables via configuration": "fail", // needs .falco.yml overrides
	},
}

func outcome(s *Suite) string {
	switch {
	case s.Skip:
		return "skip"
	case s.Error != "":
		return "fail"
	}
	return "pass"
}

func mainOf(t *testing.T, dir string) string {
	if m, ok := exampleMains[filepath.Base(dir)]; ok {
		return filepath.Join(dir, m)
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

func TestFalcoExamples(t *testing.T) {
	dirs, err := os.ReadDir(examplesDir)
	if err != nil {
		t.Skip("falco examples not available:", err)
	}
	n := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		n++
		t.Run(d.Name(), func(t *testing.T) {
			dir := filepath.Join(examplesDir, d.Name())
			rep, err := Run(context.Background(), Options{Main: mainOf(t, dir)})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Summaries.Total == 0 {
				t.Fatal("no suites ran")
			}
			want := falcoOutcome[d.Name()]
			for _, fr := range rep.Tests {
				for _, s := range fr.Suites {
					w := want[s.Name]
					if w == "" {
						w = "pass"
					}
					if got := outcome(s); got != w {
						t.Errorf("%s: %s, want %s (error: %s)", s.Name, got, w, s.Error)
					}
				}
			}
		})
	}
	if n != 16 {
		t.Errorf("%d example projects, want 16", n)
	}
}

// TestFalcoExamplesWithConfiguration gives override_variables the
// .falco.yml it needs: with it, every suite passes.
func TestFalcoExamplesWithConfiguration(t *testing.T) {
	src := filepath.Join(examplesDir, "override_variables")
	if _, err := os.Stat(src); err != nil {
		t.Skip("falco examples not available")
	}
	dir := t.TempDir()
	for _, f := range []string{"override_variables.vcl", "override_variables.test.vcl"} {
		b, _ := os.ReadFile(filepath.Join(src, f))
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, ".falco.yml"), []byte(`testing:
  overrides:
    tls.client.certificate.is_cert_missing: true
    client.geo.area_code: 200
    req.digest.ratio: 0.8
    client.as.name: Foobar
`), 0o644)
	fc, err := FindFalcoConfig(dir)
	if err != nil || fc == nil {
		t.Fatalf("FindFalcoConfig: %v %v", fc, err)
	}
	rep, err := Run(context.Background(), Options{Main: filepath.Join(dir, "override_variables.vcl"), Overrides: fc.Overrides})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summaries.Passes != 3 || rep.Summaries.Fails != 0 {
		var errs []string
		for _, s := range rep.Tests[0].Suites {
			errs = append(errs, s.Name+": "+s.Error)
		}
		sort.Strings(errs)
		t.Errorf("summary %+v\n%s", rep.Summaries, strings.Join(errs, "\n"))
	}
}
