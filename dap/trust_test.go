package dap

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-dap"
)

// TestSourceOnlyProgramFiles: the source request serves the files of the
// launched program and nothing else, and nothing before a launch (issue
// 10, item 1).
func TestSourceOnlyProgramFiles(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "id_rsa")
	if err := os.WriteFile(secret, []byte("-----BEGIN PRIVATE KEY-----\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	lib := filepath.Join(dir, "lib.vcl")
	main := filepath.Join(dir, "main.vcl")
	os.WriteFile(lib, []byte("sub lib_sub {\n  set req.http.X-Lib = \"1\";\n}\n"), 0o644)
	os.WriteFile(main, []byte("include \"lib\";\nsub vcl_recv {\n#FASTLY recv\n  call lib_sub;\n}\n"), 0o644)

	c := newTestClient(t)
	c.call("initialize", map[string]any{"adapterID": "vcl", "linesStartAt1": true, "columnsStartAt1": true})
	source := func(path string) (string, string) {
		r := c.response(c.send("source", map[string]any{"source": map[string]any{"path": path}, "sourceReference": 0}))
		if sr, ok := r.(*dap.SourceResponse); ok && sr.Success {
			return sr.Body.Content, ""
		}
		return "", r.GetResponse().Message
	}
	if content, msg := source(main); msg == "" {
		t.Errorf("source before launch answered %q, want an error", content)
	}
	if content, msg := source(secret); msg == "" || strings.Contains(content, "PRIVATE") {
		t.Errorf("source of a private file before launch answered %q", content)
	}
	c.call("launch", map[string]any{"program": main})
	c.event("initialized")
	for _, p := range []string{main, lib} {
		if content, msg := source(p); msg != "" || !strings.Contains(content, "sub") {
			t.Errorf("source %s: %q %q", filepath.Base(p), content, msg)
		}
	}
	for _, p := range []string{secret, "/etc/passwd", filepath.Join(dir, "..", filepath.Base(dir), "id_rsa")} {
		content, msg := source(p)
		if msg == "" || content != "" {
			t.Errorf("source %s answered %q, want an error", p, content)
		} else if !strings.Contains(msg, "not a file of the launched program") {
			t.Errorf("source %s: error %q", p, msg)
		}
	}
}

// TestLaunchRefusesSpecialFiles: a FIFO or device as program or scenario,
// or a program over the size cap, fails the launch at once instead of
// hanging the session or reading without end (issue 10, item 4).
func TestLaunchRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.vcl")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	big := filepath.Join(dir, "big", "main.vcl")
	os.MkdirAll(filepath.Dir(big), 0o755)
	os.WriteFile(filepath.Join(dir, "big", ".vclide.yaml"), []byte("max_file_size: 1KB\n"), 0o644)
	os.WriteFile(big, []byte("sub vcl_recv {\n#FASTLY recv\n"+strings.Repeat("  set req.http.X-Pad = \"padding padding padding\";\n", 40)+"}\n"), 0o644)
	main := testdata(t, "main.vcl")
	for _, tc := range []struct {
		name string
		args map[string]any
		want string
	}{
		{"fifo program", map[string]any{"program": fifo}, "not a regular file"},
		{"device program", map[string]any{"program": "/dev/zero"}, "not a regular file"},
		{"fifo scenario", map[string]any{"program": main, "scenario": fifo}, "not a regular file"},
		{"program over the cap", map[string]any{"program": big}, "file too large (over the 1 KB cap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t)
			c.call("initialize", map[string]any{"adapterID": "vcl"})
			start := time.Now()
			msg := c.callErr("launch", tc.args)
			if time.Since(start) > 5*time.Second {
				t.Errorf("the launch took %v", time.Since(start))
			}
			if !strings.Contains(msg, tc.want) {
				t.Errorf("launch error %q, want %q", msg, tc.want)
			}
		})
	}
}

// TestLaunchNotVCL: a program or include that is not VCL fails the launch
// with "not a VCL file", never quoting it (issue 10, item 3).
func TestLaunchNotVCL(t *testing.T) {
	dir := t.TempDir()
	token := filepath.Join(dir, "token.txt")
	os.WriteFile(token, []byte("ghp_S3CRETt0ken\n"), 0o600)
	main := filepath.Join(dir, "main.vcl")
	os.WriteFile(main, []byte("include \"token.txt\";\nsub vcl_recv {\n#FASTLY recv\n}\n"), 0o644)
	for _, program := range []string{main, token} {
		c := newTestClient(t)
		c.call("initialize", map[string]any{"adapterID": "vcl"})
		msg := c.callErr("launch", map[string]any{"program": program})
		if strings.Contains(msg, "ghp_") || strings.Contains(c.outputText(), "ghp_") {
			t.Errorf("launch of %s quotes the token: %q", filepath.Base(program), msg)
		}
		if !strings.Contains(msg, "not a VCL file") {
			t.Errorf("launch of %s: %q, want \"not a VCL file\"", filepath.Base(program), msg)
		}
	}
}
