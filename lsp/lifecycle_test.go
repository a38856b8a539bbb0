package lsp

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// copyWorkspace copies testdata/lsp/ws into a temporary folder.
func copyWorkspace(t testing.TB) string {
	t.Helper()
	dst := t.TempDir()
	src := filepath.Join("..", "testdata", "lsp", "ws")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// readFile reads a workspace file.
func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func rpcCode(err error) int {
	var e *jsonrpc2.Error
	if errors.As(err, &e) {
		return int(e.Code)
	}
	return 0
}

func TestLifecycle(t *testing.T) {
	tests := []struct {
		name     string
		shutdown bool
		want     int
	}{
		{"shutdown then exit", true, 0},
		{"exit alone", false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, clientOpts{noIndex: true})
			if tt.shutdown {
				c.mustCall(protocol.MethodShutdown, nil, nil)
				// After shutdown, requests are refused.
				err := c.call(protocol.MethodTextDocumentHover, tdp("file:///x.vcl", protocol.Position{}), nil)
				if rpcCode(err) != codeInvalidRequest {
					t.Errorf("request after shutdown: got %v, want InvalidRequest", err)
				}
			}
			c.notify(protocol.MethodExit, nil)
			select {
			case code := <-c.exit:
				if code != tt.want {
					t.Errorf("exit code %d, want %d", code, tt.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("no exit")
			}
		})
	}
}

func TestProtocolErrors(t *testing.T) {
	c := newTestClient(t, clientOpts{noIndex: true})
	tests := []struct {
		name   string
		method string
		params any
		code   int
	}{
		{"unknown method", "textDocument/doesNotExist", map[string]any{}, codeMethodNotFound},
		{"second initialize", protocol.MethodInitialize, map[string]any{"capabilities": map[string]any{}}, codeInvalidRequest},
		{"bad params", protocol.MethodTextDocumentHover, []int{1, 2}, codeInvalidParams},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.call(tt.method, tt.params, nil)
			if got := rpcCode(err); got != tt.code {
				t.Errorf("code %d (%v), want %d", got, err, tt.code)
			}
		})
	}
	// An unknown notification is ignored and the server still answers.
	c.notify("$/unknownNotification", map[string]any{})
	var hover *protocol.Hover
	if err := c.call(protocol.MethodTextDocumentHover, tdp(c.open("/tmp/x.vcl", "sub vcl_recv { }"), protocol.Position{}), &hover); err != nil {
		t.Fatal(err)
	}
	if code := c.shutdown(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

func TestNotInitialized(t *testing.T) {
	raw := newRawConn(t)
	err := raw.call(protocol.MethodTextDocumentHover, tdp("file:///x.vcl", protocol.Position{}), nil)
	if rpcCode(err) != codeServerNotInitialized {
		t.Errorf("got %v, want ServerNotInitialized", err)
	}
}

func TestPositionEncodingNegotiation(t *testing.T) {
	tests := []struct {
		name string
		utf8 bool
		want string
	}{
		{"default utf-16", false, encodingUTF16},
		{"utf-8 when offered", true, encodingUTF8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, clientOpts{noIndex: true, utf8: tt.utf8})
			if got := c.srv.converter().utf8; got != (tt.want == encodingUTF8) {
				t.Errorf("utf8=%v, want %s", got, tt.want)
			}
			// A line with a character outside the BMP: positions after it
			// differ between the encodings.
			text := "sub vcl_recv {\n  set req.http.X = \"😀\" req.url;\n}\n"
			uri := c.open("/tmp/enc.vcl", text)
			i := strings.Index(text, "req.url")
			line := strings.Count(text[:i], "\n")
			ls := strings.LastIndex(text[:i], "\n") + 1
			col := i - ls // bytes
			if !tt.utf8 {
				col = len([]rune(text[ls:i])) + 1 // the emoji is two UTF-16 units
			}
			var h protocol.Hover
			c.mustCall(protocol.MethodTextDocumentHover, tdp(uri, protocol.Position{Line: uint32(line), Character: uint32(col + 1)}), &h)
			if !strings.Contains(h.Contents.Value, "req.url") {
				t.Errorf("hover at %d:%d = %q, want req.url", line, col+1, h.Contents.Value)
			}
			if h.Range == nil || h.Range.Start.Character != uint32(col) {
				t.Errorf("hover range %+v, want start column %d", h.Range, col)
			}
		})
	}
}
