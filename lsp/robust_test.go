package lsp

import (
	"context"
	"encoding/json"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/vclide/vclide/analysis/syntax"
)

// everyRequest sends one request of each kind about uri at pos and fails
// on a transport error or an internal error (a refusal is an answer).
func everyRequest(t *testing.T, c *testClient, uri protocol.DocumentURI, pos protocol.Position) {
	t.Helper()
	doc := map[string]any{"uri": uri}
	line := protocol.Range{Start: protocol.Position{Line: pos.Line}, End: protocol.Position{Line: pos.Line + 1}}
	reqs := []struct {
		method string
		params any
	}{
		{protocol.MethodTextDocumentCompletion, tdp(uri, pos)},
		{protocol.MethodTextDocumentHover, tdp(uri, pos)},
		{protocol.MethodTextDocumentSignatureHelp, tdp(uri, pos)},
		{protocol.MethodTextDocumentDefinition, tdp(uri, pos)},
		{protocol.MethodTextDocumentReferences, map[string]any{"textDocument": doc, "position": pos, "context": map[string]any{"includeDeclaration": true}}},
		{protocol.MethodTextDocumentDocumentHighlight, tdp(uri, pos)},
		{protocol.MethodTextDocumentPrepareRename, tdp(uri, pos)},
		{protocol.MethodTextDocumentDocumentSymbol, map[string]any{"textDocument": doc}},
		{protocol.MethodSemanticTokensFull, map[string]any{"textDocument": doc}},
		{protocol.MethodSemanticTokensRange, map[string]any{"textDocument": doc, "range": line}},
		{protocol.MethodTextDocumentFoldingRange, map[string]any{"textDocument": doc}},
		{methodSelectionRange, map[string]any{"textDocument": doc, "positions": []protocol.Position{pos}}},
		{protocol.MethodTextDocumentCodeAction, map[string]any{"textDocument": doc, "range": line, "context": map[string]any{"diagnostics": []any{}}}},
		{methodInlayHint, map[string]any{"textDocument": doc, "range": line}},
		{protocol.MethodTextDocumentFormatting, map[string]any{"textDocument": doc, "options": map[string]any{"tabSize": 2, "insertSpaces": true}}},
		{protocol.MethodWorkspaceSymbol, map[string]any{"query": "a"}},
	}
	for _, r := range reqs {
		var res json.RawMessage
		err := c.call(r.method, r.params, &res)
		if err != nil && (rpcCode(err) == 0 || rpcCode(err) == codeInternalError) {
			t.Errorf("%s: %v", r.method, err)
		}
	}
}

func TestHostileInputs(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	random := make([]byte, 200_000)
	rng.Read(random)
	var big strings.Builder
	for big.Len() < 5<<20 {
		big.WriteString("sub s" + strings.Repeat("x", 3) + itoa3(big.Len()) + " {\n  set req.http.X-A = regsub(req.url, \"^/a\", \"b\");\n  if (req.url ~ \"^/b\") { set req.http.X-B = \"1\"; }\n}\n")
	}
	deep := "sub vcl_recv {\n  set req.http.X = " + strings.Repeat("(", 10000) + "req.url" + strings.Repeat(")", 10000) + ";\n}\n"
	tests := []struct {
		name string
		text string
	}{
		{"5 MB file", big.String()},
		{"random bytes", string(random)},
		{"invalid UTF-8", "sub vcl_recv {\n  set req.http.X = \"\xff\xfe\xc3\x28\";\n  \xe2\x82 set req.url = \"\xed\xa0\x80\";\n}\n"},
		{"10,000 nested parentheses", deep},
		{"10,000 open parentheses", "sub vcl_recv {\n  if " + strings.Repeat("(", 10000)},
		{"10,000 nested blocks", "sub vcl_recv {\n" + strings.Repeat("if (req.url) {\n", 10000) + strings.Repeat("}\n", 10000) + "}\n"},
		{"empty", ""},
		{"only a brace", "}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, clientOpts{noIndex: true})
			uri := c.open(filepath.Join(t.TempDir(), "hostile.vcl"), tt.text)
			c.waitDiagnostics(uri, func([]protocol.Diagnostic) bool { return true })
			lines := strings.Count(tt.text, "\n")
			for _, pos := range []protocol.Position{{}, {Line: 1, Character: 20}, {Line: uint32(lines / 2), Character: 5}, {Line: uint32(lines + 5), Character: 99}} {
				everyRequest(t, c, uri, pos)
			}
			if code := c.shutdown(); code != 0 {
				t.Errorf("exit code %d", code)
			}
		})
	}
}

