package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis/catalog"
)

// TestMain lets a test re-run this binary as `vclide` (VCLIDE_TEST_MAIN=1),
// so that a child process can be given resource limits. With
// VCLIDE_TEST_REPORT_CATALOG=1 the child also says on stderr whether it
// decoded the builtin catalogue.
func TestMain(m *testing.M) {
	if os.Getenv("VCLIDE_TEST_MAIN") == "1" {
		code := run(os.Args[1:], os.Stdout, os.Stderr)
		if os.Getenv("VCLIDE_TEST_REPORT_CATALOG") == "1" {
			fmt.Fprintf(os.Stderr, "\n%s%v\n", catalogReport, catalog.Decoded())
		}
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// TestFmtWriteFullDisk runs `vclide fmt -w` under a file size limit (a
// stand-in for a full disk): the write fails midway with EFBIG and the
// original file must be left whole, with no temporary file lying around.
func TestFmtWriteFullDisk(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	var src strings.Builder
	for i := 0; src.Len() < 256<<10; i++ {
		src.WriteString("sub vcl_recv {\nset req.http.X=\"1\";\n}\n")
	}
	dir := fmtDir(t, map[string]string{"big.vcl": src.String()})
	path := filepath.Join(dir, "big.vcl")
	// ulimit -f counts 512-byte blocks in dash and 1024-byte ones in bash:
	// 64 blocks is at most 64 KB, well under the file's 256 KB.
	cmd := exec.Command("sh", "-c", `ulimit -f 64 && exec "$0" fmt -w "$1"`, os.Args[0], path)
	cmd.Env = append(os.Environ(), "VCLIDE_TEST_MAIN=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("fmt -w succeeded beyond the file size limit:\n%s", out)
	}
	if code := cmd.ProcessState.ExitCode(); code != 2 {
		t.Errorf("exit %d, want 2:\n%s", code, out)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != src.String() {
		t.Fatalf("original damaged by a failed write: %d bytes left of %d (%v)", len(got), src.Len(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only big.vcl", len(entries))
	}
}

// TestFmtWriteKeepsMode checks that -w keeps the permission bits.
func TestFmtWriteKeepsMode(t *testing.T) {
	dir := fmtDir(t, map[string]string{"a.vcl": messyVCL})
	path := filepath.Join(dir, "a.vcl")
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	if code := run([]string{"fmt", "-w", path}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v (%v), want 0600", info.Mode().Perm(), err)
	}
	if got, _ := os.ReadFile(path); string(got) != formattedVCL {
		t.Errorf("file holds %q", got)
	}
}

// TestFmtLineEndings checks that CRLF files stay CRLF (no stray CR left in
// block comments) unless --line-endings asks otherwise.
func TestFmtLineEndings(t *testing.T) {
	const crlf = "/* a\r\n b */\r\nsub vcl_recv {\r\nset req.http.X=\"1\";\r\n}\r\n"
	tests := []struct {
		name string
		args []string
		src  string
		want string
		exit int
	}{
		{"crlf stays crlf", nil, crlf, "/* a\r\n b */\r\nsub vcl_recv {\r\n  set req.http.X = \"1\";\r\n}\r\n", 0},
		{"--line-endings lf", []string{"--line-endings", "lf"}, crlf, "/* a\n b */\nsub vcl_recv {\n  set req.http.X = \"1\";\n}\n", 0},
		{"--line-endings crlf", []string{"--line-endings", "crlf"}, messyVCL, strings.ReplaceAll(formattedVCL, "\n", "\r\n"), 0},
		{"bad value", []string{"--line-endings", "cr"}, messyVCL, messyVCL, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := fmtDir(t, map[string]string{"a.vcl": tc.src})
			path := filepath.Join(dir, "a.vcl")
			var out, errb strings.Builder
			args := append(append([]string{"fmt", "-w"}, tc.args...), path)
			if code := run(args, &out, &errb); code != tc.exit {
				t.Fatalf("exit %d, want %d: %s", code, tc.exit, errb.String())
			}
			if got, _ := os.ReadFile(path); string(got) != tc.want {
				t.Errorf("file holds %q, want %q", got, tc.want)
			}
		})
	}
}
