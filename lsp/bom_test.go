package lsp

import (
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// TestBOMDocument: a document that starts with a UTF-8 byte-order mark is
// checked without a syntax error, its positions are those an editor shows
// (the BOM is zero-width), and formatting keeps the BOM.
func TestBOMDocument(t *testing.T) {
	const bom = "\uFEFF"
	c := newTestClient(t, clientOpts{noIndex: true})
	dir := t.TempDir()

	// A vcl_recv snippet: the scope error is on the first line, after the BOM.
	uri := c.open(filepath.Join(dir, "recv.vcl"), bom+"set beresp.ttl = 1s;\n")
	ds := c.waitDiagnostics(uri, hasCode("variable-scope"))
	for _, d := range ds {
		if d.Code == "syntax" {
			t.Errorf("syntax error on a BOM: %s", d.Message)
		}
		if d.Code == "variable-scope" && (d.Range.Start != protocol.Position{Line: 0, Character: 4} || d.Range.End != protocol.Position{Line: 0, Character: 14}) {
			t.Errorf("beresp.ttl at %+v, want 0:4-0:14", d.Range)
		}
	}
	var hover protocol.Hover
	c.mustCall(protocol.MethodTextDocumentHover, tdp(uri, protocol.Position{Line: 0, Character: 5}), &hover)
	if !strings.Contains(hover.Contents.Value, "beresp.ttl") {
		t.Errorf("hover at 0:5 = %q, want beresp.ttl", hover.Contents.Value)
	}

	// Formatting keeps the BOM.
	text := bom + "sub vcl_recv {\n#FASTLY recv\nset req.http.X=\"1\";\n}\n"
	uri = c.open(filepath.Join(dir, "main.vcl"), text)
	var edits []protocol.TextEdit
	c.mustCall(protocol.MethodTextDocumentFormatting, map[string]any{"textDocument": map[string]any{"uri": uri}, "options": map[string]any{"tabSize": 2, "insertSpaces": true}}, &edits)
	got := applyEdits(t, text, edits)
	if want := bom + "sub vcl_recv {\n#FASTLY recv\n  set req.http.X = \"1\";\n}\n"; got != want {
		t.Errorf("formatted %q, want %q", got, want)
	}
}
