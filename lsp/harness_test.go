package lsp

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/vclide/vclide/analysis/syntax"
)

// testClient drives a Server in-process over a pipe, like an editor would.
type testClient struct {
	t    testing.TB
	conn jsonrpc2.Conn
	srv  *Server
	exit chan int

	mu        sync.Mutex
	diags     map[protocol.DocumentURI]publishDiagnosticsParams
	diagCount map[protocol.DocumentURI]int
	progress  []string // kinds of $/progress values, in order
	serverReq []string // methods the server called
	messages  []string // window/showMessage texts
	changed   chan struct{}
}

type clientOpts struct {
	folder   string
	utf8     bool
	noIndex  bool
	initOpts map[string]any
	caps     map[string]any
	quiet    bool // no test logger (benchmarks)
}

// newTestClient starts a server and a client on the two ends of a pipe and
// initializes the session.
func newTestClient(t testing.TB, o clientOpts) *testClient {
	t.Helper()
	srvEnd, cliEnd := net.Pipe()
	logger := zap.NewNop()
	if !o.quiet {
		logger = testLogger(t)
	}
	srv := NewServer(Options{Logger: logger, DiagnosticsDelay: 5 * time.Millisecond, NoWorkspaceIndex: o.noIndex, Version: "test"})
	c := &testClient{
		t: t, srv: srv, exit: make(chan int, 1),
		diags:     map[protocol.DocumentURI]publishDiagnosticsParams{},
		diagCount: map[protocol.DocumentURI]int{},
		changed:   make(chan struct{}, 1000),
	}
	go func() { c.exit <- srv.Serve(context.Background(), srvEnd) }()
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(cliEnd))
	c.conn.Go(context.Background(), c.handle)
	t.Cleanup(func() { c.conn.Close() })

	caps := map[string]any{
		"window":       map[string]any{"workDoneProgress": true},
		"textDocument": map[string]any{"completion": map[string]any{"completionItem": map[string]any{"snippetSupport": true}}},
		"workspace": map[string]any{
			"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true},
			"workspaceEdit":         map[string]any{"documentChanges": true, "resourceOperations": []string{"create"}},
		},
	}
	for k, v := range o.caps {
		caps[k] = v
	}
	if o.utf8 {
		caps["general"] = map[string]any{"positionEncodings": []string{"utf-8", "utf-16"}}
	}
	params := map[string]any{"processId": nil, "capabilities": caps}
	if o.folder != "" {
		params["rootUri"] = string(pathToURI(o.folder))
		params["workspaceFolders"] = []map[string]any{{"uri": string(pathToURI(o.folder)), "name": "ws"}}
	}
	if o.initOpts != nil {
		params["initializationOptions"] = o.initOpts
	}
	var res initializeResult
	if err := c.call(protocol.MethodInitialize, params, &res); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	c.notify(protocol.MethodInitialized, map[string]any{})
	if o.folder != "" && !o.noIndex {
		select {
		case <-srv.indexDone:
		case <-time.After(20 * time.Second):
			t.Fatal("the workspace index did not finish")
		}
	}
	return c
}

// handle answers the server's requests and records its notifications.
func (c *testClient) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	c.mu.Lock()
	if c.diags == nil { // released
		c.mu.Unlock()
		return reply(ctx, nil, nil)
	}
	switch req.Method() {
	case protocol.MethodTextDocumentPublishDiagnostics:
		var p publishDiagnosticsParams
		if err := json.Unmarshal(req.Params(), &p); err == nil {
			c.diags[p.URI] = p
			c.diagCount[p.URI]++
		}
	case protocol.MethodProgress:
		var p struct {
			Value struct {
				Kind string `json:"kind"`
			} `json:"value"`
		}
		_ = json.Unmarshal(req.Params(), &p)
		c.progress = append(c.progress, p.Value.Kind)
	case protocol.MethodWindowShowMessage:
		var p protocol.ShowMessageParams
		_ = json.Unmarshal(req.Params(), &p)
		c.messages = append(c.messages, p.Message)
	default:
		if _, ok := req.(*jsonrpc2.Call); ok {
			c.serverReq = append(c.serverReq, req.Method())
		}
	}
	c.mu.Unlock()
	select {
	case c.changed <- struct{}{}:
	default:
	}
	return reply(ctx, nil, nil)
}

