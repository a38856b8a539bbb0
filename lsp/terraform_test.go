package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// copyTerraformExample copies examples/terraform into a fresh folder.
func copyTerraformExample(t *testing.T) string {
	t.Helper()
	src, _ := filepath.Abs(filepath.Join("..", "examples", "terraform"))
	dir := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestTerraformHeredoc: in an open .tf file the server checks the VCL of
// snippet heredocs in place: diagnostics at their positions in the .tf
// file, completion and hover inside the heredocs with the snippet's scope
// from its type, and nothing outside them.
func TestTerraformHeredoc(t *testing.T) {
	dir := copyTerraformExample(t)
	c := newTestClient(t, clientOpts{folder: dir})
	path := filepath.Join(dir, "main.tf")
	orig := readFile(t, path)
	// A scope error inside the recv heredoc, and a non-static value.
	text := strings.Replace(orig, `set req.http.X-Route = "api";`, `set req.http.X-Route = beresp.status;`, 1)
	text = strings.Replace(text, `name = "redirects"
  }`, `name = "redirects"
  }
  acl {
    name = data.x.name
  }`, 1)
	uri := c.open(path, text)
	diags := c.waitDiagnostics(uri, func(d []protocol.Diagnostic) bool { return len(d) >= 2 })
	want := map[string]protocol.Position{
		"beresp.status cannot be read in vcl_recv": at(t, text, "beresp.status;", 0),
		"acl name cannot be evaluated statically":  at(t, text, "data.x.name", 0),
	}
	for msg, pos := range want {
		found := false
		for _, d := range diags {
			if strings.Contains(d.Message, msg) && d.Range.Start == pos {
				found = true
			}
		}
		if !found {
			t.Errorf("no diagnostic %q at %v in %+v", msg, pos, diags)
		}
	}
	if len(diags) != 2 {
		t.Errorf("diagnostics = %+v, want exactly those two", diags)
	}

	// Hover inside the <<- heredoc: the ACL comes from the resource.
	var h *protocol.Hover
	c.mustCall(protocol.MethodTextDocumentHover, tdp(uri, at(t, text, "req.url.path ~ \"^/admin\"", 2)), &h)
	if h == nil || !strings.Contains(h.Contents.Value, "req.url.path") || !strings.Contains(h.Contents.Value, "vcl_recv") {
		t.Errorf("hover in heredoc = %+v", h)
	}
	// Outside any heredoc: no hover.
	h = nil
	c.mustCall(protocol.MethodTextDocumentHover, tdp(uri, at(t, text, "use_ssl", 1)), &h)
	if h != nil {
		t.Errorf("hover outside a heredoc = %+v", h)
	}

	// Completion in the recv heredoc offers recv variables, not fetch ones.
	edited := strings.Replace(text, `  set req.backend = F_api;`, "  set req.backend = F_api;\n  set req.http.Y = req.u;", 1)
	c.change(uri, 2, nil, edited)
	var list protocol.CompletionList
	c.mustCall(protocol.MethodTextDocumentCompletion, tdp(uri, at(t, edited, "req.u;", 5)), &list)
	items := labels(list.Items)
	if _, ok := items["req.url"]; !ok {
		t.Errorf("no req.url in completion: %v", keys(items))
	}
	var be protocol.CompletionList
	c.mustCall(protocol.MethodTextDocumentCompletion, tdp(uri, at(t, edited, "= F_api;", 2)), &be)
	if _, ok := labels(be.Items)["F_origin"]; !ok {
		t.Errorf("backend completion lacks F_origin from the resource: %v", keys(labels(be.Items)))
	}
	// Outside: nothing.
	var none *protocol.CompletionList
	c.mustCall(protocol.MethodTextDocumentCompletion, tdp(uri, at(t, edited, "use_ssl", 1)), &none)
	if none != nil && len(none.Items) > 0 {
		t.Errorf("completion outside a heredoc: %d items", len(none.Items))
	}
}

func keys(m map[string]protocol.CompletionItem) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
