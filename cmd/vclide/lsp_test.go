package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func lspFrame(body string) string {
	return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)
}

const (
	lspInit     = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`
	lspShutdown = `{"jsonrpc":"2.0","id":2,"method":"shutdown"}`
	lspExit     = `{"jsonrpc":"2.0","method":"exit"}`
)

// lspBuffer is a bytes.Buffer safe for concurrent writes.
type lspBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *lspBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *lspBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLSPStdio(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		args     []string
		wantCode int
	}{
		{"shutdown then exit", lspFrame(lspInit) + lspFrame(lspShutdown) + lspFrame(lspExit), []string{"--log-level", "debug"}, 0},
		{"exit alone", lspFrame(lspInit) + lspFrame(lspExit), nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr, pw := io.Pipe()
			lspStdin = pr
			defer func() { lspStdin = os.Stdin }()
			go func() { io.WriteString(pw, tt.input) }() // the pipe stays open, like an editor's
			var stdout, stderr lspBuffer
			code := run(append([]string{"lsp"}, tt.args...), &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d (stderr: %s)", code, tt.wantCode, stderr.String())
			}
			// stdout holds protocol frames only; the log went to stderr.
			out := stdout.String()
			if !strings.HasPrefix(out, "Content-Length: ") || !strings.Contains(out, `"capabilities"`) {
				t.Errorf("stdout is not the protocol: %q", out)
			}
			if strings.Contains(out, "initialize\t") || strings.Contains(out, "vclide-lsp") {
				t.Errorf("log lines on stdout: %q", out)
			}
			if !strings.Contains(stderr.String(), "vclide-lsp") {
				t.Errorf("no log on stderr: %q", stderr.String())
			}
		})
	}
}

func TestLSPLogFile(t *testing.T) {
	log := filepath.Join(t.TempDir(), "lsp.log")
	pr, pw := io.Pipe()
	lspStdin = pr
	defer func() { lspStdin = os.Stdin }()
	go func() { io.WriteString(pw, lspFrame(lspInit)+lspFrame(lspShutdown)+lspFrame(lspExit)) }()
	var stdout, stderr lspBuffer
	if code := run([]string{"lsp", "--log", log, "--log-level", "info"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit code %d: %s", code, stderr.String())
	}
	b, err := os.ReadFile(log)
	if err != nil || !strings.Contains(string(b), `"msg":"initialize"`) {
		t.Errorf("log file: %v %q", err, b)
	}
	if stderr.String() != "" {
		t.Errorf("stderr should be empty with --log: %q", stderr.String())
	}
}

func TestLSPFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"public address", []string{"--listen", "0.0.0.0:7777"}, "only loopback"},
		{"host name", []string{"--listen", "example.com:7777"}, "only loopback"},
		{"no port", []string{"--listen", "127.0.0.1"}, "use 127.0.0.1:PORT"},
		{"bad level", []string{"--log-level", "loud"}, "--log-level must be"},
		{"extra argument", []string{"file.vcl"}, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr lspBuffer
			if code := run(append([]string{"lsp"}, tt.args...), &stdout, &stderr); code != 2 {
				t.Errorf("exit code %d, want 2", code)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.want)
			}
		})
	}
}

func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:9000": true, "[::1]:9000": true, "localhost:9000": true, "127.0.0.2:1": true,
		"0.0.0.0:9000": false, "192.168.1.1:9000": false, ":9000": false, "[::]:9000": false, "127.0.0.1": false,
	} {
		if err := checkLoopback(addr); (err == nil) != ok {
			t.Errorf("%s: %v", addr, err)
		}
	}
}

// listenLSP starts `vclide lsp --listen` on a free loopback port. It
// returns the address, the server's stdout, and stop, which cancels the
// server and returns its exit code (failing the test if it does not stop).
func listenLSP(t *testing.T) (addr string, stdout *lspBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	lspContext = func() context.Context { return ctx }
	t.Cleanup(func() { lspContext = context.Background })
	stdout = &lspBuffer{}
	stderrR, stderrW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"lsp", "--listen", "127.0.0.1:0", "--log-level", "error"}, stdout, stderrW)
	}()
	line, err := bufio.NewReader(stderrR).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, stderrR)
	stop = func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(5 * time.Second):
			t.Fatal("the listener did not stop")
			return -1
		}
	}
	return strings.TrimSpace(strings.TrimPrefix(line, "vclide lsp: listening on ")), stdout, stop
}

func TestLSPListen(t *testing.T) {
	addr, stdout, stop := listenLSP(t)
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %q: %v", addr, err)
	}
	io.WriteString(conn, lspFrame(lspInit)+lspFrame(lspShutdown)+lspFrame(lspExit))
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	got, _ := io.ReadAll(conn)
	if !strings.Contains(string(got), `"capabilities"`) || !strings.Contains(string(got), `"id":2`) {
		t.Errorf("TCP session: %q", got)
	}
	conn.Close()
	if code := stop(); code != 0 {
		t.Errorf("exit code %d", code)
	}
	if stdout.String() != "" {
		t.Errorf("stdout used in --listen mode: %q", stdout.String())
	}
}