func (c *testClient) call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := c.conn.Call(ctx, method, params, result)
	return err
}

// mustCall calls and fails the test on an error.
func (c *testClient) mustCall(method string, params, result any) {
	c.t.Helper()
	if err := c.call(method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

func (c *testClient) notify(method string, params any) {
	c.t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.t.Fatalf("notify %s: %v", method, err)
	}
}

// open sends didOpen for path with text.
func (c *testClient) open(path, text string) protocol.DocumentURI {
	c.t.Helper()
	uri := pathToURI(path)
	c.notify(protocol.MethodTextDocumentDidOpen, map[string]any{
		"textDocument": map[string]any{"uri": uri, "languageId": "vcl", "version": 1, "text": text},
	})
	return uri
}

// change replaces a range of a document.
func (c *testClient) change(uri protocol.DocumentURI, version int, rng *protocol.Range, text string) {
	c.t.Helper()
	ch := map[string]any{"text": text}
	if rng != nil {
		ch["range"] = rng
	}
	c.notify(protocol.MethodTextDocumentDidChange, map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": version},
		"contentChanges": []any{ch},
	})
}

// waitDiagnostics waits until the latest diagnostics for uri satisfy ok.
func (c *testClient) waitDiagnostics(uri protocol.DocumentURI, ok func([]protocol.Diagnostic) bool) []protocol.Diagnostic {
	c.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		c.mu.Lock()
		p, have := c.diags[uri]
		c.mu.Unlock()
		if have && ok(p.Diagnostics) {
			return p.Diagnostics
		}
		select {
		case <-c.changed:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			c.t.Fatalf("timed out waiting for diagnostics of %s; last: %+v", uri, p.Diagnostics)
			return nil
		}
	}
}

// shutdown ends the session properly and returns the server's exit code.
func (c *testClient) shutdown() int {
	c.t.Helper()
	c.mustCall(protocol.MethodShutdown, nil, nil)
	c.notify(protocol.MethodExit, nil)
	select {
	case code := <-c.exit:
		return code
	case <-time.After(5 * time.Second):
		c.t.Fatal("the server did not exit")
		return -1
	}
}

// writeFiles creates files (path relative to dir → content) and returns dir.
func writeFiles(t testing.TB, dir string, files map[string]string) string {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// at returns the LSP position (UTF-16) of the first occurrence of needle in
// text, moved by delta bytes.
func at(t testing.TB, text, needle string, delta int) protocol.Position {
	t.Helper()
	i := strings.Index(text, needle)
	if i < 0 {
		t.Fatalf("%q not found", needle)
	}
	return lspPosition(text, i+delta)
}

func tdp(uri protocol.DocumentURI, pos protocol.Position) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": uri}, "position": pos}
}

// newRawConn starts a server and returns a client that has not initialized.
func newRawConn(t testing.TB) *testClient {
	srvEnd, cliEnd := net.Pipe()
	srv := NewServer(Options{Logger: testLogger(t), NoWorkspaceIndex: true})
	c := &testClient{t: t, srv: srv, exit: make(chan int, 1), diags: map[protocol.DocumentURI]publishDiagnosticsParams{},
		diagCount: map[protocol.DocumentURI]int{}, changed: make(chan struct{}, 100)}
	go func() { c.exit <- srv.Serve(context.Background(), srvEnd) }()
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(cliEnd))
	c.conn.Go(context.Background(), c.handle)
	t.Cleanup(func() { c.conn.Close() })
	return c
}

func newSrc(text string) *syntax.Source { return syntax.NewSource("", text) }
