package lsp

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// cursor is the marker tests put where the cursor is.
const cursor = "‸"

// openAtCursor opens text (without the marker) and returns its URI and the
// cursor position.
func (c *testClient) openAtCursor(path, text string) (protocol.DocumentURI, protocol.Position) {
	c.t.Helper()
	pos := at(c.t, text, cursor, 0)
	return c.open(path, strings.Replace(text, cursor, "", 1)), pos
}

func labels(items []protocol.CompletionItem) map[string]protocol.CompletionItem {
	out := map[string]protocol.CompletionItem{}
	for _, it := range items {
		out[it.Label] = it
	}
	return out
}

const complBase = `backend F_origin { .host = "a"; }
director pool random { { .backend = F_origin; .weight = 1; } }
acl internal { "10.0.0.0"/8; }
table redirects { "/a": "/b", }
sub normalize {
  set req.http.X-Custom-Thing = "1";
}
sub fetch_helper {
  declare local var.t RTIME;
}
`

func TestCompletion(t *testing.T) {
	c := newTestClient(t, clientOpts{noIndex: true})
	dir := t.TempDir()
	tests := []struct {
		name    string
		text    string
		want    []string
		notWant []string
	}{
		{"expression in vcl_recv", "sub vcl_recv {\n  set req.http.A = " + cursor + ";\n}\n",
			[]string{"req.url", "client.ip", "std.tolower", "req.http."}, []string{"beresp.ttl", "resp.status", "h2.push"}},
		{"set target in vcl_recv", "sub vcl_recv {\n  set " + cursor + "\n}\n",
			[]string{"req.url", "req.backend", "req.http."}, []string{"client.ip", "beresp.ttl", "std.tolower"}},
		{"set target with prefix", "sub vcl_recv {\n  set req.ur" + cursor + "\n}\n",
			[]string{"req.url"}, []string{"beresp.ttl", "client.ip"}},
		{"unset in vcl_deliver", "sub vcl_deliver {\n  unset " + cursor + "\n}\n",
			[]string{"resp.http."}, []string{"req.url", "resp.status"}},
		{"expression in vcl_fetch", "sub vcl_fetch {\n  if (" + cursor + ") {}\n}\n",
			[]string{"beresp.ttl", "beresp.status", "req.url"}, []string{"resp.status"}},
		{"headers after req.http.", "sub vcl_recv {\n  set req.http." + cursor + "\n}\n",
			[]string{"req.http.X-Custom-Thing", "req.http.Fastly-Debug"}, []string{"req.url"}},
		{"return actions in vcl_recv", "sub vcl_recv {\n  return(" + cursor + ");\n}\n",
			[]string{"lookup", "pass", "error"}, []string{"deliver", "fetch", "req.url"}},
		{"return actions in vcl_fetch", "sub vcl_fetch {\n  return(" + cursor,
			[]string{"deliver", "pass"}, []string{"lookup"}},
		{"call offers subroutines", "sub vcl_recv {\n  call " + cursor + "\n}\n",
			[]string{"normalize", "fetch_helper"}, []string{"vcl_recv", "req.url"}},
		{"backends after req.backend =", "sub vcl_recv {\n  set req.backend = " + cursor + "\n}\n",
			[]string{"F_origin", "pool"}, []string{"internal", "redirects", "req.url"}},
		{"locals after var.", "sub fetch_helper2 {\n  declare local var.count INTEGER;\n  set req.http.X = var." + cursor + "\n}\n",
			[]string{"var.count"}, []string{"var.t"}},
		{"tables in table.lookup(", "sub vcl_recv {\n  set req.http.X = table.lookup(" + cursor + ");\n}\n",
			[]string{"redirects"}, []string{"internal", "F_origin", "req.url"}},
		{"ACLs after ~", "sub vcl_recv {\n  if (client.ip ~ " + cursor + ") {}\n}\n",
			[]string{"internal"}, []string{"redirects", "req.url"}},
		{"#FASTLY macro in vcl_fetch", "sub vcl_fetch {\n  #FASTLY " + cursor + "\n}\n",
			[]string{"#FASTLY fetch"}, []string{"#FASTLY recv"}},
		{"sub vcl_ boilerplates", "sub vcl_recv { }\nsub vcl_" + cursor,
			[]string{"vcl_deliver", "vcl_fetch"}, []string{"vcl_recv"}},
		{"top level", cursor + "\n",
			[]string{"sub", "backend", "sub vcl_recv"}, []string{"set", "req.url"}},
		{"statement start", "sub vcl_recv {\n  " + cursor + "\n}\n",
			[]string{"set", "unset", "if", "return", "declare"}, []string{"beresp.ttl"}},
		{"declare local type", "sub vcl_recv {\n  declare local var.x " + cursor + "\n}\n",
			[]string{"STRING", "INTEGER", "BOOL"}, []string{"req.url"}},
		{"custom sub scope from caller", "sub helper {\n  set " + cursor + "\n}\nsub vcl_fetch {\n  call helper;\n}\n",
			[]string{"beresp.ttl", "req.url"}, []string{"client.ip", "resp.status"}},
		{"nothing inside a string", "sub vcl_recv {\n  set req.http.X = \"req." + cursor + "\";\n}\n",
			nil, []string{"req.url"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := tt.text
			if !strings.HasPrefix(tt.name, "sub vcl_") && !strings.HasPrefix(tt.name, "top level") && !strings.HasPrefix(tt.name, "custom sub") {
				text = complBase + text
			}
			uri, pos := c.openAtCursor(filepath.Join(dir, "c"+string(rune('a'+i))+".vcl"), text)
			var list protocol.CompletionList
			c.mustCall(protocol.MethodTextDocumentCompletion, tdp(uri, pos), &list)
			got := labels(list.Items)
			for _, w := range tt.want {
				if _, ok := got[w]; !ok {
					t.Errorf("missing %q (got %d items)", w, len(got))
				}
			}
			for _, w := range tt.notWant {
				if _, ok := got[w]; ok {
					t.Errorf("unexpected %q", w)
				}
			}
			for _, it := range list.Items {
				if it.TextEdit == nil {
					t.Errorf("item %q has no textEdit", it.Label)
				}
			}
		})
	}
}

