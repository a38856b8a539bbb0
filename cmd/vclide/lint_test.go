package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLint(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		exit     int
		contains []string
		absent   []string
	}{
		{"error exits 1", []string{"lint", "../../testdata/lint/bad.vcl"}, 1,
			[]string{"bad.vcl:3:7: error: beresp.ttl cannot be set in vcl_recv", "[variable-scope]"}, nil},
		{"clean exits 0", []string{"lint", "../../testdata/lint/clean.vcl"}, 0, nil, []string{"error:"}},
		{"warning only exits 0", []string{"lint", "../../testdata/lint/warn.vcl"}, 0, []string{"warning:", "[missing-fastly-macro]"}, nil},
		{"include path", []string{"lint", "-I", "../../testdata/lint/project/includes", "../../testdata/lint/project/main.vcl"}, 0, nil, []string{"error:"}},
		{"missing include without -I", []string{"lint", "../../testdata/lint/project/main.vcl"}, 1, []string{"cannot find included file \"shared\""}, nil},
		{"configuration: includes, declarations, severity", []string{"lint", "../../testdata/lint/configured/main.vcl"}, 1,
			[]string{"main.vcl:8:5: error: vcl_deliver has no #FASTLY deliver macro"}, []string{"undefined-backend", "undefined-table", "cannot find"}},
		{"configuration: snippet glob scope", []string{"lint", "../../testdata/lint/configured/snippets/auth.vcl"}, 1,
			[]string{"auth.vcl:1:5: error: beresp.ttl cannot be set in vcl_recv"}, nil},
		{"usage: bad config", []string{"lint", "--config", "../../testdata/lint/bad-config.yaml", "../../testdata/lint/clean.vcl"}, 2, nil, nil},
		{"usage: no files", []string{"lint"}, 2, nil, nil},
		{"usage: bad format", []string{"lint", "--format", "xml", "../../testdata/lint/clean.vcl"}, 2, nil, nil},
		{"usage: missing file", []string{"lint", "../../testdata/lint/nope.vcl"}, 2, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(tt.args, &out, &errb)
			if code != tt.exit {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.exit, out.String(), errb.String())
			}
			for _, c := range tt.contains {
				if !strings.Contains(out.String(), c) {
					t.Errorf("output lacks %q:\n%s", c, out.String())
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(out.String(), a) {
					t.Errorf("output has %q:\n%s", a, out.String())
				}
			}
		})
	}
}

func TestLintJSON(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"lint", "--format", "json", "../../testdata/lint/bad.vcl", "../../testdata/lint/warn.vcl"}, &out, &errb); code != 1 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var diags []jsonDiagnostic
	if err := json.Unmarshal(out.Bytes(), &diags); err != nil {
		t.Fatal(err)
	}
	if len(diags) != 2 {
		t.Fatalf("got %d diagnostics: %s", len(diags), out.String())
	}
	d := diags[0]
	if !strings.HasSuffix(d.File, "bad.vcl") || d.Severity != "error" || d.Code != "variable-scope" ||
		d.Range.Start != (jsonPos{3, 7}) || d.Range.End != (jsonPos{3, 17}) {
		t.Errorf("unexpected first diagnostic %+v", d)
	}
}

// TestLintSummary: text output ends with a count of errors and warnings and
// of the files checked.
func TestLintSummary(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"../../testdata/lint/bad.vcl"}, "1 error, 0 warnings in 1 file\n"},
		{[]string{"../../testdata/lint/clean.vcl"}, "0 errors, 0 warnings in 1 file\n"},
		{[]string{"../../testdata/lint/bad.vcl", "../../testdata/lint/warn.vcl", "../../testdata/lint/clean.vcl"}, "1 error, 1 warning in 3 files\n"},
	}
	for _, tc := range tests {
		var out, errb bytes.Buffer
		run(append([]string{"lint"}, tc.args...), &out, &errb)
		if !strings.HasSuffix(out.String(), tc.want) {
			t.Errorf("lint %v: output does not end with %q:\n%s", tc.args, tc.want, out.String())
		}
	}
	var out, errb bytes.Buffer
	run([]string{"lint", "--format", "json", "../../testdata/lint/bad.vcl"}, &out, &errb)
	if strings.Contains(out.String(), " in 1 file") {
		t.Errorf("the JSON output has the summary line:\n%s", out.String())
	}
}

