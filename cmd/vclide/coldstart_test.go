package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// catalogReport starts the line a child run with VCLIDE_TEST_REPORT_CATALOG
// writes last on stderr.
const catalogReport = "catalog decoded: "

// TestColdCommandsSkipCatalog runs commands in a fresh process each and
// checks whether the builtin catalogue was decoded: version and fmt must
// not pay for it (nor must any package init), while lint needs it, which
// shows that the report can tell the two apart.
func TestColdCommandsSkipCatalog(t *testing.T) {
	dir := t.TempDir()
	src := "sub vcl_recv {\nif (req.url ~ \"^/a\") {\nset req.http.X = std.tolower(req.url);\n}\nreturn(lookup);\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.vcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args    []string
		stdin   string
		decoded bool
	}{
		{[]string{"version"}, "", false},
		{[]string{"--version"}, "", false},
		{[]string{"--help"}, "", false},
		{[]string{"fmt", "main.vcl"}, "", false},
		{[]string{"fmt", "--check", "main.vcl"}, "", false},
		{[]string{"fmt", "--diff", "main.vcl"}, "", false},
		{[]string{"fmt", "-"}, src, false},
		{[]string{"lint", "main.vcl"}, "", true},
	}
	for _, tc := range tests {
		cmd := exec.Command(self, tc.args...)
		cmd.Env = append(os.Environ(), "VCLIDE_TEST_MAIN=1", "VCLIDE_TEST_REPORT_CATALOG=1")
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(tc.stdin)
		out, _ := cmd.CombinedOutput()
		i := strings.LastIndex(string(out), catalogReport)
		if i < 0 {
			t.Errorf("vclide %s: no catalogue report in %q", strings.Join(tc.args, " "), out)
			continue
		}
		got := strings.TrimSpace(string(out[i+len(catalogReport):])) == "true"
		if got != tc.decoded {
			t.Errorf("vclide %s: catalogue decoded = %v, want %v", strings.Join(tc.args, " "), got, tc.decoded)
		}
	}
}

// TestCatalogHasNoInit: the builtin catalogue is Go tables laid out as
// static data, so its package runs no code when the program starts. The Go
// runtime's init trace (GODEBUG=inittrace=1) names every package whose
// initialisation does any work; a map literal, a table the compiler could
// not lay out statically or a copy of another package's variable in
// analysis/catalog would put it on that list.
func TestCatalogHasNoInit(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, "version")
	cmd.Env = append(os.Environ(), "VCLIDE_TEST_MAIN=1", "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("vclide version: %v\n%s", err, out)
	}
	const pkg = "github.com/vclide/vclide/"
	traced := 0
	for _, line := range strings.Split(string(out), "\n") {
		if !strings.HasPrefix(line, "init "+pkg) {
			continue
		}
		traced++
		if strings.HasPrefix(line, "init "+pkg+"analysis/catalog ") {
			t.Errorf("analysis/catalog runs code at start-up: %s", line)
		}
	}
	if traced == 0 {
		t.Fatalf("no init trace of any %s package in %q; the check would pass vacuously", pkg, out)
	}
}
