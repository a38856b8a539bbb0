package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// runBinary runs this test binary as `vclide` (see TestMain: it then
// behaves exactly as main does) with args and stdin, and returns its exit
// code, stdout and stderr.
func runBinary(t *testing.T, dir, stdin string, args ...string) (int, string, string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), "VCLIDE_TEST_MAIN=1")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

// TestSubcommandHelp: every subcommand answers --help (and -h) with a usage
// line naming its positional arguments, its flags, on stdout, exit 0.
func TestSubcommandHelp(t *testing.T) {
	tests := []struct {
		args  []string
		usage string   // the first line
		flags []string // flags the help must list
	}{
		{[]string{"lint", "--help"}, "usage: vclide lint [flags] FILE_OR_DIR... | -", []string{"-format", "-config", "-stdin-filename", "-I"}},
		{[]string{"fmt", "--help"}, "usage: vclide fmt [flags] [FILE_OR_DIR... | -]", []string{"-check", "-diff", "-indent", "-tabs", "-w"}},
		{[]string{"run", "--help"}, "usage: vclide run [flags] [FILE.vcl]", []string{"-r", "-H", "-scenario", "-json", "-origin", "-nodes", "-seed", "-no-clustering", "-I"}},
		{[]string{"serve", "--help"}, "usage: vclide serve [flags] FILE.vcl", []string{"-listen", "-allow-remote", "-origin", "-nodes", "-seed", "-no-clustering"}},
		{[]string{"lsp", "--help"}, "usage: vclide lsp [flags]", []string{"-listen", "-log", "-log-level", "-stdio"}},
		{[]string{"dap", "--help"}, "usage: vclide dap [flags]", []string{"-listen", "-log", "-log-level"}},
		{[]string{"test", "--help"}, "usage: vclide test [flags] MAIN.vcl", []string{"-filter", "-json", "-junit", "-coverage", "-I"}},
		{[]string{"lint", "-h"}, "usage: vclide lint [flags] FILE_OR_DIR... | -", nil},
		{[]string{"lint", "x.vcl", "--help"}, "usage: vclide lint [flags] FILE_OR_DIR... | -", nil},
		{[]string{"help", "run"}, "usage: vclide run [flags] [FILE.vcl]", nil},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, out, errOut := runBinary(t, ".", "", tc.args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q; want 0 and nothing", code, errOut)
			}
			if first, _, _ := strings.Cut(out, "\n"); first != tc.usage {
				t.Errorf("first line %q, want %q", first, tc.usage)
			}
			for _, f := range tc.flags {
				if !strings.Contains(out, "\n  "+f+" ") && !strings.Contains(out, "\n  "+f+"\n") && !strings.Contains(out, "\n  "+f+"\t") {
					t.Errorf("help does not list %s:\n%s", f, out)
				}
			}
		})
	}
}

// TestUsageErrorsGoToStderr: an unknown flag exits 2 with the usage line
// on stderr and nothing on stdout.
func TestUsageErrorsGoToStderr(t *testing.T) {
	for _, sub := range []string{"lint", "fmt", "run", "serve", "lsp", "dap", "test"} {
		code, out, errOut := runBinary(t, ".", "", sub, "--no-such-flag")
		if code != 2 || out != "" || !strings.Contains(errOut, "usage: vclide "+sub) {
			t.Errorf("%s --no-such-flag: exit %d, stdout %q, stderr %q", sub, code, out, errOut)
		}
	}
}

// TestFlagsAfterArguments drives the binary with flags placed after the
// file arguments, for every subcommand that takes files.
func TestFlagsAfterArguments(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("messy.vcl", messyVCL)
	lintDir, _ := filepath.Abs("../../testdata/lint")
	example, _ := filepath.Abs("../../examples/boilerplate.vcl")
	incDir, _ := filepath.Abs("../../testdata/lint/project/includes")
	mainVCL, _ := filepath.Abs("../../testdata/lint/project/main.vcl")

	t.Run("lint DIR --format json", func(t *testing.T) {
		code, out, errOut := runBinary(t, dir, "", "lint", filepath.Join(lintDir, "bad.vcl"), "--format", "json")
		var diags []jsonDiagnostic
		if code != 1 || json.Unmarshal([]byte(out), &diags) != nil || len(diags) == 0 {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("lint FILE -I DIR", func(t *testing.T) {
		if code, out, errOut := runBinary(t, dir, "", "lint", mainVCL, "-I", incDir); code != 0 {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("fmt FILE --check", func(t *testing.T) {
		code, out, _ := runBinary(t, dir, "", "fmt", "messy.vcl", "--check")
		if code != 1 || out != "messy.vcl\n" {
			t.Fatalf("exit %d, stdout %q", code, out)
		}
	})
	t.Run("fmt FILE --diff", func(t *testing.T) {
		code, out, _ := runBinary(t, dir, "", "fmt", "messy.vcl", "--diff")
		if code != 1 || !strings.HasPrefix(out, "--- messy.vcl") {
			t.Fatalf("exit %d, stdout %q", code, out)
		}
	})
	t.Run("fmt FILE --tabs --indent 4", func(t *testing.T) {
		code, out, _ := runBinary(t, dir, "", "fmt", "messy.vcl", "--indent", "4")
		if code != 0 || !strings.Contains(out, "\n    set req.http.X") {
			t.Fatalf("exit %d, stdout %q", code, out)
		}
	})
	t.Run("run FILE --json", func(t *testing.T) {
		code, out, errOut := runBinary(t, dir, "", "run", example, "--json", "-r", "/x")
		var o map[string]any
		if code != 0 || json.Unmarshal([]byte(out), &o) != nil || o["request"] == nil {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
	t.Run("serve FILE --listen refuses a public address", func(t *testing.T) {
		code, _, errOut := runBinary(t, dir, "", "serve", example, "--listen", "0.0.0.0:0")
		if code != 2 || !strings.Contains(errOut, "not a loopback address") {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
	})
	t.Run("after --, a flag-like name is a file", func(t *testing.T) {
		write("-dash.vcl", formattedVCL)
		code, out, errOut := runBinary(t, dir, "", "fmt", "--check", "--", "-dash.vcl")
		if code != 0 || out != "" {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})
}

// TestEveryCommandHasHelp: every registered subcommand, including ones added
// later, answers --help with its usage line on stdout and exit 0.
func TestEveryCommandHasHelp(t *testing.T) {
	if len(commands) < 7 {
		t.Fatalf("only %d commands registered", len(commands))
	}
	for _, c := range commands {
		code, out, errOut := runBinary(t, ".", "", c.name, "--help")
		if code != 0 || errOut != "" || !strings.HasPrefix(out, "usage: vclide "+c.name+" [flags]") {
			t.Errorf("%s --help: exit %d, stderr %q, stdout %q", c.name, code, errOut, out)
		}
	}
}