func itoa3(n int) string {
	b := []byte{}
	for n > 0 || len(b) == 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func TestInvalidUTF8OnDisk(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{
		"bad.vcl": "sub helper {\n  set req.http.X = \"\xff\xfe\";\n  \xc3\x28 oops;\n}\n",
	})
	c := newTestClient(t, clientOpts{folder: dir})
	uri := c.open(filepath.Join(dir, "main.vcl"), "include \"bad\";\nsub vcl_recv {\n  #FASTLY recv\n  call helper;\n}\n")
	c.waitDiagnostics(pathToURI(filepath.Join(dir, "bad.vcl")), hasCode("syntax"))
	everyRequest(t, c, uri, protocol.Position{Line: 3, Character: 8})
}

func TestRawStreamGarbage(t *testing.T) {
	// Drive the framing directly: a body that is not JSON, then a valid request.
	in := "Content-Length: 5\r\n\r\nhello" +
		"Content-Length: 9\r\n\r\n{\"id\":7}x" +
		frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`) +
		frame(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`) +
		frame(`{"jsonrpc":"2.0","method":"exit"}`)
	rwc := &fakeRWC{in: strings.NewReader(in)}
	code := NewServer(Options{NoWorkspaceIndex: true}).Serve(context.Background(), rwc)
	if code != 0 {
		t.Errorf("exit code %d", code)
	}
	out := rwc.out.String()
	for _, want := range []string{`"id":1`, `"capabilities"`, `"id":2`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
}

func frame(body string) string {
	return "Content-Length: " + itoa3(len(body)) + "\r\n\r\n" + body
}

type fakeRWC struct {
	in  *strings.Reader
	out strings.Builder
	mu  chanMutex
}

// chanMutex is a tiny mutex (strings.Builder is not safe for concurrent use).
type chanMutex struct{ ch chan struct{} }

func (m *chanMutex) lock() {
	if m.ch == nil {
		m.ch = make(chan struct{}, 1)
	}
	m.ch <- struct{}{}
}
func (m *chanMutex) unlock() { <-m.ch }

func (f *fakeRWC) Read(p []byte) (int, error) {
	n, err := f.in.Read(p)
	if n == 0 && err != nil {
		// Keep the stream open until the server exits.
		time.Sleep(10 * time.Millisecond)
	}
	return n, err
}

func (f *fakeRWC) Write(p []byte) (int, error) {
	f.mu.lock()
	defer f.mu.unlock()
	return f.out.Write(p)
}

func (f *fakeRWC) Close() error { return nil }

func TestPanicsAreRecovered(t *testing.T) {
	requestHandlers["test/panic"] = func(s *Server, _ json.RawMessage) (runner, error) {
		return func(context.Context) (any, error) { panic("boom") }, nil
	}
	requestHandlers["test/panicBind"] = func(s *Server, _ json.RawMessage) (runner, error) { panic("bind boom") }
	notificationHandlers["test/panicNote"] = func(s *Server, _ json.RawMessage) error { panic("note boom") }
	defer delete(requestHandlers, "test/panic")
	defer delete(requestHandlers, "test/panicBind")
	defer delete(notificationHandlers, "test/panicNote")

	c := newTestClient(t, clientOpts{noIndex: true, quiet: true})
	for _, m := range []string{"test/panic", "test/panicBind"} {
		err := c.call(m, nil, nil)
		if rpcCode(err) != codeInternalError || !strings.Contains(err.Error(), "boom") {
			t.Errorf("%s: %v", m, err)
		}
	}
	c.notify("test/panicNote", nil)
	// Still serving.
	var h *protocol.Hover
	c.mustCall(protocol.MethodTextDocumentHover, tdp(c.open("/tmp/p.vcl", "sub vcl_recv {}"), protocol.Position{Line: 0, Character: 6}), &h)
	if h == nil {
		t.Error("no hover after panics")
	}
}

