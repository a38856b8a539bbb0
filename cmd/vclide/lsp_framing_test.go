package main

import (
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestLSPStdioSurvivesBadFraming sends a message with invalid framing
// before a normal session on stdio. The server used to exit on it; it must
// answer an error, skip to the next header and serve the session.
func TestLSPStdioSurvivesBadFraming(t *testing.T) {
	hover := `{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{}}`
	tests := []struct {
		name    string
		bad     string
		wantErr string // in the error reply
		wantID  string
	}{
		{"not a number", "Content-Length: abc\r\n\r\n" + hover, `not a number`, `"id":null`},
		{"negative", "Content-Length: -5\r\n\r\n" + hover, `is negative`, `"id":null`},
		{"over the cap", "Content-Length: 300000000\r\n\r\n" + hover, `over the`, `"id":7`},
		{"not a header", "hello there\r\n\r\n", `is not a header`, `"id":null`},
		{"no Content-Length", "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + hover, `without Content-Length`, `"id":null`},
		{"line too long", strings.Repeat("x", 70000) + "\r\n\r\n", `longer than`, `"id":null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr, pw := io.Pipe()
			lspStdin = pr
			defer func() { lspStdin = os.Stdin }()
			go func() { io.WriteString(pw, tt.bad+lspFrame(lspInit)+lspFrame(lspShutdown)+lspFrame(lspExit)) }() // the pipe stays open, like an editor's
			var stdout, stderr lspBuffer
			done := make(chan int, 1)
			go func() { done <- run([]string{"lsp", "--log-level", "warn"}, &stdout, &stderr) }()
			var code int
			select {
			case code = <-done:
			case <-time.After(10 * time.Second):
				pw.Close()
				<-done
				t.Fatalf("the server lost the framing and hung; output %q", clipOut(stdout.String()))
			}
			out := stdout.String()
			if code != 0 {
				t.Errorf("exit code %d, want 0 after shutdown and exit (stderr: %s)", code, stderr.String())
			}
			if !strings.Contains(out, `"capabilities"`) {
				t.Errorf("initialize after the bad message was not answered: %q", clipOut(out))
			}
			if !strings.Contains(out, `"code":-32700`) || !strings.Contains(out, tt.wantErr) || !strings.Contains(out, tt.wantID) {
				t.Errorf("no error reply with %s mentioning %q: %q", tt.wantID, tt.wantErr, clipOut(out))
			}
			if !strings.Contains(stderr.String(), "invalid message framing") {
				t.Errorf("the bad message was not logged: %q", stderr.String())
			}
		})
	}
}

// TestLSPStdioUnrecoverableFraming: when the stream ends before a header
// follows the bad message, the server exits, saying why.
func TestLSPStdioUnrecoverableFraming(t *testing.T) {
	lspStdin = strings.NewReader(lspFrame(lspInit) + "Content-Length: abc\r\n\r\n{}")
	defer func() { lspStdin = os.Stdin }()
	var stdout, stderr lspBuffer
	if code := run([]string{"lsp"}, &stdout, &stderr); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), "the stream ended while skipping an invalid message") {
		t.Errorf("the log does not say why the server stopped: %q", stderr.String())
	}
}

func clipOut(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// TestLSPListenRefusesHTTP posts a JSON-RPC initialize as HTTP to the
// --listen port, as a web page could. The server used to answer it as an
// LSP message; it must refuse the connection and keep serving LSP clients.
func TestLSPListenRefusesHTTP(t *testing.T) {
	addr, _, stop := listenLSP(t)
	exchange := func(input string) string {
		conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatalf("dial %q: %v", addr, err)
		}
		defer conn.Close()
		io.WriteString(conn, input)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		got, _ := io.ReadAll(conn)
		return string(got)
	}

	tests := []struct {
		name, input string
	}{
		{"HTTP POST", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: " +
			strconv.Itoa(len(lspInit)) + "\r\n\r\n" + lspInit + lspFrame(lspShutdown) + lspFrame(lspExit)},
		{"bare JSON", lspInit + "\r\n" + lspFrame(lspInit)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := exchange(tt.input)
			if strings.Contains(got, `"capabilities"`) || strings.Contains(got, `"jsonrpc"`) {
				t.Fatalf("the server answered a message that is not LSP framing: %q", got)
			}
			if strings.HasPrefix(tt.input, "POST") && !strings.HasPrefix(got, "HTTP/1.1 400 ") {
				t.Errorf("an HTTP request gets a 400 answer, got %q", got)
			}
		})
	}
	// LSP clients are still served.
	if got := exchange(lspFrame(lspInit) + lspFrame(lspShutdown) + lspFrame(lspExit)); !strings.Contains(got, `"capabilities"`) {
		t.Errorf("an LSP client after the refused ones: %q", got)
	}
	stop()
}
