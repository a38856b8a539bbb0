package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestLongChainCommands runs lint, fmt and run on a file holding a chain
// of a million operands, which overflowed the stack of each command.
func TestLongChainCommands(t *testing.T) {
	// Stack use must not grow with the chain: 64 MB is far below the 1 GB
	// a million nested links needed.
	defer debug.SetMaxStack(debug.SetMaxStack(64 << 20))
	const n = 1_000_000
	src := "sub vcl_recv {\n  set req.http.X-Long = " + strings.Repeat(`"a"+`, n-1) + `"a";` + "\n" +
		"  if (" + strings.Repeat("true&&", n-1) + "req.http.X-Long) {\n    error 200 \"ok\";\n  }\n}\n"
	dir := t.TempDir()
	path := filepath.Join(dir, "long.vcl")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		exit int
		out  string
	}{
		{[]string{"lint", path}, 0, ""},
		{[]string{"fmt", "--check", path}, 1, "long.vcl"},
		{[]string{"run", path, "-r", "GET /"}, 0, "200"},
	}
	for _, tc := range tests {
		t.Run(tc.args[0], func(t *testing.T) {
			var out, errb strings.Builder
			if code := run(tc.args, &out, &errb); code != tc.exit {
				t.Fatalf("exit %d, want %d\nstdout: %.500s\nstderr: %.500s", code, tc.exit, out.String(), errb.String())
			}
			if !strings.Contains(out.String(), tc.out) {
				t.Errorf("stdout lacks %q: %.500s", tc.out, out.String())
			}
		})
	}
}
