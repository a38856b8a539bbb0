package lsp

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// rwc is a stream over a reader, collecting what is written.
type rwc struct {
	io.Reader
	out strings.Builder
}

func (r *rwc) Write(p []byte) (int, error) { return r.out.Write(p) }
func (r *rwc) Close() error                { return nil }

// readAll reads messages until the stream fails, returning the methods
// read, the error that ended the stream and what the stream wrote back.
func readAll(t *testing.T, r io.Reader, strict bool, maxBody int64) (methods []string, end error, written string) {
	t.Helper()
	conn := &rwc{Reader: r}
	s := newHeaderStream(conn, zap.NewNop(), strict)
	if maxBody > 0 {
		s.maxBody = maxBody
	}
	for {
		msg, _, err := s.Read(context.Background())
		if err != nil {
			end = err
			break
		}
		switch m := msg.(type) {
		case *jsonrpc2.Call:
			methods = append(methods, m.Method())
		case *jsonrpc2.Notification:
			methods = append(methods, m.Method())
		}
	}
	s.flush(1e9)
	_ = s.Close()
	<-s.drained
	return methods, end, conn.out.String()
}

func TestHeaderStreamResynchronises(t *testing.T) {
	a := frame(`{"jsonrpc":"2.0","id":1,"method":"a"}`)
	b := frame(`{"jsonrpc":"2.0","method":"b"}`)
	tests := []struct {
		name       string
		input      string
		maxBody    int64
		want       []string
		wantWrites []string
		buffered   string // also written when the input arrives in large reads
	}{
		{"clean", a + b, 0, []string{"a", "b"}, nil, ""},
		{"stray blank lines", "\r\n" + a + "\r\n\r\n" + b, 0, []string{"a", "b"}, nil, ""},
		{"unknown header ignored", "X-Editor: vim\r\n" + a, 0, []string{"a"}, nil, ""},
		{"lower-case header name", strings.Replace(a, "Content-Length", "content-length", 1), 0, []string{"a"}, nil, ""},
		{"bad length between good messages", a + "Content-Length: 1x\r\n\r\n{\"id\":3}" + b, 0, []string{"a", "b"}, []string{`"id":null`, "not a number"}, ""},
		{"plus sign is not a number", "Content-Length: +5\r\n\r\n{}" + a, 0, []string{"a"}, []string{"not a number"}, ""},
		{"over the cap answers the request's id", frame(`{"jsonrpc":"2.0","id":"big","method":"x","params":"`+strings.Repeat("y", 200)+`"}`) + b, 100, []string{"b"}, []string{"over the 100-byte limit"}, `"id":"big"`},
		{"overflowing number", "Content-Length: 99999999999999999999999\r\n\r\n" + b, 0, []string{"b"}, []string{"over the"}, ""},
		{"header text inside a skipped body", "Content-Length: ?\r\n\r\n{\"text\":\"Content-Length: 12\\r\\n\"}" + b, 0, []string{"b"}, []string{"not a number"}, ""},
		{"header text at the end of a skipped body", "Content-Length: ?\r\n\r\n{\"text\":\"Content-Length: 12\"}" + b, 0, []string{"b"}, []string{"not a number"}, ""},
		{"missing length", "Content-Type: x\r\n\r\n{}" + a, 0, []string{"a"}, []string{"without Content-Length"}, ""},
		{"invalid JSON body is skipped", frame(`{"jsonrpc":"2.0","id":9,"method":`) + a, 0, []string{"a"}, nil, ""},
	}
	for _, tt := range tests {
		for _, oneByte := range []bool{false, true} {
			name := tt.name
			var r io.Reader = strings.NewReader(tt.input)
			if oneByte {
				name += "/one byte at a time"
				r = iotest.OneByteReader(r)
			}
			t.Run(name, func(t *testing.T) {
				got, end, written := readAll(t, r, false, tt.maxBody)
				if strings.Join(got, ",") != strings.Join(tt.want, ",") {
					t.Errorf("messages %v, want %v", got, tt.want)
				}
				if !errors.Is(end, io.EOF) {
					t.Errorf("the stream ended with %v, want EOF", end)
				}
				wantWrites := tt.wantWrites
				if !oneByte && tt.buffered != "" {
					// The id is read from the body when it has arrived
					// with the header.
					wantWrites = append(wantWrites, tt.buffered)
				}
				for _, w := range wantWrites {
					if !strings.Contains(written, w) {
						t.Errorf("replies %q do not contain %q", written, w)
					}
				}
			})
		}
	}
}

func TestHeaderStreamStrictRefusesNonLSP(t *testing.T) {
	a := frame(`{"jsonrpc":"2.0","id":1,"method":"a"}`)
	tests := []struct {
		name      string
		input     string
		want      []string
		refused   bool
		wantReply string
	}{
		{"HTTP request", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 37\r\n\r\n" + `{"jsonrpc":"2.0","id":1,"method":"a"}` + a, nil, true, "HTTP/1.1 400 Bad Request"},
		{"bare JSON", `{"jsonrpc":"2.0","id":1,"method":"a"}` + "\n" + a, nil, true, ""},
		{"bad length first", "Content-Length: x\r\n\r\n" + a, nil, true, ""},
		{"LSP, then a bad length", a + "Content-Length: x\r\n\r\n" + a, []string{"a", "a"}, false, `"id":null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, end, written := readAll(t, strings.NewReader(tt.input), true, 0)
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("messages %v, want %v", got, tt.want)
			}
			if refused := !errors.Is(end, io.EOF); refused != tt.refused {
				t.Errorf("ended with %v; refused = %v, want %v", end, refused, tt.refused)
			}
			if tt.wantReply != "" && !strings.Contains(written, tt.wantReply) || tt.wantReply == "" && tt.refused && written != "" {
				t.Errorf("wrote %q, want %q", written, tt.wantReply)
			}
		})
	}
}
