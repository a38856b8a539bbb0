package lsp

import (
	"bytes"
	"context"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/vclide/vclide/internal/fuzzmsg"
)

// fuzzSnippets start the documents the fuzzer opens; the fuzzer's bytes
// are appended.
var fuzzSnippets = []string{
	"sub vcl_recv {\n#FASTLY recv\n  if (req.url ~ \"^/a\") {\n    set req.http.X = \"1\" + req.http.Y;\n  }\n  return(lookup);\n}\n",
	"backend F_o { .host = \"o.example\"; .port = \"443\"; }\nacl office { \"10.0.0.0\"/8; }\ntable t { \"a\": \"b\" }\n",
	"include \"other.vcl\";\nsub vcl_deliver {\n#FASTLY deliver\n  set resp.http.Y = std.tolower(resp.http.Z);\n}\n",
	"sub f { declare local var.n INTEGER; set var.n = 1 + 2 * 3; }\n",
	"",
}

var fuzzPositional = []string{
	"textDocument/hover", "textDocument/completion", "textDocument/signatureHelp",
	"textDocument/definition", "textDocument/declaration", "textDocument/references",
	"textDocument/documentHighlight", "textDocument/prepareRename",
}

var fuzzWhole = []string{
	"textDocument/documentSymbol", "textDocument/formatting", "textDocument/semanticTokens/full",
	"textDocument/foldingRange", "textDocument/inlayHint", "textDocument/codeAction",
	"textDocument/semanticTokens/range", "textDocument/rangeFormatting", "textDocument/selectionRange",
}

// lspFuzzStream builds a message stream from fuzzer input.
func lspFuzzStream(data []byte) []byte {
	r := fuzzmsg.NewReader(data)
	var out bytes.Buffer
	id := 0
	send := func(m map[string]any) {
		m["jsonrpc"] = "2.0"
		out.Write(fuzzmsg.Frame(fuzzmsg.JSON(m)))
	}
	call := func(method string, params any) {
		id++
		send(map[string]any{"id": id, "method": method, "params": params})
	}
	notify := func(method string, params any) { send(map[string]any{"method": method, "params": params}) }
	uri := fuzzmsg.Pick(r, "file:///fuzz/main.vcl", "file:///fuzz/other.vcl", "untitled:x", "file:///etc/passwd")
	doc := map[string]any{"uri": uri}
	pos := func() map[string]any {
		n := func() int { return fuzzmsg.Pick(r, r.Intn(40), r.Intn(200), -1, 1<<31) }
		return map[string]any{"line": n(), "character": n()}
	}
	rng := func() map[string]any { return map[string]any{"start": pos(), "end": pos()} }
	if r.Intn(16) != 0 {
		call("initialize", map[string]any{"processId": nil, "capabilities": map[string]any{}})
		notify("initialized", map[string]any{})
	}
	version := 1
	for n := 0; r.More() && n < 40; n++ {
		switch r.Intn(16) {
		case 0, 1:
			notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
				"uri": uri, "languageId": "vcl", "version": version, "text": fuzzmsg.Pick(r, fuzzSnippets...) + r.String(200)}})
		case 2:
			version++
			notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": version},
				"contentChanges": []any{map[string]any{"text": fuzzmsg.Pick(r, fuzzSnippets...) + r.String(100)}}})
		case 3, 4:
			version++
			notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": version},
				"contentChanges": []any{map[string]any{"range": rng(), "text": r.String(20)}}})
		case 5:
			notify(fuzzmsg.Pick(r, "textDocument/didClose", "textDocument/didSave"), map[string]any{"textDocument": doc})
		case 6, 7, 8:
			call(fuzzmsg.Pick(r, fuzzPositional...), map[string]any{"textDocument": doc, "position": pos(),
				"context": map[string]any{"includeDeclaration": true, "triggerKind": 1}})
		case 9, 10:
			call(fuzzmsg.Pick(r, fuzzWhole...), map[string]any{"textDocument": doc, "range": rng(),
				"positions": []any{pos(), pos()}, "options": map[string]any{"tabSize": 2, "insertSpaces": true},
				"context": map[string]any{"diagnostics": []any{}}})
		case 11:
			call(fuzzmsg.Pick(r, "textDocument/rename", "workspace/symbol", "completionItem/resolve"), map[string]any{
				"textDocument": doc, "position": pos(), "newName": r.String(12), "query": r.String(8), "label": r.String(8)})
		case 12:
			notify("$/cancelRequest", map[string]any{"id": r.Intn(id + 2)})
		case 13:
			// Parameters of the wrong shape.
			all := append(append([]string{"initialize", "shutdown"}, fuzzPositional...), fuzzWhole...)
			call(fuzzmsg.Pick(r, all...), fuzzmsg.Pick[any](r, "text", 42, []any{1}, nil, map[string]any{"textDocument": 7}))
		case 14:
			out.Write(fuzzmsg.Invalid(r))
		case 15:
			if r.Intn(4) == 0 {
				call("shutdown", nil)
			} else if r.Intn(8) == 0 {
				notify("exit", nil)
			}
		}
	}
	return out.Bytes()
}

// FuzzLSPDispatch sends random sequences of valid and invalid messages to
// an in-process server. The server must not crash, hang, or panic in a
// handler (handlers recover panics, so they are caught in the log).
func FuzzLSPDispatch(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 1, 0, 6, 3, 7, 9, 9, 2, 10, 3, 15, 0})
	f.Add([]byte("\x00\x01\x00\x05\x06\x02\x03\x09\x00\x0e\x03\x05junk!\x0d\x02"))
	f.Add(append([]byte{0, 1}, bytes.Repeat([]byte{1, 6, 7, 9, 11, 13, 14, 4, 2, 3, 5, 6, 9, 10}, 8)...))
	f.Fuzz(runLSPFuzzOnce)
}

// runLSPFuzzOnce runs one fuzzer input.
func runLSPFuzzOnce(t *testing.T, data []byte) {
	t.Helper()
	stream := lspFuzzStream(data)
	core, logs := observer.New(zap.ErrorLevel)
	srv := NewServer(Options{Logger: zap.New(core), NoWorkspaceIndex: true, DiagnosticsDelay: time.Millisecond})
	// End with shutdown and exit, which the server answers after the
	// requests before them.
	stream = append(stream, fuzzmsg.Frame([]byte(`{"jsonrpc":"2.0","id":"last","method":"shutdown"}`))...)
	stream = append(stream, fuzzmsg.Frame([]byte(`{"jsonrpc":"2.0","method":"exit"}`))...)
	conn := fuzzmsg.NewConn(bytes.NewReader(stream), 2*time.Second)
	done := make(chan int, 1)
	go func() { done <- srv.Serve(context.Background(), conn) }()
	select {
	case <-done:
		conn.Done()
	case <-time.After(20 * time.Second):
		t.Fatalf("the server hung on %q", stream)
	}
	if panics := logs.FilterMessageSnippet("panic"); panics.Len() > 0 {
		e := panics.All()[0]
		t.Fatalf("%s: %v\nstream: %q", e.Message, e.ContextMap(), stream)
	}
}