func TestCompletionItemDetails(t *testing.T) {
	c := newTestClient(t, clientOpts{noIndex: true})
	uri, pos := c.openAtCursor(filepath.Join(t.TempDir(), "a.vcl"), "sub vcl_recv {\n  set req.http.A = req.u"+cursor+";\n}\n")
	var list protocol.CompletionList
	c.mustCall(protocol.MethodTextDocumentCompletion, tdp(uri, pos), &list)
	items := labels(list.Items)
	url, ok := items["req.url"]
	if !ok {
		t.Fatal("no req.url")
	}
	if !strings.Contains(url.Detail, "STRING") || !strings.Contains(url.Detail, "read") {
		t.Errorf("detail %q should give the type and access", url.Detail)
	}
	if s, _ := url.Documentation.(string); s == "" {
		t.Errorf("no short description: %#v", url.Documentation)
	}
	// The edit replaces the typed prefix.
	if url.TextEdit.Range.Start.Character != pos.Character-uint32(len("req.u")) || url.TextEdit.NewText != "req.url" {
		t.Errorf("textEdit %+v", url.TextEdit)
	}
	// resolve adds the reference link.
	var resolved protocol.CompletionItem
	c.mustCall(protocol.MethodCompletionItemResolve, url, &resolved)
	b, _ := json.Marshal(resolved.Documentation)
	if !strings.Contains(string(b), "https://") {
		t.Errorf("resolved documentation has no link: %s", b)
	}
	// Functions come with argument snippets.
	uri, pos = c.openAtCursor(filepath.Join(t.TempDir(), "b.vcl"), "sub vcl_recv {\n  set req.http.A = regs"+cursor+";\n}\n")
	c.mustCall(protocol.MethodTextDocumentCompletion, tdp(uri, pos), &list)
	fn, ok := labels(list.Items)["regsub"]
	if !ok {
		t.Fatal("no regsub")
	}
	if fn.InsertTextFormat != protocol.InsertTextFormatSnippet || !strings.Contains(fn.TextEdit.NewText, "${1:") {
		t.Errorf("regsub insert %q (format %v)", fn.TextEdit.NewText, fn.InsertTextFormat)
	}
}

