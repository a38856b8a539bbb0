package lsp

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

func TestDocumentSymbols(t *testing.T) {
	dir := copyWorkspace(t)
	c := newTestClient(t, clientOpts{folder: dir, noIndex: true})
	for _, tt := range []struct {
		file string
		want []string // "name/child" paths
	}{
		{"main.vcl", []string{"backends", "internal", "internal/\"10.0.0.0\"/8;", "redirects", "redirects//old", "normalize_host", "normalize_host/var.host", "vcl_recv", "vcl_fetch", "vcl_deliver"}},
		{"backends.vcl", []string{"F_origin", "F_origin/.host", "F_origin/.ssl", "pool", "pool/F_origin", "pool/F_origin/.weight"}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			uri := c.open(path, readFile(t, path))
			var syms []protocol.DocumentSymbol
			c.mustCall(protocol.MethodTextDocumentDocumentSymbol, map[string]any{"textDocument": map[string]any{"uri": uri}}, &syms)
			got := map[string]bool{}
			var walk func(prefix string, ss []protocol.DocumentSymbol)
			walk = func(prefix string, ss []protocol.DocumentSymbol) {
				for _, s := range ss {
					name := prefix + s.Name
					got[name] = true
					if s.SelectionRange.Start.Line < s.Range.Start.Line || s.SelectionRange.End.Line > s.Range.End.Line {
						t.Errorf("%s: selection range outside its range", name)
					}
					walk(name+"/", s.Children)
				}
			}
			walk("", syms)
			for _, w := range tt.want {
				if !got[w] {
					t.Errorf("missing symbol %q (have %v)", w, got)
				}
			}
		})
	}
}

func TestWorkspaceSymbols(t *testing.T) {
	dir := copyWorkspace(t)
	c := newTestClient(t, clientOpts{folder: dir})
	tests := []struct {
		query string
		want  []string
		not   []string
	}{
		{"", []string{"F_origin", "F_static", "pool", "internal", "redirects", "normalize_host", "vcl_recv"}, nil},
		{"orig", []string{"F_origin"}, []string{"F_static", "vcl_recv"}},
		{"nrmhost", []string{"normalize_host"}, []string{"F_origin"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var syms []protocol.SymbolInformation
			c.mustCall(protocol.MethodWorkspaceSymbol, map[string]any{"query": tt.query}, &syms)
			got := map[string]protocol.SymbolInformation{}
			for _, s := range syms {
				got[s.Name] = s
			}
			for _, w := range tt.want {
				if _, ok := got[w]; !ok {
					t.Errorf("missing %q", w)
				}
			}
			for _, w := range tt.not {
				if _, ok := got[w]; ok {
					t.Errorf("unexpected %q", w)
				}
			}
		})
	}
	// Symbols of files that are not open come from the index.
	var syms []protocol.SymbolInformation
	c.mustCall(protocol.MethodWorkspaceSymbol, map[string]any{"query": "F_static"}, &syms)
	if len(syms) != 1 || !strings.HasSuffix(string(syms[0].Location.URI), "backends.vcl") || syms[0].Location.Range.Start.Line != 6 {
		t.Errorf("F_static: %+v", syms)
	}
}

