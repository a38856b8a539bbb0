package interp

import (
	"context"
	"html"
	"net/http"
	"strconv"
	"strings"
)

// EmbeddedOrigin is the origin used when nothing else is configured: every request
// gets a 200 with a small body naming the method and path, cacheable for two
// minutes. Its answers depend only on the request (Date comes from the
// request's virtual time), so runs are reproducible.
type EmbeddedOrigin struct{}

// EmbeddedMaxAge is the Cache-Control max-age of EmbeddedOrigin responses.
const EmbeddedMaxAge = 120

// String names the origin in notes.
func (EmbeddedOrigin) String() string { return "the embedded origin" }

// RoundTrip answers req. It never fails.
func (EmbeddedOrigin) RoundTrip(_ context.Context, req *BackendRequest) (*BackendResponse, error) {
	path := req.URL
	if path == "" {
		path = "/"
	}
	var body, ctype string
	if wantsText(req.Header) {
		ctype = "text/plain; charset=utf-8"
		body = "vclide embedded origin: " + req.Method + " " + path + "\n"
	} else {
		ctype = "text/html; charset=utf-8"
		p := html.EscapeString(path)
		body = "<!doctype html>\n<html><head><title>" + p + "</title></head>\n" +
			"<body><h1>" + p + "</h1><p>Served by the vclide embedded origin (" +
			html.EscapeString(req.Method) + ").</p></body></html>\n"
	}
	h := http.Header{}
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "max-age="+strconv.Itoa(EmbeddedMaxAge))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if !req.Now.IsZero() {
		h.Set("Date", req.Now.UTC().Format(http.TimeFormat))
	}
	if req.Method == http.MethodHead {
		body = ""
	}
	return &BackendResponse{Status: http.StatusOK, Header: h, Body: []byte(body)}, nil
}

// wantsText reports whether the request prefers plain text: it sends an
// Accept header that names neither HTML nor a wildcard.
func wantsText(h http.Header) bool {
	accept := strings.ToLower(strings.Join(h.Values("Accept"), ","))
	if accept == "" {
		return false
	}
	return !strings.Contains(accept, "html") && !strings.Contains(accept, "*/*")
}
