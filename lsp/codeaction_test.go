package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// actionsAt asks for the code actions of the diagnostics on a line.
func (c *testClient) actionsAt(uri protocol.DocumentURI, line uint32) []codeAction {
	c.t.Helper()
	var raw json.RawMessage
	c.mustCall(protocol.MethodTextDocumentCodeAction, map[string]any{
		"textDocument": map[string]any{"uri": uri},
		"range":        protocol.Range{Start: protocol.Position{Line: line}, End: protocol.Position{Line: line, Character: 200}},
		"context":      map[string]any{"diagnostics": []any{}},
	}, &raw)
	var out []codeAction
	if err := json.Unmarshal(raw, &out); err != nil {
		c.t.Fatal(err)
	}
	return out
}

func TestQuickFixes(t *testing.T) {
	c := newTestClient(t, clientOpts{noIndex: true})
	dir := t.TempDir()
	tests := []struct {
		name  string
		text  string
		line  uint32
		title string // the action to apply
		want  string // the text after applying it
	}{
		{"missing macro", "sub vcl_recv {\n  return(lookup);\n}\n", 0, "Insert `#FASTLY recv`",
			"sub vcl_recv {\n  #FASTLY recv\n  return(lookup);\n}\n"},
		{"invalid return", "sub vcl_fetch {\n  #FASTLY fetch\n  return(lookup);\n}\n", 2, "Return `deliver` instead",
			"sub vcl_fetch {\n  #FASTLY fetch\n  return(deliver);\n}\n"},
		{"misspelled variable", "sub vcl_recv {\n  #FASTLY recv\n  set req.http.X = req.ulr;\n}\n", 2, "Change to `req.url`",
			"sub vcl_recv {\n  #FASTLY recv\n  set req.http.X = req.url;\n}\n"},
		{"misspelled function", "sub vcl_recv {\n  #FASTLY recv\n  set req.http.X = std.tolowr(req.url);\n}\n", 2, "Change to `std.tolower`",
			"sub vcl_recv {\n  #FASTLY recv\n  set req.http.X = std.tolower(req.url);\n}\n"},
		{"undeclared local", "sub vcl_recv {\n  #FASTLY recv\n  set var.count = 1;\n}\n", 2, "Declare `declare local var.count INTEGER;`",
			"sub vcl_recv {\n  #FASTLY recv\n  declare local var.count INTEGER;\n  set var.count = 1;\n}\n"},
		{"ignore", "sub vcl_recv {\n  #FASTLY recv\n  set beresp.ttl = 1s;\n}\n", 2, "Ignore this diagnostic (`# vclide:ignore variable-scope`)",
			"sub vcl_recv {\n  #FASTLY recv\n  # vclide:ignore variable-scope\n  set beresp.ttl = 1s;\n}\n"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "q"+string(rune('a'+i))+".vcl")
			uri := c.open(path, tt.text)
			c.waitDiagnostics(uri, func(ds []protocol.Diagnostic) bool { return len(ds) > 0 })
			actions := c.actionsAt(uri, tt.line)
			var titles []string
			for _, a := range actions {
				titles = append(titles, a.Title)
				if a.Title != tt.title {
					continue
				}
				if a.Kind != protocol.QuickFix || len(a.Diagnostics) != 1 || a.Edit == nil {
					t.Fatalf("malformed action %+v", a)
				}
				got := applyEdits(t, tt.text, a.Edit.Changes[uri])
				if got != tt.want {
					t.Errorf("after %q:\n%s\nwant:\n%s", a.Title, got, tt.want)
				}
				// The fixed text has no diagnostic of that code any more.
				c.change(uri, 2, nil, got)
				code := a.Diagnostics[0].Code
				c.waitDiagnostics(uri, func(ds []protocol.Diagnostic) bool { return !hasCode(code.(string))(ds) })
				return
			}
			t.Errorf("no action %q; have %q", tt.title, titles)
		})
	}
}

func TestQuickFixDeclareInConfig(t *testing.T) {
	text := "sub vcl_recv {\n  #FASTLY recv\n  set req.backend = F_new;\n  return(lookup);\n}\n"
	t.Run("creates the file", func(t *testing.T) {
		dir := t.TempDir()
		c := newTestClient(t, clientOpts{folder: dir, noIndex: true})
		uri := c.open(filepath.Join(dir, "main.vcl"), text)
		c.waitDiagnostics(uri, hasCode("undefined-backend"))
		for _, a := range c.actionsAt(uri, 2) {
			if !strings.HasPrefix(a.Title, "Declare backend F_new in .vclide.yaml") {
				continue
			}
			dc := a.Edit.DocumentChanges
			if len(dc) != 2 || dc[0].Kind != "create" || !strings.HasSuffix(string(dc[0].URI), ".vclide.yaml") {
				t.Fatalf("document changes %+v", dc)
			}
			content := dc[1].Edits[0].NewText
			if !strings.Contains(content, "declarations:") || !strings.Contains(content, "backends: [F_new]") {
				t.Errorf("new config:\n%s", content)
			}
			// Writing it makes the warning go away.
			if err := os.WriteFile(filepath.Join(dir, ".vclide.yaml"), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			c.notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{"changes": []any{map[string]any{"uri": dc[0].URI, "type": 1}}})
			c.waitDiagnostics(uri, empty)
			return
		}
		t.Error("no action to declare F_new")
	})
	t.Run("edits the existing file", func(t *testing.T) {
		dir := writeFiles(t, t.TempDir(), map[string]string{".vclide.yaml": "# my config\ndeclarations:\n  acls: [office]\n"})
		c := newTestClient(t, clientOpts{folder: dir, noIndex: true})
		uri := c.open(filepath.Join(dir, "main.vcl"), text)
		c.waitDiagnostics(uri, hasCode("undefined-backend"))
		for _, a := range c.actionsAt(uri, 2) {
			if a.Title != "Declare backend F_new in .vclide.yaml" {
				continue
			}
			for u, edits := range a.Edit.Changes {
				if !strings.HasSuffix(string(u), ".vclide.yaml") || len(edits) != 1 {
					t.Fatalf("edit %v", a.Edit.Changes)
				}
				got := edits[0].NewText
				for _, w := range []string{"# my config", "acls: [office]", "backends: [F_new]"} {
					if !strings.Contains(got, w) {
						t.Errorf("config lacks %q:\n%s", w, got)
					}
				}
			}
			return
		}
		t.Error("no action to declare F_new")
	})
}

func TestAddDeclaration(t *testing.T) {
	tests := []struct {
		name, in, key, value string
		want                 []string
		ok                   bool
	}{
		{"empty file", "", "acls", "office", []string{"declarations:", "acls: [office]"}, true},
		{"append to a list", "declarations:\n  backends: [a]\n", "backends", "b", []string{"backends: [a, b]"}, true},
		{"block list", "declarations:\n  backends:\n    - a\n", "backends", "b", []string{"- a", "- b"}, true},
		{"table", "declarations:\n  tables: {t1: STRING}\n", "tables", "t2", []string{"t1: STRING", "t2: STRING"}, true},
		{"already there", "declarations:\n  backends: [a]\n", "backends", "a", nil, false},
		{"not a mapping", "- 1\n- 2\n", "backends", "a", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := addDeclaration(tt.in, tt.key, tt.value)
			if ok != tt.ok {
				t.Fatalf("ok=%v, want %v (%q)", ok, tt.ok, got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
		})
	}
}