func TestFormatting(t *testing.T) {
	c := newTestClient(t, clientOpts{noIndex: true})
	dir := t.TempDir()
	messy := "sub vcl_recv {\n    #FASTLY recv\n      set req.http.X   =   \"1\";\n  if(req.url ~ \"^/a\"){\nreturn(pass);\n}\n  return(lookup);\n}\n"
	uri := c.open(filepath.Join(dir, "a.vcl"), messy)
	var edits []protocol.TextEdit
	c.mustCall(protocol.MethodTextDocumentFormatting, map[string]any{"textDocument": map[string]any{"uri": uri}, "options": map[string]any{"tabSize": 4, "insertSpaces": true}}, &edits)
	got := applyEdits(t, messy, edits)
	want := "sub vcl_recv {\n  #FASTLY recv\n  set req.http.X = \"1\";\n  if (req.url ~ \"^/a\") {\n    return(pass);\n  }\n  return(lookup);\n}\n"
	if got != want {
		t.Errorf("formatted:\n%s\nwant:\n%s", got, want)
	}
	// Formatting is idempotent: formatting the result changes nothing.
	c.change(uri, 2, nil, got)
	c.mustCall(protocol.MethodTextDocumentFormatting, map[string]any{"textDocument": map[string]any{"uri": uri}, "options": map[string]any{"tabSize": 2, "insertSpaces": true}}, &edits)
	if len(edits) != 0 {
		t.Errorf("second formatting edits: %+v", edits)
	}
	// Range formatting touches only the selected statement.
	c.change(uri, 3, nil, messy)
	rng := protocol.Range{Start: protocol.Position{Line: 2}, End: protocol.Position{Line: 2, Character: 10}}
	c.mustCall(protocol.MethodTextDocumentRangeFormatting, map[string]any{"textDocument": map[string]any{"uri": uri}, "range": rng, "options": map[string]any{"tabSize": 2, "insertSpaces": true}}, &edits)
	got = applyEdits(t, messy, edits)
	if !strings.Contains(got, "\n  set req.http.X = \"1\";\n") || !strings.Contains(got, "\nreturn(pass);\n") {
		t.Errorf("range formatted:\n%s", got)
	}
	// A file with syntax errors is refused with a message.
	c.change(uri, 4, nil, "sub vcl_recv { set = ; }")
	err := c.call(protocol.MethodTextDocumentFormatting, map[string]any{"textDocument": map[string]any{"uri": uri}, "options": map[string]any{}}, &edits)
	if err == nil || !strings.Contains(err.Error(), "syntax") {
		t.Errorf("formatting broken code: %v", err)
	}
}

// applyEdits applies LSP edits (UTF-16 positions, non-overlapping) to text.
func applyEdits(t testing.TB, text string, edits []protocol.TextEdit) string {
	t.Helper()
	conv := posConv{}
	for i := len(edits) - 1; i >= 0; i-- {
		src := newSrc(text)
		e := edits[i]
		s, en := conv.offset(src, e.Range.Start), conv.offset(src, e.Range.End)
		text = text[:s] + e.NewText + text[en:]
	}
	return text
}

func TestSemanticTokens(t *testing.T) {
	c := newTestClient(t, clientOpts{noIndex: true})
	text := "# comment\nacl internal { \"10.0.0.0\"/8; }\nsub vcl_recv {\n  #FASTLY recv\n  declare local var.n INTEGER;\n  if (client.ip ~ internal && req.url ~ \"^/a\") {\n    set var.n = std.atoi(\"1\");\n  }\n  return(lookup);\n}\n"
	uri := c.open(filepath.Join(t.TempDir(), "a.vcl"), text)
	var toks protocol.SemanticTokens
	c.mustCall(protocol.MethodSemanticTokensFull, map[string]any{"textDocument": map[string]any{"uri": uri}}, &toks)
	decoded := decodeTokens(text, toks.Data)
	want := map[string]string{
		"# comment": "comment", "acl": "keyword", "internal": "class", "\"10.0.0.0\"": "string", "8": "number",
		"sub": "keyword", "vcl_recv": "function", "#FASTLY recv": "macro", "var.n": "variable", "INTEGER": "type",
		"client.ip": "variable", "~": "operator", "\"^/a\"": "regexp", "std.atoi": "function", "lookup": "enumMember",
	}
	for text, typ := range want {
		if got, ok := decoded[text]; !ok || got != typ {
			t.Errorf("%q: got %q, want %q", text, got, typ)
		}
	}
	// Range: only the tokens of line 6.
	var rt protocol.SemanticTokens
	c.mustCall(protocol.MethodSemanticTokensRange, map[string]any{"textDocument": map[string]any{"uri": uri},
		"range": protocol.Range{Start: protocol.Position{Line: 6}, End: protocol.Position{Line: 6, Character: 40}}}, &rt)
	if len(rt.Data) == 0 || len(rt.Data) >= len(toks.Data) || rt.Data[0] != 6 {
		t.Errorf("range tokens: %v", rt.Data)
	}
}

