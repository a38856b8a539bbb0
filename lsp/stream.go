package lsp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap"
)

// maxMessageSize bounds one incoming message (a 5 MB file fits many times).
const maxMessageSize = 256 << 20

// maxHeaderLine bounds one header line; it is the read buffer's size.
const maxHeaderLine = 64 << 10

// contentLengthHeader starts the header block of every message; after
// invalid framing, reading resumes at its next occurrence.
const contentLengthHeader = "Content-Length:"

// headerStream frames JSON-RPC messages with Content-Length headers, like
// jsonrpc2.NewStream, with three differences. It survives a message it
// cannot decode: it logs the message, answers a request it can identify
// with a parse error, and reads on, instead of failing the whole
// connection. It survives invalid framing (a Content-Length that is not a
// number, negative or over the cap, a line that is not a header): it
// answers with an error and resynchronises at the next Content-Length
// header, ending only when the stream itself fails. And it writes from its
// own goroutine through an unbounded queue, so that the read loop never
// waits for the client to read (a client that answers the server's
// requests from its own read loop would otherwise deadlock with it on a
// synchronous pipe).
//
// A stream made with strict set (a TCP connection) refuses a peer whose
// first message is not LSP framing, such as an HTTP request a web page
// sent to the loopback port: it answers 400 if it looks like HTTP and ends
// the connection without handling anything.
type headerStream struct {
	rwc     io.ReadWriteCloser
	in      *bufio.Reader
	log     *zap.Logger
	strict  bool
	maxBody int64
	framed  bool // a message with valid framing was read

	wmu     sync.Mutex
	wcond   *sync.Cond
	queue   [][]byte
	closed  bool
	werr    error
	drained chan struct{}
}

func newHeaderStream(rwc io.ReadWriteCloser, log *zap.Logger, strict bool) *headerStream {
	s := &headerStream{rwc: rwc, in: bufio.NewReaderSize(rwc, maxHeaderLine), log: log, strict: strict, maxBody: maxMessageSize, drained: make(chan struct{})}
	s.wcond = sync.NewCond(&s.wmu)
	go s.writeLoop()
	return s
}

// writeLoop sends queued frames in order until the stream closes.
func (s *headerStream) writeLoop() {
	defer close(s.drained)
	for {
		s.wmu.Lock()
		for len(s.queue) == 0 && !s.closed {
			s.wcond.Wait()
		}
		if len(s.queue) == 0 {
			s.wmu.Unlock()
			return
		}
		frame := s.queue[0]
		s.queue[0] = nil
		s.queue = s.queue[1:]
		s.wmu.Unlock()
		if _, err := s.rwc.Write(frame); err != nil {
			s.wmu.Lock()
			s.werr = err
			s.queue = nil
			s.closed = true
			s.wmu.Unlock()
			s.log.Debug("write failed", zap.Error(err))
			return
		}
	}
}

// framingError is a header block that is not valid LSP framing.
type framingError struct {
	msg  string
	id   json.RawMessage // the request's id, when it could be read
	http bool            // the block starts like an HTTP request
}

func (e *framingError) Error() string { return e.msg }

// Read implements jsonrpc2.Stream.
func (s *headerStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		data, n, err := s.readFrame()
		var fe *framingError
		switch {
		case errors.As(err, &fe):
			if err := s.badFraming(fe); err != nil {
				return nil, n, err
			}
			continue
		case errors.Is(err, io.EOF):
			return nil, n, err
		case err != nil:
			s.log.Error("the message stream cannot be recovered; closing the connection", zap.Error(err))
			return nil, n, err
		}
		s.framed = true
		msg, err := jsonrpc2.DecodeMessage(data)
		if err == nil {
			return msg, n, nil
		}
		s.log.Warn("dropping a message that is not valid JSON-RPC", zap.Error(err), zap.Int("bytes", len(data)))
		s.replyParseError(data, err)
	}
}