func TestCompletionBoilerplate(t *testing.T) {
	c := newTestClient(t, clientOpts{noIndex: true})
	uri, pos := c.openAtCursor(filepath.Join(t.TempDir(), "a.vcl"), "sub vcl_"+cursor)
	var list protocol.CompletionList
	c.mustCall(protocol.MethodTextDocumentCompletion, tdp(uri, pos), &list)
	it, ok := labels(list.Items)["vcl_deliver"]
	if !ok {
		t.Fatal("no vcl_deliver")
	}
	for _, want := range []string{"#FASTLY deliver", "return(deliver);"} {
		if !strings.Contains(it.TextEdit.NewText, want) {
			t.Errorf("boilerplate %q lacks %q", it.TextEdit.NewText, want)
		}
	}
}

func TestCompletionItemDefaults(t *testing.T) {
	c := newTestClient(t, clientOpts{noIndex: true, caps: map[string]any{
		"textDocument": map[string]any{"completion": map[string]any{
			"completionItem": map[string]any{"snippetSupport": true},
			"completionList": map[string]any{"itemDefaults": []string{"editRange"}},
		}},
	}})
	uri, pos := c.openAtCursor(filepath.Join(t.TempDir(), "a.vcl"), "sub vcl_recv {\n  set req.http.A = req.u"+cursor+";\n}\n")
	var list completionList
	c.mustCall(protocol.MethodTextDocumentCompletion, tdp(uri, pos), &list)
	if list.ItemDefaults == nil || list.ItemDefaults.EditRange.End != pos || list.ItemDefaults.EditRange.Start.Character != pos.Character-5 {
		t.Fatalf("itemDefaults %+v", list.ItemDefaults)
	}
	found := false
	for _, it := range list.Items {
		if it.TextEdit != nil {
			t.Errorf("%s has its own textEdit", it.Label)
		}
		if it.Label == "regsub" && !strings.HasPrefix(it.TextEditText, "regsub(${1:") {
			t.Errorf("regsub textEditText %q", it.TextEditText)
		}
		found = found || it.Label == "req.url"
	}
	if !found {
		t.Error("no req.url")
	}
}

func TestCompletionTriggerCharacters(t *testing.T) {
	c := newTestClient(t, clientOpts{noIndex: true})
	dir := t.TempDir()
	tests := []struct {
		name, text, trigger string
		wantSome            bool
	}{
		{"space after set", "sub vcl_recv {\n  set " + cursor + "\n}\n", " ", true},
		{"space in an expression", "sub vcl_recv {\n  if (req.url " + cursor + "\n}\n", " ", false},
		{"= for a backend", "backend b { .host = \"a\"; }\nsub vcl_recv {\n  set req.backend =" + cursor + "\n}\n", "=", true},
		{"= for a string", "sub vcl_recv {\n  set req.http.X =" + cursor + "\n}\n", "=", false},
		{"( of return", "sub vcl_recv {\n  return(" + cursor + "\n}\n", "(", true},
		{"( of a grouping", "sub vcl_recv {\n  if (" + cursor + "\n}\n", "(", false},
		{"# of a macro", "sub vcl_recv {\n  #" + cursor + "\n}\n", "#", true},
		{"dot", "sub vcl_recv {\n  set req." + cursor + "\n}\n", ".", true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			uri, pos := c.openAtCursor(filepath.Join(dir, "t"+string(rune('a'+i))+".vcl"), tt.text)
			params := tdp(uri, pos)
			params["context"] = map[string]any{"triggerKind": 2, "triggerCharacter": tt.trigger}
			var list protocol.CompletionList
			c.mustCall(protocol.MethodTextDocumentCompletion, params, &list)
			if got := len(list.Items) > 0; got != tt.wantSome {
				t.Errorf("%d items, want some=%v", len(list.Items), tt.wantSome)
			}
		})
	}
}