func TestCancellation(t *testing.T) {
	started := make(chan struct{})
	requestHandlers["test/slow"] = func(s *Server, _ json.RawMessage) (runner, error) {
		return func(ctx context.Context) (any, error) {
			close(started)
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(10 * time.Second):
				return "finished", nil
			}
		}, nil
	}
	defer delete(requestHandlers, "test/slow")
	c := newTestClient(t, clientOpts{noIndex: true})
	errc := make(chan error, 1)
	go func() { errc <- c.call("test/slow", nil, nil) }() // id 2: initialize was 1
	<-started
	c.notify(protocol.MethodCancelRequest, map[string]any{"id": 2})
	select {
	case err := <-errc:
		if rpcCode(err) != codeRequestCancelled {
			t.Errorf("got %v, want RequestCancelled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the cancelled request did not end")
	}
}

func TestExitWithoutShutdownRaw(t *testing.T) {
	in := frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`) + frame(`{"jsonrpc":"2.0","method":"exit"}`)
	if code := NewServer(Options{NoWorkspaceIndex: true}).Serve(context.Background(), &fakeRWC{in: strings.NewReader(in)}); code != 1 {
		t.Errorf("exit without shutdown: code %d, want 1", code)
	}
}

// TestCorpusEveryRequest opens each file of the shared corpus and sends
// every kind of request at positions spread over it: no request may fail
// with an internal error.
func TestCorpusEveryRequest(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skip("no corpus at " + corpusDir)
	}
	if testing.Short() {
		t.Skip("short mode")
	}
	abs, _ := filepath.Abs(corpusDir)
	c := newTestClient(t, clientOpts{folder: abs, quiet: true})
	var files []string
	_ = filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".vcl") {
			files = append(files, p)
		}
		return nil
	})
	for _, f := range files {
		text := readFile(t, f)
		uri := c.open(f, text)
		lines := strings.Split(text, "\n")
		for k := 1; k <= 5; k++ {
			line := len(lines) * k / 6
			col := len(lines[line]) / 2
			everyRequest(t, c, uri, protocol.Position{Line: uint32(line), Character: uint32(col)})
		}
		c.notify(protocol.MethodTextDocumentDidClose, map[string]any{"textDocument": map[string]any{"uri": uri}})
	}
}

// TestRandomEdits types random fragments at random places of a real file
// and asks for completion, hover and signature help after each edit: the
// answers may be empty but never internal errors.
func TestRandomEdits(t *testing.T) {
	dir := copyWorkspace(t)
	c := newTestClient(t, clientOpts{folder: dir, noIndex: true, quiet: true})
	path := filepath.Join(dir, "main.vcl")
	text := readFile(t, path)
	uri := c.open(path, text)
	rng := rand.New(rand.NewSource(7))
	fragments := []string{"(", ")", "{", "}", ";", "\"", "req.", "set ", "if (", "~ ", "#FASTLY ", "var.", "regsub(", ",", "\n", "return(", "call ", "/*", "{\"", "é", "😀", " "}
	for i := 0; i < 300; i++ {
		src := newSrc(text)
		off := rng.Intn(len(text) + 1)
		for off > 0 && off < len(text) && text[off]&0xC0 == 0x80 {
			off--
		}
		frag := fragments[rng.Intn(len(fragments))]
		if rng.Intn(4) == 0 && off < len(text) { // sometimes delete instead
			end := min(len(text), off+rng.Intn(8)+1)
			for end < len(text) && text[end]&0xC0 == 0x80 {
				end++
			}
			frag = ""
			p1, p2 := posConv{}.position(src, syntax.Pos(off)), posConv{}.position(src, syntax.Pos(end))
			c.change(uri, i+2, &protocol.Range{Start: p1, End: p2}, frag)
			text = text[:off] + text[end:]
		} else {
			p := posConv{}.position(src, syntax.Pos(off))
			c.change(uri, i+2, &protocol.Range{Start: p, End: p}, frag)
			text = text[:off] + frag + text[off:]
		}
		p := posConv{}.position(newSrc(text), syntax.Pos(min(len(text), off+len(frag))))
		for _, m := range []string{protocol.MethodTextDocumentCompletion, protocol.MethodTextDocumentHover, protocol.MethodTextDocumentSignatureHelp, protocol.MethodTextDocumentDefinition} {
			var res json.RawMessage
			if err := c.call(m, tdp(uri, p), &res); err != nil && (rpcCode(err) == 0 || rpcCode(err) == codeInternalError) {
				t.Fatalf("edit %d, %s at %+v: %v\n%s", i, m, p, err, text)
			}
		}
	}
	// The server's copy of the text matches the client's.
	if got := c.srv.sess.doc(path).text; got != text {
		t.Fatalf("server text differs from the client's after incremental edits")
	}
}
