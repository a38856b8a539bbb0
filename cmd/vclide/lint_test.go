package main

import (
	"bytes"
	"encoding/json"
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
		{"clean exits 0", []string{"lint", "../../testdata/lint/clean.vcl"}, 0, nil, []string{"error"}},
		{"warning only exits 0", []string{"lint", "../../testdata/lint/warn.vcl"}, 0, []string{"warning:", "[missing-fastly-macro]"}, nil},
		{"include path", []string{"lint", "-I", "../../testdata/lint/project/includes", "../../testdata/lint/project/main.vcl"}, 0, nil, []string{"error"}},
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
