package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestLintRefusals: vclide lint never quotes a file that is not VCL, and
// refuses devices, FIFOs and files over the size cap before reading them
// (issue 10, items 3 and 4).
func TestLintRefusals(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.vcl")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	token := write("token.txt", "ghp_S3CRETt0ken\n")
	// A link with a .vcl name to a secret is not VCL either.
	link := filepath.Join(dir, "link.vcl")
	if err := os.Symlink(token, link); err != nil {
		t.Fatal(err)
	}
	linker := write("linker.vcl", "include \"link\";\nsub vcl_recv {\n#FASTLY recv\n}\n")
	main := write("main.vcl", strings.Join([]string{
		`include "token.txt";`,
		`include "/dev/zero";`,
		`include "pipe.vcl";`,
		`include "/dev/stdin";`,
		"sub vcl_recv {\n#FASTLY recv\n}\n",
	}, "\n"))
	// The cap comes from .vclide.yaml.
	write("capped/.vclide.yaml", "max_file_size: 2KB\n")
	write("capped/big.vcl", "sub big {\n"+strings.Repeat("  set req.http.X-Pad = \"padding padding padding padding\";\n", 60)+"}\n")
	capped := write("capped/main.vcl", "include \"big\";\nsub vcl_recv {\n#FASTLY recv\n}\n")
	for _, tc := range []struct {
		name string
		file string
		want []string
	}{
		{"includes", main, []string{
			`main.vcl:1:9: error: included file "token.txt" is not a VCL file [include]`,
			`main.vcl:2:9: error: included file "/dev/zero" is not a regular file [include]`,
			`main.vcl:3:9: error: included file "pipe.vcl" is not a regular file [include]`,
			`main.vcl:4:9: error: included file "/dev/stdin" is not a regular file [include]`,
		}},
		{"size cap", capped, []string{
			`main.vcl:1:9: error: included file "big" is too large (over the 2 KB cap; raise max_file_size in .vclide.yaml) [include]`,
		}},
		{"not VCL", token, []string{`token.txt:1:1: error: token.txt is not a VCL file [syntax]`}},
		{"link to not VCL", link, []string{`link.vcl:1:1: error: link.vcl is not a VCL file [syntax]`}},
		{"include of a link to not VCL", linker, []string{`linker.vcl:1:9: error: included file "link" is not a VCL file [include]`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			code := run([]string{"lint", tc.file}, &stdout, &stderr)
			out := stdout.String() + stderr.String()
			if code != 1 {
				t.Errorf("exit %d, want 1:\n%s", code, out)
			}
			if strings.Contains(out, "ghp_") {
				t.Errorf("lint quotes token.txt:\n%s", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestFmtRefusesSpecialFiles: vclide fmt refuses a FIFO or device named
// on the command line instead of hanging or reading without end.
func TestFmtRefusesSpecialFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.vcl")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	for _, path := range []string{fifo, "/dev/zero"} {
		var stdout, stderr strings.Builder
		if code := run([]string{"fmt", path}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "not a regular file") {
			t.Errorf("fmt %s: exit %d, stderr %q", path, code, stderr.String())
		}
	}
}

// TestLintFIFOConfigFoundWalkingUp: a .vclide.yaml that is a FIFO, found
// above the linted file, stops the lint with a message (exit 2) instead of
// being skipped without a word.
func TestLintFIFOConfigFoundWalkingUp(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, ".vclide.yaml"), 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	file := filepath.Join(sub, "a.vcl")
	if err := os.WriteFile(file, []byte("sub vcl_recv {\n#FASTLY recv\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr strings.Builder
	code := run([]string{"lint", file}, &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), ".vclide.yaml: not a regular file") {
		t.Errorf("lint = %d, stderr %q; want 2 and a message that the configuration is not a regular file", code, stderr.String())
	}
}
