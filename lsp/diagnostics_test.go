package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

func codes(ds []protocol.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Code.(string))
	}
	return out
}

func hasCode(code string) func([]protocol.Diagnostic) bool {
	return func(ds []protocol.Diagnostic) bool {
		for _, d := range ds {
			if d.Code == code {
				return true
			}
		}
		return false
	}
}

func empty(ds []protocol.Diagnostic) bool { return len(ds) == 0 }

func TestDiagnosticsOpenDocuments(t *testing.T) {
	c := newTestClient(t, clientOpts{noIndex: true})
	tests := []struct {
		name string
		text string
		want string // a code the diagnostics must contain, "" for none
	}{
		{"clean", "sub vcl_recv {\n  #FASTLY recv\n  set req.http.X = req.url;\n  return(lookup);\n}\n", ""},
		{"scope error", "sub vcl_recv {\n  #FASTLY recv\n  set beresp.ttl = 10s;\n}\n", "variable-scope"},
		{"undeclared local", "sub vcl_recv {\n  #FASTLY recv\n  set req.http.X = var.nope;\n}\n", "undeclared-local"},
		{"syntax error", "sub vcl_recv {\n  set req.http.X = ;\n}\n", "syntax"},
		{"missing macro", "sub vcl_recv {\n  return(lookup);\n}\n", "missing-fastly-macro"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			uri := c.open(filepath.Join(t.TempDir(), "d"+string(rune('a'+i))+".vcl"), tt.text)
			var got []protocol.Diagnostic
			if tt.want == "" {
				got = c.waitDiagnostics(uri, func([]protocol.Diagnostic) bool { return true })
				if len(got) != 0 {
					t.Errorf("want no diagnostics, got %v", codes(got))
				}
				return
			}
			got = c.waitDiagnostics(uri, hasCode(tt.want))
			for _, d := range got {
				if d.Source != "vclide" || d.Message == "" {
					t.Errorf("diagnostic without source or message: %+v", d)
				}
			}
		})
	}
}

func TestDiagnosticsAfterChangeAndClose(t *testing.T) {
	c := newTestClient(t, clientOpts{noIndex: true})
	text := "sub vcl_recv {\n  #FASTLY recv\n  set req.http.X = req.url;\n  return(lookup);\n}\n"
	uri := c.open(filepath.Join(t.TempDir(), "a.vcl"), text)
	c.waitDiagnostics(uri, empty)

	// Incremental change: replace req.url by beresp.ttl (not readable in recv).
	start := at(t, text, "req.url", 0)
	end := at(t, text, "req.url", len("req.url"))
	c.change(uri, 2, &protocol.Range{Start: start, End: end}, "beresp.ttl")
	got := c.waitDiagnostics(uri, hasCode("variable-scope"))
	if got[0].Range.Start != start {
		t.Errorf("diagnostic at %+v, want %+v", got[0].Range.Start, start)
	}
	c.mu.Lock()
	version := c.diags[uri].Version
	c.mu.Unlock()
	if version == nil || *version != 2 {
		t.Errorf("published version %v, want 2", version)
	}

	// Whole-document change back to clean text.
	c.change(uri, 3, nil, text)
	c.waitDiagnostics(uri, empty)

	// Break it again, then close: the diagnostics are cleared.
	c.change(uri, 4, &protocol.Range{Start: start, End: end}, "var.x")
	c.waitDiagnostics(uri, hasCode("undeclared-local"))
	c.notify(protocol.MethodTextDocumentDidClose, map[string]any{"textDocument": map[string]any{"uri": uri}})
	c.waitDiagnostics(uri, empty)
}

func TestDiagnosticsForIncludedFiles(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"inc/helpers.vcl": "sub helper {\n  set req.http.X = var.undeclared;\n}\n",
	})
	c := newTestClient(t, clientOpts{noIndex: true})
	main := "include \"inc/helpers\";\nsub vcl_recv {\n  #FASTLY recv\n  call helper;\n  return(lookup);\n}\n"
	mainURI := c.open(filepath.Join(dir, "main.vcl"), main)
	incURI := pathToURI(filepath.Join(dir, "inc", "helpers.vcl"))
	c.waitDiagnostics(mainURI, empty)
	got := c.waitDiagnostics(incURI, hasCode("undeclared-local"))
	if len(got) != 1 {
		t.Errorf("included file: %v", codes(got))
	}
	// Editing the included file (opened) is checked from the includer: the
	// helper's scope is vcl_recv, so beresp is refused there.
	c.open(filepath.Join(dir, "inc", "helpers.vcl"), "sub helper {\n  set beresp.ttl = 1s;\n}\n")
	c.waitDiagnostics(incURI, hasCode("variable-scope"))
}