// TestLintStdin drives the binary: "lint -" checks standard input, and
// --stdin-filename gives it the path that decides its configuration and
// snippet scope.
func TestLintStdin(t *testing.T) {
	snippet := "set beresp.ttl = 1s;\n"
	configured, _ := filepath.Abs("../../testdata/lint/configured")
	tests := []struct {
		name   string
		args   []string
		stdin  string
		exit   int
		stdout []string
		stderr string
	}{
		{"plain", []string{"lint", "-"}, "sub vcl_recv {\n  set beresp.ttl = 1s;\n}\n", 1,
			[]string{"<stdin>:2:7: error: beresp.ttl cannot be set in vcl_recv", "1 error, 1 warning in 1 file"}, ""},
		{"clean", []string{"lint", "-"}, "sub vcl_recv {\n#FASTLY recv\n}\n", 0, []string{"0 errors, 0 warnings in 1 file"}, ""},
		{"snippet without a name has no scope", []string{"lint", "-"}, snippet, 0, []string{"0 errors"}, ""},
		{"scope from the file name", []string{"lint", "-", "--stdin-filename", "vcl_recv.vcl"}, snippet, 1,
			[]string{"vcl_recv.vcl:1:5: error: beresp.ttl cannot be set in vcl_recv"}, ""},
		{"scope from the configuration's snippet globs", []string{"lint", "--stdin-filename", filepath.Join(configured, "snippets", "new.vcl"), "-"}, snippet, 1,
			[]string{"new.vcl:1:5: error: beresp.ttl cannot be set in vcl_recv"}, ""},
		{"json", []string{"lint", "-", "--format", "json", "--stdin-filename", "fetch.vcl"}, snippet, 0, []string{"[]"}, ""},
		{"stdin and files", []string{"lint", "-", "../../testdata/lint/clean.vcl"}, snippet, 2, nil, "cannot be combined"},
		{"stdin-filename without -", []string{"lint", "--stdin-filename", "x.vcl", "../../testdata/lint/clean.vcl"}, "", 2, nil, "needs \"-\""},
	}
	wd, _ := os.Getwd()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runBinary(t, wd, tc.stdin, tc.args...)
			if code != tc.exit {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.exit, out, errOut)
			}
			for _, s := range tc.stdout {
				if !strings.Contains(out, s) {
					t.Errorf("stdout lacks %q:\n%s", s, out)
				}
			}
			if !strings.Contains(errOut, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, errOut)
			}
		})
	}
}

// TestLintConfigCodeTypo: a misspelt code under severity: is a usage error
// (exit 2) that suggests the right code.
func TestLintConfigCodeTypo(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".vclide.yaml"), []byte("severity:\n  unused-locals: off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.vcl"), []byte("sub vcl_recv {\n#FASTLY recv\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"lint", filepath.Join(dir, "main.vcl")}, &out, &errb)
	if code != 2 || !strings.Contains(errb.String(), `.vclide.yaml:2:3: unknown diagnostic code "unused-locals" under severity; did you mean "unused-local"?`) {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}

// TestLintFalcoExamples lints every example project of falco's unit-test
// format: test files are checked against the VCL they test, with zero errors.
func TestLintFalcoExamples(t *testing.T) {
	root := "../../../shared/reference/falco-testing/examples"
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Skip("falco examples not available:", err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		t.Run(d.Name(), func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run([]string{"lint", root + "/" + d.Name()}, &out, &errb); code != 0 {
				t.Errorf("exit %d\n%s%s", code, out.String(), errb.String())
			}
			if strings.Contains(out.String(), "error:") {
				t.Errorf("errors:\n%s", out.String())
			}
		})
	}
}

// TestLintBOM: a file that starts with a UTF-8 byte-order mark lints like
// the same file without it, with the same line:column positions.
func TestLintBOM(t *testing.T) {
	dir := t.TempDir()
	text := "sub vcl_recv {\n#FASTLY recv\n  set req.http.X = req.ulr;\n}\n"
	for name, content := range map[string]string{"plain.vcl": text, "bom.vcl": "\uFEFF" + text, "recv.vcl": "\uFEFFset beresp.ttl = 1s;\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errb bytes.Buffer
	run([]string{"lint", dir}, &out, &errb)
	got := out.String()
	for _, want := range []string{
		"bom.vcl:3:20: error: unknown variable req.ulr",
		"plain.vcl:3:20: error: unknown variable req.ulr",
		"recv.vcl:1:5: error: beresp.ttl cannot be set in vcl_recv",
		"3 errors, 0 warnings in 3 files",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "[syntax]") {
		t.Errorf("the byte-order mark is a syntax error:\n%s", got)
	}
}
