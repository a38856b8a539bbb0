package dap

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/google/go-dap"
)

// maxMessageSize bounds one message from the client. A larger one is
// skipped and answered with an error; the session goes on.
const maxMessageSize = 4 << 20

// oversizedPeek is how much of an oversized message's start and end is
// kept to find its seq and command.
const oversizedPeek = 64 << 10

// oversizedError is a message over maxMessageSize that was skipped.
type oversizedError struct {
	size    int64
	seq     int    // 0 when it could not be read
	command string // "" when it could not be read
}

func (e *oversizedError) Error() string {
	return fmt.Sprintf("the message is %d bytes, over the %d-byte limit", e.size, maxMessageSize)
}

// readMessage reads one message framed as the protocol requires: one
// "Content-Length: N" header line, an empty line, N bytes. Invalid framing
// is a *dap.BaseProtocolError (nothing after it can be trusted). A message
// over maxMessageSize is read past and reported as an *oversizedError.
func readMessage(r *bufio.Reader) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return nil, dap.ErrHeaderNotContentLength
	}
	if err != nil {
		if len(line) > 0 && errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	value, ok := strings.CutPrefix(string(line), "Content-Length: ")
	value, crlf := strings.CutSuffix(value, "\r\n")
	if !ok || !crlf || !isDigits(value) {
		return nil, dap.ErrHeaderNotContentLength
	}
	var blank [2]byte
	if _, err := io.ReadFull(r, blank[:]); err != nil {
		return nil, err
	}
	if string(blank[:]) != "\r\n" {
		return nil, dap.ErrHeaderDelimiterNotCrLfCrLf
	}
	n, err := strconv.ParseInt(value, 10, 64)
	if err != nil || n > maxMessageSize {
		if err != nil {
			return nil, dap.ErrHeaderContentTooLong // not a size any client sends
		}
		return nil, skipOversized(r, n)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return nil, err
	}
	return body, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// skipOversized reads past an n-byte body, keeping its first and last
// bytes to identify the request.
func skipOversized(r *bufio.Reader, n int64) error {
	head := make([]byte, min(n, oversizedPeek))
	if _, err := io.ReadFull(r, head); err != nil {
		return err
	}
	rest := n - int64(len(head))
	var tail bytes.Buffer
	if skip := rest - oversizedPeek; skip > 0 {
		if _, err := io.CopyN(io.Discard, r, skip); err != nil {
			return err
		}
		rest -= skip
	}
	if _, err := io.CopyN(&tail, r, rest); err != nil {
		return err
	}
	oe := &oversizedError{size: n}
	oe.seq, oe.command = requestHead(head)
	if oe.seq == 0 || oe.command == "" {
		seq, cmd := requestTail(tail.Bytes())
		if oe.seq == 0 {
			oe.seq = seq
		}
		if oe.command == "" {
			oe.command = cmd
		}
	}
	return oe
}

// requestHead reads seq and command from the top-level members at the
// start of a message, up to the first value that is cut off.
func requestHead(head []byte) (seq int, command string) {
	dec := json.NewDecoder(bytes.NewReader(head))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return 0, ""
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return seq, command
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return seq, command
		}
		switch key {
		case "seq":
			_ = json.Unmarshal(v, &seq)
		case "command":
			_ = json.Unmarshal(v, &command)
		}
	}
	return seq, command
}

// tailMember finds members at the end of a message: a key's opening quote
// follows '{' or ',' (inside a string a quote is escaped).
var tailMember = regexp.MustCompile(`[{,]\s*"(seq|command)"\s*:\s*("[A-Za-z]+"|[0-9]+)`)

// requestTail reads seq and command from the last bytes of a message.
func requestTail(tail []byte) (seq int, command string) {
	for _, m := range tailMember.FindAllSubmatch(tail, -1) {
		switch string(m[1]) {
		case "seq":
			seq, _ = strconv.Atoi(string(m[2]))
		case "command":
			command = strings.Trim(string(m[2]), `"`)
		}
	}
	return seq, command
}
