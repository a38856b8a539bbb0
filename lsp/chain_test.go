package lsp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
)

// chainVCL is a vcl_recv setting a header to n string operands joined by
// '+' on one line (4 MB for a million operands), then an if block.
func chainVCL(n int) string {
	return "sub vcl_recv {\n  set req.http.x = " + strings.Repeat(`"a"+`, n-1) + `"a";` + "\n" +
		"  if (req.http.a &&\n      req.http.a) {\n    set req.http.y = \"1\";\n  }\n}\n"
}

// selectionDepth counts the ranges from the innermost out.
func selectionDepth(sr *protocol.SelectionRange) int {
	n := 0
	for ; sr != nil; sr = sr.Parent {
		n++
	}
	return n
}

// TestLongChains drives the server with a file holding chains of a
// million operands (they overflowed the stack while indexing, checking,
// and answering semantic tokens, selection ranges and folding ranges).
func TestLongChains(t *testing.T) {
	// Stack use must not grow with the chain: 64 MB is far below the 1 GB
	// a million nested links needed.
	defer debug.SetMaxStack(debug.SetMaxStack(64 << 20))
	const n = 1_000_000
	text := chainVCL(n)
	dir := t.TempDir()
	path := filepath.Join(dir, "long.vcl")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	// Indexing the workspace parses and checks the file.
	c := newTestClient(t, clientOpts{folder: dir})
	uri := c.open(path, text)
	doc := map[string]any{"uri": uri}

	var toks protocol.SemanticTokens
	c.mustCall(protocol.MethodSemanticTokensFull, map[string]any{"textDocument": doc}, &toks)
	// Each "a" is a token, and so is every operator.
	if got := len(toks.Data) / 5; got < 2*n-1 {
		t.Errorf("%d semantic tokens, want at least %d", got, 2*n-1)
	}
	first := at(t, text, `"a"`, 1)
	last := at(t, text, `"a";`, 1)
	var srs []*protocol.SelectionRange
	c.mustCall("textDocument/selectionRange", map[string]any{"textDocument": doc,
		"positions": []protocol.Position{first, last}}, &srs)
	if len(srs) != 2 {
		t.Fatalf("%d selection ranges", len(srs))
	}
	for i, sr := range srs {
		// operand, whole chain, set statement, body, sub, file.
		if d := selectionDepth(sr); d > 8 {
			t.Errorf("position %d: %d nested selection ranges, want the few around the cursor", i, d)
		}
		if sr.Range.End.Character-sr.Range.Start.Character != 3 {
			t.Errorf("position %d: innermost range %v is not the operand", i, sr.Range)
		}
		chain := sr.Parent.Range
		if chain.Start != (protocol.Position{Line: 1, Character: 19}) || chain.End.Line != 1 || chain.End.Character != uint32(19+4*n-1) {
			t.Errorf("position %d: second range %v is not the whole chain", i, chain)
		}
	}
	var folds []protocol.FoldingRange
	c.mustCall(protocol.MethodTextDocumentFoldingRange, map[string]any{"textDocument": doc}, &folds)
	if len(folds) == 0 {
		t.Error("no folding ranges")
	}
}

// benchChain measures one request against a document holding a chain of
// n operands.
func benchChain(b *testing.B, n int, method string, params func(testing.TB, protocol.DocumentURI, string) any) {
	text := chainVCL(n)
	c := newTestClient(b, clientOpts{noIndex: true, quiet: true})
	uri := c.open(filepath.Join(b.TempDir(), "long.vcl"), text)
	c.waitDiagnostics(uri, func([]protocol.Diagnostic) bool { return true })
	p := params(b, uri, text)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		var res json.RawMessage // measure the server, not the client's decoding
		c.mustCall(method, p, &res)
	}
	b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/request")
}

func semanticParams(_ testing.TB, uri protocol.DocumentURI, _ string) any {
	return map[string]any{"textDocument": map[string]any{"uri": uri}}
}

func selectionParams(t testing.TB, uri protocol.DocumentURI, text string) any {
	first := at(t, text, `"a"`, 1)
	mid := protocol.Position{Line: 1, Character: uint32(strings.Index(text, "\n")/2 + 1)}
	return map[string]any{"textDocument": map[string]any{"uri": uri}, "positions": []protocol.Position{first, mid}}
}

func BenchmarkSemanticTokens100k(b *testing.B) {
	benchChain(b, 100_000, protocol.MethodSemanticTokensFull, semanticParams)
}

func BenchmarkSelectionRange100k(b *testing.B) {
	benchChain(b, 100_000, "textDocument/selectionRange", selectionParams)
}

func BenchmarkSemanticTokens1M(b *testing.B) {
	benchChain(b, 1_000_000, protocol.MethodSemanticTokensFull, semanticParams)
}

func BenchmarkSelectionRange1M(b *testing.B) {
	benchChain(b, 1_000_000, "textDocument/selectionRange", selectionParams)
}

func BenchmarkFoldingRange1M(b *testing.B) {
	benchChain(b, 1_000_000, protocol.MethodTextDocumentFoldingRange, semanticParams)
}
