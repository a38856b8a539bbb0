package dap

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-dap"
)

// TestOversizedMessageIsAnswered sends requests over the 4 MB limit. The
// session used to end on them; it must answer an error (when the request
// can be identified) and go on.
func TestOversizedMessageIsAnswered(t *testing.T) {
	big := strings.Repeat("x", 5<<20)
	tests := []struct {
		name    string
		body    func(seq int) string
		wantErr bool // an error response for seq, else an output event
	}{
		{"seq and command first", func(seq int) string {
			return fmt.Sprintf(`{"seq":%d,"type":"request","command":"evaluate","arguments":{"expression":"%s"}}`, seq, big)
		}, true},
		{"seq and command last", func(seq int) string {
			return fmt.Sprintf(`{"arguments":{"expression":"%s"},"command":"evaluate","seq":%d,"type":"request"}`, big, seq)
		}, true},
		{"not a request", func(int) string { return `"` + big + `"` }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t)
			c.call("initialize", map[string]any{"adapterID": "vcl"})
			c.seq++
			seq := c.seq
			// Written from a goroutine: a session that ends on the
			// message stops reading, and the write would block.
			written := make(chan struct{})
			go func() {
				_ = dap.WriteBaseMessage(c.w, []byte(tt.body(seq)))
				close(written)
			}()
			select {
			case <-written:
			case <-c.done:
				t.Fatal("the session ended on an oversized message")
			case <-time.After(testTimeout):
				t.Fatal("the session stopped reading")
			}
			if tt.wantErr {
				r := c.response(seq)
				if r.GetResponse().Success || r.GetResponse().Command != "evaluate" || !strings.Contains(r.GetResponse().Message, "over the 4 MB limit") {
					t.Errorf("response to the oversized request: %+v", r.GetResponse())
				}
			}
			// The session goes on.
			c.call("threads", nil)
			if !tt.wantErr && !strings.Contains(c.outputText(), "over the 4 MB limit") {
				t.Errorf("the skipped message was not reported: %q", c.outputText())
			}
			c.call("disconnect", nil)
		})
	}
}

// TestLaunchErrorIsCapped launches a program with 1,000 errors. The error
// used to list every one (165k diagnostics made a 10 MB message, sent
// twice); it lists the first 50 and counts the rest.
func TestLaunchErrorIsCapped(t *testing.T) {
	const errs = 1000
	var b bytes.Buffer
	b.WriteString("sub vcl_recv {\n#FASTLY recv\n")
	for i := range errs {
		fmt.Fprintf(&b, "  set req.http.X-%d = no_such_function_%d();\n", i, i)
	}
	b.WriteString("}\n")
	prog := filepath.Join(t.TempDir(), "many.vcl")
	if err := os.WriteFile(prog, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	c := newTestClient(t)
	c.call("initialize", map[string]any{"adapterID": "vcl"})
	msg := c.callErr("launch", map[string]any{"program": prog})
	if n := strings.Count(msg, "no_such_function_"); n != 50 {
		t.Errorf("the launch error lists %d errors, want 50", n)
	}
	if !strings.Contains(msg, fmt.Sprintf("(%d error(s))", errs)) || !strings.Contains(msg, fmt.Sprintf("and %d more", errs-50)) {
		t.Errorf("the launch error does not count the errors: %q", msg[:min(len(msg), 300)])
	}
	if len(msg) > 16<<10 {
		t.Errorf("the launch error is %d bytes", len(msg))
	}
	c.call("disconnect", nil)
}

func TestReadMessageFraming(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		want    string
		wantErr string
	}{
		{"message", "Content-Length: 2\r\n\r\n{}", "{}", ""},
		{"lower-case header", "content-length: 2\r\n\r\n{}", "", "header format"},
		{"no number", "Content-Length: x\r\n\r\n{}", "", "header format"},
		{"LF only", "Content-Length: 2\n\n{}", "", "header format"},
		{"second header", "Content-Length: 2\r\nContent-Type: x\r\n\r\n{}", "", "header delimiter"},
		{"HTTP", "POST / HTTP/1.1\r\n", "", "header format"},
		{"endless header line", strings.Repeat("C", 10000), "", "header format"},
		{"truncated body", "Content-Length: 5\r\n\r\n{}", "", "unexpected EOF"},
		{"oversized", fmt.Sprintf("Content-Length: %d\r\n\r\n%s", 5<<20, strings.Repeat(" ", 5<<20)), "", "over the 4194304-byte limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readMessage(bufio.NewReader(strings.NewReader(tt.input)))
			if tt.wantErr == "" {
				if err != nil || string(got) != tt.want {
					t.Fatalf("got %q, %v; want %q", got, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
}