func TestConfigChangeRechecks(t *testing.T) {
	dir := t.TempDir()
	text := "sub vcl_recv {\n  #FASTLY recv\n  set req.backend = F_external;\n  return(lookup);\n}\n"
	c := newTestClient(t, clientOpts{folder: dir, noIndex: true})
	uri := c.open(filepath.Join(dir, "main.vcl"), text)
	c.waitDiagnostics(uri, hasCode("undefined-backend"))

	cfg := filepath.Join(dir, ".vclide.yaml")
	if err := os.WriteFile(cfg, []byte("declarations:\n  backends: [F_external]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{
		"changes": []any{map[string]any{"uri": pathToURI(cfg), "type": 1}},
	})
	c.waitDiagnostics(uri, empty)

	// Saving the configuration from the editor re-checks too.
	if err := os.WriteFile(cfg, []byte("severity:\n  missing-fastly-macro: error\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodTextDocumentDidSave, map[string]any{"textDocument": map[string]any{"uri": pathToURI(cfg)}})
	c.waitDiagnostics(uri, hasCode("undefined-backend"))
}

func TestDiagnosticsWorkspaceFixture(t *testing.T) {
	dir := copyWorkspace(t)
	c := newTestClient(t, clientOpts{folder: dir})
	for _, name := range []string{"main.vcl", "snippets/recv_extra.vcl"} {
		path := filepath.Join(dir, filepath.FromSlash(name))
		uri := c.open(path, readFile(t, path))
		got := c.waitDiagnostics(uri, func([]protocol.Diagnostic) bool { return true })
		for _, d := range got {
			if d.Severity == protocol.DiagnosticSeverityError {
				t.Errorf("%s: unexpected error %s: %s", name, d.Code, d.Message)
			}
		}
	}
	// The backends file is included by main.vcl: it gets (empty) diagnostics too.
	c.waitDiagnostics(pathToURI(filepath.Join(dir, "backends.vcl")), func(ds []protocol.Diagnostic) bool { return true })
	if !strings.Contains(strings.Join(c.progressKinds(), ","), "begin") {
		t.Errorf("no $/progress begin while indexing: %v", c.progressKinds())
	}
}

func (c *testClient) progressKinds() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.progress...)
}

func TestConfigProblemsAreDiagnostics(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{
		".vclide.yaml": "declarations:\n  backendz: [F_x]\nseverity:\n  unused-local: loud\n",
	})
	c := newTestClient(t, clientOpts{folder: dir, noIndex: true})
	c.open(filepath.Join(dir, "main.vcl"), "sub vcl_recv {\n  #FASTLY recv\n}\n")
	cfg := pathToURI(filepath.Join(dir, ".vclide.yaml"))
	got := c.waitDiagnostics(cfg, func(ds []protocol.Diagnostic) bool { return len(ds) >= 2 })
	lines := map[uint32]bool{}
	for _, d := range got {
		if d.Code != "config" || d.Severity != protocol.DiagnosticSeverityError {
			t.Errorf("diagnostic %+v", d)
		}
		lines[d.Range.Start.Line] = true
	}
	if !lines[1] || !lines[3] {
		t.Errorf("problems on lines %v, want 1 and 3: %+v", lines, got)
	}
	// Fixing the file clears them.
	if err := os.WriteFile(filepath.Join(dir, ".vclide.yaml"), []byte("declarations:\n  backends: [F_x]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{map[string]any{"uri": cfg, "type": 2}}})
	c.waitDiagnostics(cfg, empty)
}

func TestWatchedVCLFiles(t *testing.T) {
	dir := t.TempDir()
	c := newTestClient(t, clientOpts{folder: dir})
	uri := c.open(filepath.Join(dir, "main.vcl"), "include \"helpers\";\nsub vcl_recv {\n  #FASTLY recv\n  call helper;\n  return(lookup);\n}\n")
	c.waitDiagnostics(uri, hasCode("include"))
	// The missing include appears on disk.
	helpers := filepath.Join(dir, "helpers.vcl")
	if err := os.WriteFile(helpers, []byte("sub helper {\n  set req.http.X = \"1\";\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{map[string]any{"uri": pathToURI(helpers), "type": 1}}})
	c.waitDiagnostics(uri, empty)
	// It changes on disk: its problems show, checked from main.vcl.
	if err := os.WriteFile(helpers, []byte("sub helper {\n  set beresp.ttl = 1s;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{map[string]any{"uri": pathToURI(helpers), "type": 2}}})
	c.waitDiagnostics(pathToURI(helpers), hasCode("variable-scope"))
	// It is deleted: the include is missing again.
	os.Remove(helpers)
	c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{map[string]any{"uri": pathToURI(helpers), "type": 3}}})
	c.waitDiagnostics(uri, hasCode("include"))
	c.waitDiagnostics(pathToURI(helpers), empty)
}

func TestOpenConfigFileIsNotVCL(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{".vclide.yaml": "declarations:\n  backends: [F_x]\n"})
	c := newTestClient(t, clientOpts{folder: dir, noIndex: true})
	vcl := c.open(filepath.Join(dir, "main.vcl"), "sub vcl_recv {\n  #FASTLY recv\n  set req.backend = F_x;\n}\n")
	cfg := c.open(filepath.Join(dir, ".vclide.yaml"), "declarations:\n  backends: [F_x]\n")
	c.waitDiagnostics(vcl, empty)
	got := c.waitDiagnostics(cfg, func([]protocol.Diagnostic) bool { return true })
	if len(got) != 0 {
		t.Errorf("the configuration got diagnostics: %+v", got)
	}
}
