package lsp

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// TestOutsideWorkspace: the server reads from disk only the workspace
// folders, include paths and open documents. An include elsewhere is a
// diagnostic on the include line, and a request about a file outside that
// was never opened returns no content (issue 10, item 2).
func TestOutsideWorkspace(t *testing.T) {
	root := t.TempDir()
	ws := writeFiles(t, root+"/ws", map[string]string{
		"main.vcl": "include \"" + root + "/outside/secret.vcl\";\nsub vcl_recv {\n#FASTLY recv\n}\n",
	})
	writeFiles(t, root+"/outside", map[string]string{
		"secret.vcl": "sub secret_sub {\n  set req.http.X-Secret   =   \"hunter2\";\n}\n",
	})
	c := newTestClient(t, clientOpts{folder: ws})
	main := ws + "/main.vcl"
	uri := c.open(main, "include \""+root+"/outside/secret.vcl\";\nsub vcl_recv {\n#FASTLY recv\n}\n")
	diags := c.waitDiagnostics(uri, func(ds []protocol.Diagnostic) bool { return len(ds) > 0 })
	found := false
	for _, d := range diags {
		if d.Range.Start.Line == 0 && strings.Contains(d.Message, "outside the workspace") {
			found = true
		}
		if strings.Contains(d.Message, "hunter2") {
			t.Errorf("a diagnostic quotes the outside file: %q", d.Message)
		}
	}
	if !found {
		t.Errorf("no \"outside the workspace\" diagnostic on the include line: %+v", diags)
	}

	// Formatting a never-opened file outside the workspace reads nothing.
	var edits []protocol.TextEdit
	err := c.call(protocol.MethodTextDocumentFormatting, map[string]any{
		"textDocument": map[string]any{"uri": pathToURI(root + "/outside/secret.vcl")},
		"options":      map[string]any{"tabSize": 2, "insertSpaces": true},
	}, &edits)
	if err == nil {
		t.Errorf("formatting a file outside the workspace answered %d edits, want an error", len(edits))
	} else if !strings.Contains(err.Error(), "outside the workspace") {
		t.Errorf("error %q, want \"outside the workspace\"", err)
	}
	for _, e := range edits {
		if strings.Contains(e.NewText, "hunter2") {
			t.Errorf("formatting returned the outside file's content: %q", e.NewText)
		}
	}
	// Hover on an open document still works, and a file inside the
	// workspace that was never opened may be read.
	writeFiles(t, ws, map[string]string{"inside.vcl": "sub vcl_recv {\n#FASTLY recv\n  set req.http.A   =   \"1\";\n}\n"})
	if err := c.call(protocol.MethodTextDocumentFormatting, map[string]any{
		"textDocument": map[string]any{"uri": pathToURI(ws + "/inside.vcl")},
		"options":      map[string]any{"tabSize": 2, "insertSpaces": true},
	}, &edits); err != nil {
		t.Errorf("formatting a workspace file: %v", err)
	}
	c.shutdown()
}

// TestNotVCLIncludeLSP: an include of a file that is not VCL is reported
// as such, never quoting it (issue 10, item 3).
func TestNotVCLIncludeLSP(t *testing.T) {
	ws := writeFiles(t, t.TempDir(), map[string]string{
		"token.txt": "ghp_S3CRETt0ken\n",
	})
	c := newTestClient(t, clientOpts{folder: ws})
	text := "include \"token.txt\";\nsub vcl_recv {\n#FASTLY recv\n}\n"
	uri := c.open(ws+"/main.vcl", text)
	diags := c.waitDiagnostics(uri, func(ds []protocol.Diagnostic) bool { return len(ds) > 0 })
	found := false
	for _, d := range diags {
		if strings.Contains(d.Message, "ghp_S3CRETt0ken") {
			t.Errorf("a diagnostic quotes token.txt: %q", d.Message)
		}
		if strings.Contains(d.Message, "not a VCL file") && d.Range.Start.Line == 0 {
			found = true
		}
	}
	if !found {
		t.Errorf("no \"not a VCL file\" diagnostic on the include line: %+v", diags)
	}
	c.shutdown()
}