// badFraming answers invalid framing and skips to the next message; it
// returns an error when the connection must end.
func (s *headerStream) badFraming(fe *framingError) error {
	if s.strict && !s.framed {
		s.log.Warn("refusing a client that does not speak LSP", zap.String("reason", fe.msg))
		if fe.http {
			const body = "vclide lsp speaks the Language Server Protocol, not HTTP\n"
			// Written directly: the connection closes (and drops the
			// queue) as soon as Read fails, and nothing else has been
			// written before the first message.
			if d, ok := s.rwc.(interface{ SetWriteDeadline(time.Time) error }); ok {
				_ = d.SetWriteDeadline(time.Now().Add(time.Second))
			}
			_, _ = s.rwc.Write([]byte("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n" +
				"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body))
		}
		return fmt.Errorf("not LSP framing: %s", fe.msg)
	}
	s.log.Warn("invalid message framing; skipping to the next Content-Length header", zap.String("reason", fe.msg))
	s.replyError(fe.id, codeParseError, "invalid message framing: "+fe.msg+"; the message was skipped")
	if err := s.skipToHeader(); err != nil {
		if errors.Is(err, io.EOF) {
			s.log.Error("the stream ended while skipping an invalid message", zap.String("reason", fe.msg))
		} else {
			s.log.Error("the message stream cannot be recovered; closing the connection", zap.String("reason", fe.msg), zap.Error(err))
		}
		return err
	}
	return nil
}

// readFrame reads one header block and its body. Invalid framing is a
// *framingError; any other error comes from the stream.
func (s *headerStream) readFrame() ([]byte, int64, error) {
	var total int64
	length := int64(-1)
	lines := 0 // header lines read in this block
	for {
		raw, err := s.in.ReadSlice('\n')
		total += int64(len(raw))
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, total, &framingError{msg: fmt.Sprintf("a header line longer than %d bytes", maxHeaderLine)}
		}
		if err != nil {
			if errors.Is(err, io.EOF) && len(raw) == 0 && lines == 0 {
				return nil, total, io.EOF
			}
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, total, fmt.Errorf("reading a header: %w", err)
		}
		line := strings.TrimRight(string(raw), "\r\n")
		if strings.TrimSpace(line) == "" {
			if lines == 0 {
				continue // stray blank line between messages
			}
			break
		}
		lines++
		name, value, ok := strings.Cut(line, ":")
		if !ok || !isToken(name) {
			return nil, total, &framingError{msg: fmt.Sprintf("%q is not a header", clip(line)), http: lines == 1 && looksLikeHTTP(line)}
		}
		value = strings.TrimSpace(value)
		switch {
		case strings.EqualFold(name, "Content-Length"):
			if !isDigits(value) {
				if strings.HasPrefix(value, "-") && isDigits(value[1:]) {
					return nil, total, &framingError{msg: fmt.Sprintf("Content-Length %s is negative", clip(value))}
				}
				return nil, total, &framingError{msg: fmt.Sprintf("Content-Length %q is not a number", clip(value))}
			}
			n, err := strconv.ParseInt(value, 10, 64)
			if err != nil || n > s.maxBody {
				return nil, total, &framingError{msg: fmt.Sprintf("Content-Length %s is over the %d-byte limit", clip(value), s.maxBody), id: s.peekID()}
			}
			length = n
		case strings.EqualFold(name, "Content-Type"):
		default:
			s.log.Debug("ignoring an unknown header", zap.String("name", clip(name)))
		}
	}
	if length < 0 {
		return nil, total, &framingError{msg: "a header block without Content-Length"}
	}
	data := make([]byte, length)
	if _, err := io.ReadFull(s.in, data); err != nil {
		return nil, total, fmt.Errorf("reading a message body: %w", err)
	}
	return data, total + length, nil
}

// skipToHeader discards input up to the next line that is a
// Content-Length header with a number. A message body, being JSON, cannot
// hold such a line: the header text can only appear inside a string, and
// a string cannot hold the line break that must end the header.
func (s *headerStream) skipToHeader() error {
	marker := []byte(contentLengthHeader)
	keep := len(marker) - 1 // the marker may straddle reads
	for {
		buf, err := s.in.Peek(max(s.in.Buffered(), 1))
		if i := bytes.Index(buf, marker); i >= 0 {
			_, _ = s.in.Discard(i)
			ok, err := s.atLengthHeader()
			if ok || err != nil {
				return err
			}
			_, _ = s.in.Discard(len(marker))
			continue
		}
		if err != nil {
			return err
		}
		if len(buf) > keep {
			_, _ = s.in.Discard(len(buf) - keep)
			continue
		}
		if _, err := s.in.Peek(len(buf) + 1); err != nil {
			return err
		}
	}
}

// atLengthHeader reports whether the input starts with a whole line
// "Content-Length: DIGITS", reading (without consuming) up to its end.
func (s *headerStream) atLengthHeader() (bool, error) {
	for n := max(s.in.Buffered(), len(contentLengthHeader)); ; n++ {
		buf, err := s.in.Peek(n)
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			value := strings.TrimSpace(string(buf[len(contentLengthHeader):i]))
			return isDigits(value), nil
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			return false, nil // too long to be a header line
		}
		if err != nil {
			return false, err
		}
		n = max(n, len(buf))
	}
}

