// Package fuzzmsg turns fuzzer input into a sequence of protocol messages
// for the LSP and DAP dispatch fuzzers: mostly valid requests and
// notifications in a plausible order, mixed with invalid ones (bad
// framing, bodies that are not JSON, parameters of the wrong type, unknown
// methods), so that the fuzzer spends its time inside the handlers rather
// than in the JSON decoder.
package fuzzmsg

import (
	"encoding/json"
	"io"
	"strconv"
	"sync"
	"time"
)

// Reader hands out values decoded from fuzzer input; when the input is
// used up it returns zeros.
type Reader struct {
	data []byte
}

// NewReader reads from data.
func NewReader(data []byte) *Reader { return &Reader{data: data} }

// More reports whether input is left.
func (r *Reader) More() bool { return len(r.data) > 0 }

// Byte returns the next byte.
func (r *Reader) Byte() byte {
	if len(r.data) == 0 {
		return 0
	}
	b := r.data[0]
	r.data = r.data[1:]
	return b
}

// Intn returns a number in [0, n).
func (r *Reader) Intn(n int) int {
	if n <= 0 {
		return 0
	}
	return int(r.Byte()) % n
}

// Bytes returns the next up to n bytes (n chosen by the input, at most max).
func (r *Reader) Bytes(max int) []byte {
	n := min(r.Intn(max+1), len(r.data))
	b := r.data[:n]
	r.data = r.data[n:]
	return b
}

// String returns up to max bytes as a string.
func (r *Reader) String(max int) string { return string(r.Bytes(max)) }

// Pick returns one of choices.
func Pick[T any](r *Reader, choices ...T) T { return choices[r.Intn(len(choices))] }

// Frame frames body with a Content-Length header.
func Frame(body []byte) []byte {
	out := append([]byte("Content-Length: "+strconv.Itoa(len(body))+"\r\n\r\n"), body...)
	return out
}

// JSON encodes v (which must encode).
func JSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// Invalid returns one malformed message: bad framing or a body that is not
// a valid message.
func Invalid(r *Reader) []byte {
	junk := r.Bytes(64)
	switch r.Intn(8) {
	case 0:
		return append([]byte("Content-Length: abc\r\n\r\n"), junk...)
	case 1:
		return append([]byte("Content-Length: -3\r\n\r\n"), junk...)
	case 2:
		return append([]byte("Content-Length: 999999999999\r\n\r\n"), junk...)
	case 3:
		return append([]byte("POST / HTTP/1.1\r\nHost: x\r\n\r\n"), junk...)
	case 4:
		return Frame(junk) // a body that is (most likely) not JSON
	case 5:
		return Frame([]byte(`{"jsonrpc":"2.0","id":` + strconv.Itoa(r.Intn(50)) + `,"method":"` + string(junk) + `"}`))
	case 6:
		return Frame([]byte(`[1,2,{"seq":1}]`))
	default:
		return junk // raw bytes between messages
	}
}

// Conn is a server's end of a fuzzed connection: it reads the generated
// stream and drops what the server writes. At the end of the stream it
// waits, like a client that keeps the pipe open, until Done is called or
// the grace period passes, so that the server answers the requests before
// it sees the end of its input.
type Conn struct {
	in      io.Reader
	done    chan struct{}
	once    sync.Once
	grace   time.Duration
	written int
}

// NewConn returns a connection that reads in.
func NewConn(in io.Reader, grace time.Duration) *Conn {
	return &Conn{in: in, done: make(chan struct{}), grace: grace}
}

// Read reads the stream; at its end it waits for Done or the grace period.
func (c *Conn) Read(p []byte) (int, error) {
	n, err := c.in.Read(p)
	if err == io.EOF {
		select {
		case <-c.done:
		case <-time.After(c.grace):
		}
	}
	return n, err
}

// Write drops p, counting its bytes.
func (c *Conn) Write(p []byte) (int, error) { c.written += len(p); return len(p), nil }

// Close does nothing: the test decides when the connection ends.
func (c *Conn) Close() error { return nil }

// Done ends the wait at the end of the stream.
func (c *Conn) Done() { c.once.Do(func() { close(c.done) }) }
