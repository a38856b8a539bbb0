package lsp

import (
	"bufio"
	"context"
	"encoding/json"
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

// headerStream frames JSON-RPC messages with Content-Length headers, like
// jsonrpc2.NewStream, with two differences. It survives a message it cannot
// decode: it logs the message, answers a request it can identify with a
// parse error, and reads on, instead of failing the whole connection. And
// it writes from its own goroutine through an unbounded queue, so that the
// read loop never waits for the client to read (a client that answers the
// server's requests from its own read loop would otherwise deadlock with
// it on a synchronous pipe).
type headerStream struct {
	rwc io.ReadWriteCloser
	in  *bufio.Reader
	log *zap.Logger

	wmu     sync.Mutex
	wcond   *sync.Cond
	queue   [][]byte
	closed  bool
	werr    error
	drained chan struct{}
}

func newHeaderStream(rwc io.ReadWriteCloser, log *zap.Logger) *headerStream {
	s := &headerStream{rwc: rwc, in: bufio.NewReaderSize(rwc, 64<<10), log: log, drained: make(chan struct{})}
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

// Read implements jsonrpc2.Stream.
func (s *headerStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		data, n, err := s.readFrame()
		if err != nil {
			return nil, n, err
		}
		msg, err := jsonrpc2.DecodeMessage(data)
		if err == nil {
			return msg, n, nil
		}
		s.log.Warn("dropping a message that is not valid JSON-RPC", zap.Error(err), zap.Int("bytes", len(data)))
		s.replyParseError(data, err)
	}
}

// readFrame reads one header block and its body.
func (s *headerStream) readFrame() ([]byte, int64, error) {
	var total int64
	length := int64(-1)
	for {
		line, err := s.in.ReadString('\n')
		total += int64(len(line))
		if err != nil {
			return nil, total, fmt.Errorf("reading a header: %w", err)
		}
		line = strings.TrimSpace(line)
		if line == "" {
			if length < 0 {
				continue // stray blank line between messages
			}
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			s.log.Warn("ignoring a malformed header line", zap.String("line", line))
			continue
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.ParseInt(strings.TrimSpace(value), 10, 64)
			if err != nil || n < 0 || n > maxMessageSize {
				return nil, total, fmt.Errorf("bad Content-Length %q", value)
			}
			length = n
		}
	}
	data := make([]byte, length)
	if _, err := io.ReadFull(s.in, data); err != nil {
		return nil, total, fmt.Errorf("reading a message body: %w", err)
	}
	return data, total + length, nil
}

// replyParseError answers a request whose id can still be read.
func (s *headerStream) replyParseError(data []byte, cause error) {
	var probe struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(data, &probe) != nil || len(probe.ID) == 0 || string(probe.ID) == "null" {
		return
	}
	body, _ := json.Marshal(map[string]any{
		"jsonrpc": "2.0",
		"id":      probe.ID,
		"error":   map[string]any{"code": -32700, "message": "cannot decode the message: " + cause.Error()},
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