// peekID reads the id of the message whose body starts the buffered
// input, when it appears in what has already arrived, so that an
// oversized request gets its error. It consumes nothing.
func (s *headerStream) peekID() json.RawMessage {
	// Skip the rest of the header block that is already buffered.
	buf, _ := s.in.Peek(s.in.Buffered())
	if i := bytes.Index(buf, []byte("\r\n\r\n")); i >= 0 && !bytes.HasPrefix(buf, []byte("\r\n")) {
		buf = buf[i+4:]
	} else {
		buf = bytes.TrimLeft(buf, "\r\n")
	}
	dec := json.NewDecoder(bytes.NewReader(buf))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil // the value runs past what has arrived
		}
		if key == "id" {
			return v
		}
	}
	return nil
}

// isToken reports whether name is an HTTP-style header name.
func isToken(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// looksLikeHTTP reports whether line is an HTTP request line.
func looksLikeHTTP(line string) bool {
	f := strings.Fields(line)
	return len(f) == 3 && strings.HasPrefix(f[2], "HTTP/")
}

// clip shortens what a log line or an error quotes of the input.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// replyParseError answers a request whose id can still be read.
func (s *headerStream) replyParseError(data []byte, cause error) {
	var probe struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(data, &probe) != nil || len(probe.ID) == 0 || string(probe.ID) == "null" {
		return
	}
	s.replyError(probe.ID, codeParseError, "cannot decode the message: "+cause.Error())
}

// replyError sends an error response; a nil id is sent as null, as
// JSON-RPC prescribes when the id could not be read.
func (s *headerStream) replyError(id json.RawMessage, code int, msg string) {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	body, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0",
		"id":      id,
		"error":   map[string]any{"code": code, "message": msg},
	})
	_ = s.writeFrame(body)
}

// Write implements jsonrpc2.Stream.
// It writes even when ctx is done: a reply to a cancelled request must
// still reach the client.
func (s *headerStream) Write(_ context.Context, msg jsonrpc2.Message) (int64, error) {
	// The jsonrpc2 messages marshal themselves; calling that directly
	// avoids encoding/json compacting the result a second time.
	var data []byte
	var err error
	if m, ok := msg.(json.Marshaler); ok {
		data, err = m.MarshalJSON()
	} else {
		data, err = json.Marshal(msg)
	}
	if err != nil {
		return 0, fmt.Errorf("encoding a message: %w", err)
	}
	return int64(len(data)), s.writeFrame(data)
}

// writeFrame queues one message.
func (s *headerStream) writeFrame(data []byte) error {
	buf := make([]byte, 0, len(data)+32)
	buf = append(buf, "Content-Length: "...)
	buf = strconv.AppendInt(buf, int64(len(data)), 10)
	buf = append(buf, "\r\n\r\n"...)
	buf = append(buf, data...)
	return s.queueRaw(buf)
}

// queueRaw queues bytes to write as they are.
func (s *headerStream) queueRaw(buf []byte) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if s.closed {
		if s.werr != nil {
			return s.werr
		}
		return io.ErrClosedPipe
	}
	s.queue = append(s.queue, buf)
	s.wcond.Signal()
	return nil
}

// flush waits (up to a bound) until the queued messages are written; used
// before the process exits.
func (s *headerStream) flush(timeout time.Duration) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		s.wmu.Lock()
		n := len(s.queue)
		done := s.closed
		s.wmu.Unlock()
		if n == 0 || done {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// Close implements jsonrpc2.Stream.
func (s *headerStream) Close() error {
	s.wmu.Lock()
	s.closed = true
	s.wcond.Signal()
	s.wmu.Unlock()
	return s.rwc.Close()
}
