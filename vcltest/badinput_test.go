package vcltest

import (
	"strings"
	"testing"
)

// TestBadInput: each broken test fails with a file:line:col error naming
// the problem, and the other suites of the file still run.
func TestBadInput(t *testing.T) {
	mainVCL := "sub helper { set req.http.X = \"1\"; }\nsub vcl_recv {\n#FASTLY recv\n  call helper;\n}\n"
	test := `// @scope: recv
sub good_before {
  testing.call_subroutine("vcl_recv");
  assert.equal(req.http.X, "1");
}

sub missing_scope {
  testing.call_subroutine("vcl_fetch");
}

sub missing_scope_variable {
  assert.equal(beresp.ttl, 1s);
}

// @scope: recv
sub unknown_assertion {
  assert.equals(1, 1);
}

// @scope: recv
sub unknown_sub {
  testing.call_subroutine("nope");
}

// @scope: revc
sub bad_scope_word {}

// @scope: recv
sub syntax_error {
  set req.http.X = ;
}

// @scope: recv
sub runtime_unknown_sub {
  declare local var.n STRING;
  set var.n = "no" "pe";
  testing.call_subroutine(var.n);
}

// @scope: recv
sub good_after {
  assert.true(true);
}
`
	rep := project(t, mainVCL, test, nil)
	want := map[string]string{
		"good_before":            "",
		"missing_scope":          "main.test.vcl:8:27: vcl_fetch runs in fetch but this test's scope is vcl_recv",
		"missing_scope_variable": "main.test.vcl:12:16: beresp.ttl cannot be read in vcl_recv",
		"unknown_assertion":      "main.test.vcl:17:3: unknown function assert.equals: did you mean assert.equal?",
		"unknown_sub":            "main.test.vcl:22:27: testing.call_subroutine: no subroutine nope",
		"bad_scope_word":         "main.test.vcl:25:12: unknown scope \"revc\"",
		"syntax_error":           "main.test.vcl:30:20: expected an expression",
		"runtime_unknown_sub":    "no subroutine nope",
		"good_after":             "",
	}
	suites := rep.Tests[0].Suites
	if len(suites) != len(want) {
		t.Fatalf("%d suites, want %d", len(suites), len(want))
	}
	for _, s := range suites {
		w, ok := want[s.Name]
		if !ok {
			t.Errorf("unexpected suite %s", s.Name)
			continue
		}
		if w == "" && s.Error != "" || w != "" && !strings.Contains(s.Error, w) {
			t.Errorf("%s: error %q, want %q", s.Name, s.Error, w)
		}
	}
	if s := suites[7]; s.Line != 37 || s.Position != 3 {
		t.Errorf("runtime error located at %d:%d, want 37:3", s.Line, s.Position)
	}
}

// TestBrokenMainFailsEverySuite: an error in the VCL under test fails all
// suites with that error; nothing panics.
func TestBrokenMainFailsEverySuite(t *testing.T) {
	rep := project(t, "sub vcl_recv {\n  set req.http.X = ;\n}\n", "sub a {}\nsub b {}\n", nil)
	if rep.Summaries.Fails != 2 || !strings.Contains(rep.Tests[0].Suites[0].Error, "main.vcl:2:20") {
		t.Errorf("summary %+v, first error %q", rep.Summaries, rep.Tests[0].Suites[0].Error)
	}
}

// TestUnparseableTestFile: a test file with nothing runnable still shows up
// with its error.
func TestUnparseableTestFile(t *testing.T) {
	rep := project(t, "sub vcl_recv {}\n", "describe {\n", nil)
	if rep.Summaries.Fails != 1 || !strings.Contains(rep.Tests[0].Suites[0].Error, "main.test.vcl:1:") {
		t.Errorf("summary %+v %+v", rep.Summaries, rep.Tests)
	}
}
