package main

import (
	"bytes"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	messyVCL     = "sub vcl_recv {\nset req.http.X=\"1\";\n}\n"
	formattedVCL = "sub vcl_recv {\n  set req.http.X = \"1\";\n}\n"
	brokenVCL    = "sub vcl_recv {\n  set req.http.X = ;\n}\n"
	bom          = "\uFEFF"
)

// fmtDir writes the named files into a fresh directory.
func fmtDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFmt(t *testing.T) {
	tests := []struct {
		name       string
		files      map[string]string
		args       []string // file names are relative to the directory
		exit       int
		stdout     []string // substrings
		stderr     []string
		afterwards map[string]string // file contents after the run
	}{
		{"stdout", map[string]string{"a.vcl": messyVCL}, []string{"a.vcl"}, 0,
			[]string{formattedVCL}, nil, map[string]string{"a.vcl": messyVCL}},
		{"check unformatted", map[string]string{"a.vcl": messyVCL, "b.vcl": formattedVCL}, []string{"--check", "."}, 1,
			[]string{"a.vcl\n"}, nil, map[string]string{"a.vcl": messyVCL}},
		{"check formatted", map[string]string{"b.vcl": formattedVCL}, []string{"--check", "."}, 0, nil, nil, nil},
		{"write", map[string]string{"a.vcl": messyVCL, "b.vcl": formattedVCL}, []string{"-w", "."}, 0,
			nil, nil, map[string]string{"a.vcl": formattedVCL, "b.vcl": formattedVCL}},
		{"diff exits 1 on differences", map[string]string{"a.vcl": messyVCL}, []string{"--diff", "a.vcl"}, 1,
			[]string{"--- a.vcl", "@@ -1,3 +1,3 @@", "-set req.http.X=\"1\";", "+  set req.http.X = \"1\";", " sub vcl_recv {"}, nil, nil},
		{"syntax error does not stop the others", map[string]string{"a.vcl": messyVCL, "bad.vcl": brokenVCL}, []string{"-w", "."}, 2,
			nil, []string{"bad.vcl:2:", "(not formatted)"}, map[string]string{"a.vcl": formattedVCL, "bad.vcl": brokenVCL}},
		{"check with a syntax error exits 2", map[string]string{"a.vcl": messyVCL, "bad.vcl": brokenVCL}, []string{"--check", "."}, 2,
			[]string{"a.vcl"}, []string{"bad.vcl:2:"}, nil},
		{"diff without differences exits 0", map[string]string{"b.vcl": formattedVCL}, []string{"--diff", "b.vcl"}, 0, nil, nil, nil},
		{"diff with a syntax error exits 2", map[string]string{"a.vcl": messyVCL, "bad.vcl": brokenVCL}, []string{"--diff", "."}, 2,
			[]string{"--- a.vcl"}, []string{"bad.vcl:2:"}, nil},
		{"check after the file", map[string]string{"a.vcl": messyVCL}, []string{"a.vcl", "--check"}, 1,
			[]string{"a.vcl\n"}, nil, map[string]string{"a.vcl": messyVCL}},
		{"write keeps a byte-order mark", map[string]string{"a.vcl": bom + messyVCL}, []string{"-w", "a.vcl"}, 0,
			nil, nil, map[string]string{"a.vcl": bom + formattedVCL}},
		{"check accepts a formatted file with a byte-order mark", map[string]string{"a.vcl": bom + formattedVCL}, []string{"--check", "a.vcl"}, 0, nil, nil, nil},
		{"stdout keeps a byte-order mark", map[string]string{"a.vcl": bom + messyVCL}, []string{"a.vcl"}, 0, []string{bom + formattedVCL}, nil, nil},
		{"tabs", map[string]string{"a.vcl": messyVCL}, []string{"--tabs", "a.vcl"}, 0,
			[]string{"\n\tset req.http.X"}, nil, nil},
		{"usage: bad indent", map[string]string{"a.vcl": messyVCL}, []string{"--indent", "0", "a.vcl"}, 2, nil, []string{"--indent"}, nil},
		{"usage: missing file", nil, []string{"nope.vcl"}, 2, nil, []string{"nope.vcl"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := fmtDir(t, tc.files)
			t.Chdir(dir)
			var out, errb bytes.Buffer
			code := run(append([]string{"fmt"}, tc.args...), &out, &errb)
			if code != tc.exit {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.exit, out.String(), errb.String())
			}
			for _, s := range tc.stdout {
				if !strings.Contains(out.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, out.String())
				}
			}
			for _, s := range tc.stderr {
				if !strings.Contains(errb.String(), s) {
					t.Errorf("stderr lacks %q:\n%s", s, errb.String())
				}
			}
			for name, want := range tc.afterwards {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil || string(got) != want {
					t.Errorf("%s after the run: %q (%v), want %q", name, got, err, want)
				}
			}
		})
	}
}

func TestFmtStdin(t *testing.T) {
	old := fmtStdin
	defer func() { fmtStdin = old }()
	fmtStdin = strings.NewReader(messyVCL)
	var out, errb bytes.Buffer
	if code := run([]string{"fmt"}, &out, &errb); code != 0 || out.String() != formattedVCL {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
	fmtStdin = strings.NewReader(brokenVCL)
	out.Reset()
	if code := run([]string{"fmt", "-"}, &out, &errb); code != 2 || out.Len() != 0 {
		t.Fatalf("broken input: exit %d, stdout %q", code, out.String())
	}
}

// TestDiffLines checks the edit script on random inputs: it must rebuild
// both texts and be as short as the longest common subsequence allows.
func TestDiffLines(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	gen := func() []string {
		n := rng.Intn(12)
		out := make([]string, n)
		for i := range out {
			out[i] = string(rune('a' + rng.Intn(4)))
		}
		return out
	}
	for iter := 0; iter < 2000; iter++ {
		a, b := gen(), gen()
		ops := diffLines(a, b)
		var ra, rb []string
		changes := 0
		for _, o := range ops {
			if o.kind != '+' {
				ra = append(ra, o.text)
			}
			if o.kind != '-' {
				rb = append(rb, o.text)
			}
			if o.kind != ' ' {
				changes++
			}
		}
		if strings.Join(ra, ",") != strings.Join(a, ",") || strings.Join(rb, ",") != strings.Join(b, ",") {
			t.Fatalf("%v -> %v: script %v does not rebuild the texts", a, b, ops)
		}
		if want := len(a) + len(b) - 2*lcs(a, b); changes != want {
			t.Fatalf("%v -> %v: %d changes, want %d", a, b, changes, want)
		}
	}
}

func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}
