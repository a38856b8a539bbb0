package origin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/vclide/vclide/interp"
)

// DefaultMaxBody caps the size of a response body read from an HTTP origin.
const DefaultMaxBody = 64 << 20

// HTTP is a real HTTP origin, typically the user's development server. It
// sends each backend request (method, path, headers, body, Host) to one
// configured base URL, honouring the backend's connect, first-byte and
// between-bytes timeouts.
//
// It only ever contacts the base URL's host and port: the request's Host
// header is sent as is, but it does not choose where to connect, proxies
// from the environment are ignored, and redirects are returned to the VCL
// rather than followed.
type HTTP struct {
	base *url.URL
	addr string // host:port dialled for every request
	// MaxBody caps response bodies (DefaultMaxBody when zero).
	MaxBody int64

	mu         sync.Mutex
	transports map[[2]time.Duration]*http.Transport
}

// NewHTTP returns an origin for base, an http:// or https:// URL with a host
// and optionally a path prefix ("http://127.0.0.1:3000", "http://dev/app").
func NewHTTP(base string) (*HTTP, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("origin URL %q: %w", base, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("origin URL %q: scheme must be http or https", base)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("origin URL %q: no host", base)
	}
	if u.User != nil {
		return nil, fmt.Errorf("origin URL %q: user information is not supported", base)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("origin URL %q: must not have a query or fragment", base)
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return &HTTP{
		base:       u,
		addr:       net.JoinHostPort(u.Hostname(), port),
		transports: map[[2]time.Duration]*http.Transport{},
	}, nil
}

// String returns the base URL.
func (h *HTTP) String() string { return h.base.String() }

// Close releases idle connections.
func (h *HTTP) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, t := range h.transports {
		t.CloseIdleConnections()
	}
}

// transport returns the (shared) transport for one pair of timeouts.
func (h *HTTP) transport(connect, firstByte time.Duration) *http.Transport {
	h.mu.Lock()
	defer h.mu.Unlock()
	k := [2]time.Duration{connect, firstByte}
	if t, ok := h.transports[k]; ok {
		return t
	}
	d := &net.Dialer{Timeout: connect}
	addr := h.addr
	t := &http.Transport{
		Proxy: nil, // never route through a proxy named by the environment
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			// Whatever the request says, only the configured address.
			return d.DialContext(ctx, network, addr)
		},
		TLSHandshakeTimeout:   connect,
		ResponseHeaderTimeout: firstByte,
		DisableCompression:    true, // pass Accept-Encoding and bodies through untouched
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       30 * time.Second,
	}
	h.transports[k] = t
	return t
}

// hopHeaders are connection-level headers a proxy does not forward.
var hopHeaders = []string{
	"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

// RoundTrip sends req to the base URL. A refused connection, a timeout or a
// broken response is returned as an *Error.
func (h *HTTP) RoundTrip(ctx context.Context, req *interp.BackendRequest) (*interp.BackendResponse, error) {
	connect, firstByte, betweenBytes := timeouts(req)
	target := *h.base
	path, query, _ := strings.Cut(req.URL, "?")
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	// Keep the request's own escaping (e.g. %2F) by setting RawPath.
	raw := strings.TrimSuffix(h.base.EscapedPath(), "/") + path
	dec, err := url.PathUnescape(raw)
	if err != nil {
		return nil, &Error{Backend: req.Backend, Kind: FailConnect, Err: fmt.Errorf("bad request path %q: %w", req.URL, err)}
	}
	target.Path, target.RawPath = dec, raw
	target.RawQuery = query

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	hreq, err := http.NewRequestWithContext(ctx, method, target.String(), bytes.NewReader(req.Body))
	if err != nil {
		return nil, &Error{Backend: req.Backend, Kind: FailConnect, Err: err}
	}
	hreq.Header = req.Header.Clone()
	if hreq.Header == nil {
		hreq.Header = http.Header{}
	}
	for _, k := range hopHeaders {
		hreq.Header.Del(k)
	}
	hreq.Header.Del("Host")
	hreq.Host = req.Host
	if hreq.Host == "" {
		hreq.Host = h.base.Host
	}
	hreq.ContentLength = int64(len(req.Body))
	if len(req.Body) == 0 {
		hreq.Body = http.NoBody
	}

	start := time.Now()
	resp, err := h.transport(connect, firstByte).RoundTrip(hreq)
	if err != nil {
		return nil, classify(req.Backend, err)
	}
	defer resp.Body.Close()

	// Between-bytes timeout: cancel the request when no data arrives for
	// that long.
	errStalled := errors.New("no data within the between-bytes timeout")
	timer := time.AfterFunc(betweenBytes, func() { cancel(errStalled) })
	defer timer.Stop()
	limit := h.MaxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	var body bytes.Buffer
	buf := make([]byte, 32<<10)
	for {
		n, rerr := resp.Body.Read(buf)
		if n > 0 {
			timer.Reset(betweenBytes)
			if int64(body.Len()+n) > limit {
				return nil, &Error{Backend: req.Backend, Kind: FailConnect, Err: fmt.Errorf("response body larger than %d bytes", limit)}
			}
			body.Write(buf[:n])
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			if errors.Is(context.Cause(ctx), errStalled) {
				return nil, &Error{Backend: req.Backend, Kind: FailTimeout, Err: errStalled}
			}
			return nil, classify(req.Backend, rerr)
		}
	}
	header := resp.Header.Clone()
	for _, k := range hopHeaders {
		header.Del(k)
	}
	// resp.Status is "200 OK": keep the origin's own phrase.
	_, reason, _ := strings.Cut(resp.Status, " ")
	return &interp.BackendResponse{
		Status: resp.StatusCode,
		Reason: reason,
		Header: header,
		Body:   body.Bytes(),
		Delay:  time.Since(start),
	}, nil
}

// classify wraps a transport error as a connect failure or a timeout.
func classify(backend string, err error) error {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return &Error{Backend: backend, Kind: FailTimeout, Err: err}
	}
	return &Error{Backend: backend, Kind: FailConnect, Err: err}
}
