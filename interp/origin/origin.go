// Package origin provides the backends the interpreter sends its backend
// requests to: Embedded (a deterministic stand-in that works with no setup),
// HTTP (the user's own development server) and Mock (scripted responses from
// a scenario file). Each implements interp.Origin.
package origin

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/vclide/vclide/interp"
)

// Default backend timeouts, used when the backend declaration sets none.
// They follow Fastly's documented defaults for a backend.
const (
	DefaultConnectTimeout      = 1 * time.Second
	DefaultFirstByteTimeout    = 15 * time.Second
	DefaultBetweenBytesTimeout = 10 * time.Second
)

// Failure kinds reported by Error.
const (
	FailConnect = "connect" // the connection could not be made
	FailTimeout = "timeout" // no (complete) response within the timeouts
)

// Error is a failed backend request: the origin could not be reached or did
// not answer in time. The engine turns it into a 503 through vcl_error.
type Error struct {
	Backend string
	Kind    string // FailConnect or FailTimeout
	Err     error  // the underlying cause, if any
}

// Error describes the failure.
func (e *Error) Error() string {
	msg := "backend " + e.Backend + ": "
	switch e.Kind {
	case FailTimeout:
		msg += "timed out"
	default:
		msg += "connection failed"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Timeout reports whether the failure was a timeout (as net.Error does).
func (e *Error) Timeout() bool { return e.Kind == FailTimeout }

// IsTimeout reports whether err is (or wraps) a backend timeout.
func IsTimeout(err error) bool {
	var oe *Error
	return errors.As(err, &oe) && oe.Kind == FailTimeout
}

// timeouts returns the request's timeouts with defaults filled in.
func timeouts(req *interp.BackendRequest) (connect, firstByte, betweenBytes time.Duration) {
	connect, firstByte, betweenBytes = req.ConnectTimeout, req.FirstByteTimeout, req.BetweenBytesTimeout
	if connect <= 0 {
		connect = DefaultConnectTimeout
	}
	if firstByte <= 0 {
		firstByte = DefaultFirstByteTimeout
	}
	if betweenBytes <= 0 {
		betweenBytes = DefaultBetweenBytesTimeout
	}
	return
}

// Compile-time checks that every origin satisfies the engine's interface.
var (
	_ interp.Origin = (*Embedded)(nil)
	_ interp.Origin = (*HTTP)(nil)
	_ interp.Origin = (*Mock)(nil)
)

// statusText is http.StatusText with a fallback for unregistered codes.
func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return fmt.Sprintf("Status %d", code)
}
