// Package statusline writes an HTTP/1.x response whose status line carries
// a custom reason phrase ("HTTP/1.1 299 Cheers!"). net/http always writes
// the standard phrase for a code, so a response with another phrase is
// written on the hijacked connection, which is then closed.
package statusline

import (
	"bufio"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// hopHeaders are connection-level headers that belong to the connection we
// write on, not to the response the VCL built.
var hopHeaders = map[string]bool{
	"Content-Length": true, "Transfer-Encoding": true, "Connection": true,
	"Keep-Alive": true, "Upgrade": true, "Trailer": true,
}

// Write sends status, reason, header and body to the client. When reason is
// empty, is the standard phrase for status, or cannot be sent (HTTP/2, or a
// ResponseWriter that cannot be hijacked), it uses w as usual; otherwise it
// writes the response itself with the reason on the status line and closes
// the connection. Control characters in reason are replaced by spaces.
func Write(w http.ResponseWriter, r *http.Request, status int, reason string, header http.Header, body []byte) error {
	reason = Clean(reason)
	if reason == "" || reason == http.StatusText(status) || r.ProtoMajor != 1 || status < 200 {
		return writeStandard(w, r, status, header, body)
	}
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return writeStandard(w, r, status, header, body)
	}
	defer conn.Close()
	if err := writeRaw(buf.Writer, r, status, reason, header, body); err != nil {
		return err
	}
	return buf.Flush()
}

// Clean makes a reason phrase safe for a status line: control characters
// (CR and LF above all) become spaces, and surrounding space is trimmed.
func Clean(reason string) string {
	return strings.TrimSpace(strings.Map(func(c rune) rune {
		if c < ' ' || c == 0x7f {
			return ' '
		}
		return c
	}, reason))
}

func writeStandard(w http.ResponseWriter, r *http.Request, status int, header http.Header, body []byte) error {
	for k, v := range header {
		if hopHeaders[http.CanonicalHeaderKey(k)] {
			continue
		}
		w.Header()[k] = append([]string(nil), v...)
	}
	w.WriteHeader(status)
	if r.Method == http.MethodHead || !bodyAllowed(status) {
		return nil
	}
	_, err := w.Write(body)
	return err
}

func writeRaw(w *bufio.Writer, r *http.Request, status int, reason string, header http.Header, body []byte) error {
	fmt.Fprintf(w, "HTTP/1.%d %d %s\r\n", min(r.ProtoMinor, 1), status, reason)
	names := make([]string, 0, len(header))
	for k := range header {
		if !hopHeaders[http.CanonicalHeaderKey(k)] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	hasDate := false
	for _, k := range names {
		if http.CanonicalHeaderKey(k) == "Date" {
			hasDate = true
		}
		for _, v := range header[k] {
			fmt.Fprintf(w, "%s: %s\r\n", k, Clean(v))
		}
	}
	if !hasDate {
		fmt.Fprintf(w, "Date: %s\r\n", time.Now().UTC().Format(http.TimeFormat))
	}
	if bodyAllowed(status) {
		fmt.Fprintf(w, "Content-Length: %s\r\n", strconv.Itoa(len(body)))
	}
	fmt.Fprintf(w, "Connection: close\r\n\r\n")
	if r.Method != http.MethodHead && bodyAllowed(status) {
		if _, err := w.Write(body); err != nil {
			return err
		}
	}
	return nil
}

// bodyAllowed reports whether a response with this status may have a body.
func bodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusNotModified
}