// decodeTokens maps each token's text to its type name.
func decodeTokens(text string, data []uint32) map[string]string {
	src := newSrc(text)
	out := map[string]string{}
	line, col := uint32(0), uint32(0)
	for i := 0; i+5 <= len(data); i += 5 {
		if data[i] > 0 {
			col = 0
		}
		line += data[i]
		col += data[i+1]
		start := posConv{}.offset(src, protocol.Position{Line: line, Character: col})
		end := posConv{}.offset(src, protocol.Position{Line: line, Character: col + data[i+2]})
		out[text[start:end]] = semanticTypeNames[data[i+3]]
	}
	return out
}

func TestFoldingAndSelectionRanges(t *testing.T) {
	c := newTestClient(t, clientOpts{noIndex: true})
	text := "# one\n# two\n# three\nsub vcl_recv {\n  if (req.url ~ \"a\") {\n    set req.http.X = \"1\";\n  }\n}\n"
	uri := c.open(filepath.Join(t.TempDir(), "a.vcl"), text)
	var folds []protocol.FoldingRange
	c.mustCall(protocol.MethodTextDocumentFoldingRange, map[string]any{"textDocument": map[string]any{"uri": uri}}, &folds)
	have := map[[2]uint32]protocol.FoldingRangeKind{}
	for _, f := range folds {
		have[[2]uint32{f.StartLine, f.EndLine}] = f.Kind
	}
	for _, want := range []struct {
		start, end uint32
		kind       protocol.FoldingRangeKind
	}{{0, 2, protocol.CommentFoldingRange}, {3, 6, protocol.RegionFoldingRange}, {4, 5, protocol.RegionFoldingRange}} {
		if k, ok := have[[2]uint32{want.start, want.end}]; !ok || k != want.kind {
			t.Errorf("missing fold %d-%d (%s); have %v", want.start, want.end, want.kind, have)
		}
	}
	var sel []protocol.SelectionRange
	pos := at(t, text, "req.http.X", 3)
	c.mustCall(methodSelectionRange, map[string]any{"textDocument": map[string]any{"uri": uri}, "positions": []protocol.Position{pos}}, &sel)
	if len(sel) != 1 {
		t.Fatalf("selection ranges: %+v", sel)
	}
	// Innermost is the identifier; each parent contains its child.
	r := &sel[0]
	if r.Range.Start != at(t, text, "req.http.X", 0) || r.Range.End != at(t, text, "req.http.X", len("req.http.X")) {
		t.Errorf("innermost %+v", r.Range)
	}
	depth := 0
	for ; r.Parent != nil; r = r.Parent {
		if !contains(r.Parent.Range, r.Range) {
			t.Errorf("parent %+v does not contain %+v", r.Parent.Range, r.Range)
		}
		depth++
	}
	if depth < 4 {
		t.Errorf("only %d levels", depth)
	}
}

func contains(outer, inner protocol.Range) bool {
	before := func(a, b protocol.Position) bool {
		return a.Line < b.Line || a.Line == b.Line && a.Character <= b.Character
	}
	return before(outer.Start, inner.Start) && before(inner.End, outer.End)
}

func TestInlayHints(t *testing.T) {
	c := newTestClient(t, clientOpts{noIndex: true})
	text := "sub vcl_recv {\n  declare local var.n INTEGER;\n}\nsub vcl_fetch {\n}\nsub custom {\n}\n"
	uri := c.open(filepath.Join(t.TempDir(), "a.vcl"), text)
	var hints []InlayHint
	c.mustCall(methodInlayHint, map[string]any{"textDocument": map[string]any{"uri": uri},
		"range": protocol.Range{End: protocol.Position{Line: 100}}}, &hints)
	got := map[string]protocol.Position{}
	for _, h := range hints {
		got[h.Label] = h.Position
	}
	want := map[string]protocol.Position{
		"delivery":  at(t, text, "vcl_recv", len("vcl_recv")),
		"fetch":     at(t, text, "vcl_fetch", len("vcl_fetch")),
		": INTEGER": at(t, text, "var.n", len("var.n")),
	}
	for label, pos := range want {
		if p, ok := got[label]; !ok || p != pos {
			t.Errorf("hint %q at %+v, want %+v (all %+v)", label, p, pos, hints)
		}
	}
	if len(hints) != 3 {
		b, _ := json.Marshal(hints)
		t.Errorf("%d hints: %s", len(hints), b)
	}
}
