package origin

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vclide/vclide/interp"
)

var now = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func TestEmbedded(t *testing.T) {
	tests := []struct {
		name     string
		method   string
		url      string
		accept   string
		wantType string
		wantBody string // substring; "" means an empty body
	}{
		{"html names the path", "GET", "/products/42?x=1", "", "text/html; charset=utf-8", "<h1>/products/42?x=1</h1>"},
		{"path is escaped", "GET", "/<script>", "", "text/html; charset=utf-8", "&lt;script&gt;"},
		{"text when asked", "GET", "/a.txt", "text/plain", "text/plain; charset=utf-8", "vclide embedded origin: GET /a.txt\n"},
		{"wildcard accept gets html", "GET", "/", "*/*", "text/html; charset=utf-8", "<h1>/</h1>"},
		{"head has no body", "HEAD", "/x", "", "text/html; charset=utf-8", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.accept != "" {
				h.Set("Accept", tt.accept)
			}
			req := &interp.BackendRequest{Backend: "F_x", Method: tt.method, URL: tt.url, Header: h, Now: now}
			resp, err := Embedded{}.RoundTrip(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != 200 {
				t.Errorf("status = %d", resp.Status)
			}
			if got := resp.Header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
			if got := resp.Header.Get("Cache-Control"); got != "max-age=120" {
				t.Errorf("Cache-Control = %q", got)
			}
			if got := resp.Header.Get("Date"); got != "Fri, 01 Mar 2024 12:00:00 GMT" {
				t.Errorf("Date = %q", got)
			}
			if tt.wantBody == "" {
				if len(resp.Body) != 0 {
					t.Errorf("body = %q, want empty", resp.Body)
				}
			} else if !strings.Contains(string(resp.Body), tt.wantBody) {
				t.Errorf("body = %q, want it to contain %q", resp.Body, tt.wantBody)
			}
			again, _ := Embedded{}.RoundTrip(context.Background(), req)
			if string(again.Body) != string(resp.Body) || again.Header.Get("Date") != resp.Header.Get("Date") {
				t.Error("embedded origin is not deterministic")
			}
		})
	}
}

func TestCompileGlob(t *testing.T) {
	tests := []struct {
		glob  string
		match []string
		miss  []string
	}{
		{"", []string{"/", "/a/b"}, nil},
		{"/", []string{"/"}, []string{"/a"}},
		{"/api/*", []string{"/api/x", "/api/"}, []string{"/api/x/y", "/api"}},
		{"/api/**", []string{"/api/x", "/api/x/y/z"}, []string{"/apix"}},
		{"/a/**/b", []string{"/a/b", "/a/x/b", "/a/x/y/b"}, []string{"/a/xb"}},
		{"/img/?.png", []string{"/img/a.png"}, []string{"/img/ab.png", "/img//.png"}},
		{"**.css", []string{"/a.css", "/x/y/z.css"}, []string{"/a.cssx"}},
		{"/a+b(c).html", []string{"/a+b(c).html"}, []string{"/aab(c).html"}},
	}
	for _, tt := range tests {
		re, err := CompileGlob(tt.glob)
		if err != nil {
			t.Fatalf("%q: %v", tt.glob, err)
		}
		for _, p := range tt.match {
			if !re.MatchString(p) {
				t.Errorf("%q should match %q", tt.glob, p)
			}
		}
		for _, p := range tt.miss {
			if re.MatchString(p) {
				t.Errorf("%q should not match %q", tt.glob, p)
			}
		}
	}
	if _, err := CompileGlob("/a/***"); err == nil {
		t.Error("*** accepted")
	}
}

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestMock(t *testing.T) {
	m, err := NewMock([]Rule{
		{Path: "/down", Response: Response{Fail: FailConnect}},
		{Path: "/slow", Response: Response{Delay: 20 * time.Second}},
		{Path: "/fine-delay", Response: Response{Delay: 2 * time.Second, Body: []byte("late")}},
		{Path: "/hang", Response: Response{Fail: FailTimeout}},
		{Path: "/api/**", Method: "POST", Response: Response{Status: 201, Body: []byte("created")}},
		{Path: "/flaky", Sequence: []Response{
			{Status: 200, Body: []byte("one"), Header: hdr("Cache-Control", "max-age=1")},
			{Status: 503, Body: []byte("two")},
			{Status: 200, Body: []byte("three")},
		}},
		{Path: "/api/**", Response: Response{Status: 200, Body: []byte("api")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		status int
		body   string
		fail   string
		delay  time.Duration
	}
	steps := []struct {
		method, url string
		want        want
	}{
		{"GET", "/down", want{fail: FailConnect}},
		{"GET", "/slow", want{fail: FailTimeout}},
		{"GET", "/fine-delay", want{status: 200, body: "late", delay: 2 * time.Second}},
		{"GET", "/hang", want{fail: FailTimeout}},
		{"POST", "/api/items", want{status: 201, body: "created"}},
		{"GET", "/api/items?x=1", want{status: 200, body: "api"}},
		{"GET", "/flaky", want{status: 200, body: "one"}},
		{"GET", "/flaky?again", want{status: 503, body: "two"}},
		{"GET", "/flaky", want{status: 200, body: "three"}},
		{"GET", "/flaky", want{status: 200, body: "three"}},
		{"GET", "/nowhere", want{status: 404, body: "no response rule matches GET /nowhere on backend origin"}},
		{"HEAD", "/api/x", want{status: 200}},
	}
	for i, st := range steps {
		req := &interp.BackendRequest{Backend: "origin", Method: st.method, URL: st.url, Header: http.Header{}, Now: now}
		resp, err := m.RoundTrip(context.Background(), req)
		if st.want.fail != "" {
			var oe *Error
			if !errors.As(err, &oe) || oe.Kind != st.want.fail {
				t.Errorf("step %d %s %s: err = %v, want a %s failure", i, st.method, st.url, err, st.want.fail)
			}
			if st.want.fail == FailTimeout && !IsTimeout(err) {
				t.Errorf("step %d: IsTimeout false", i)
			}
			continue
		}
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if resp.Status != st.want.status || resp.Delay != st.want.delay {
			t.Errorf("step %d %s %s: status %d delay %s, want %d %s", i, st.method, st.url, resp.Status, resp.Delay, st.want.status, st.want.delay)
		}
		if st.want.body == "" && len(resp.Body) != 0 || !strings.Contains(string(resp.Body), st.want.body) {
			t.Errorf("step %d %s %s: body %q, want %q", i, st.method, st.url, resp.Body, st.want.body)
		}
		if resp.Header.Get("Date") == "" {
			t.Errorf("step %d: no Date header", i)
		}
	}
	calls := m.Calls()
	if len(calls) != len(steps) {
		t.Fatalf("recorded %d calls, want %d", len(calls), len(steps))
	}
	if calls[0].Rule != 0 || calls[0].Fail != FailConnect || calls[10].Rule != -1 || calls[10].Status != 404 || calls[7].Status != 503 {
		t.Errorf("calls recorded wrongly: %+v", calls)
	}
}

func TestMockRejectsBadRules(t *testing.T) {
	tests := []struct {
		rule Rule
		want string
	}{
		{Rule{Response: Response{Fail: "explode"}}, `rule 1: fail must be "connect" or "timeout"`},
		{Rule{Response: Response{Status: 42}}, "rule 1: status 42 out of range"},
		{Rule{Sequence: []Response{{}, {Delay: -time.Second}}}, "rule 1, sequence entry 2: negative delay"},
		{Rule{Path: "/***"}, "rule 1: path"},
	}
	for _, tt := range tests {
		_, err := NewMock([]Rule{tt.rule})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewMock(%+v) = %v, want %q", tt.rule, err, tt.want)
		}
	}
}

func TestHTTP(t *testing.T) {
	var got atomic.Pointer[http.Request]
	var gotBody atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r)
		b, _ := io.ReadAll(r.Body)
		gotBody.Store(string(b))
		switch r.URL.Path {
		case "/app/redirect":
			http.Redirect(w, r, "http://elsewhere.invalid/", http.StatusFound)
		case "/app/slow":
			time.Sleep(300 * time.Millisecond)
			w.Write([]byte("late"))
		case "/app/stall":
			w.Write([]byte("part"))
			w.(http.Flusher).Flush()
			time.Sleep(300 * time.Millisecond)
			w.Write([]byte("rest"))
		default:
			w.Header().Set("Cache-Control", "max-age=60")
			w.WriteHeader(201)
			w.Write([]byte("hello " + r.Method))
		}
	}))
	defer srv.Close()
	o, err := NewHTTP(srv.URL + "/app")
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	ctx := context.Background()

	resp, err := o.RoundTrip(ctx, &interp.BackendRequest{
		Backend: "dev", Method: "POST", URL: "/items%2F1?q=1", Host: "www.example.com",
		Header: hdr("X-A", "1", "Connection", "close", "Accept-Encoding", "gzip"), Body: []byte("payload"),
	})
	if err != nil {
		t.Fatal(err)
	}
	r := got.Load()
	if resp.Status != 201 || string(resp.Body) != "hello POST" || resp.Header.Get("Cache-Control") != "max-age=60" {
		t.Errorf("response = %d %q %v", resp.Status, resp.Body, resp.Header)
	}
	if r.Host != "www.example.com" || r.URL.RawQuery != "q=1" || r.URL.EscapedPath() != "/app/items%2F1" ||
		r.Header.Get("X-A") != "1" || r.Header.Get("Accept-Encoding") != "gzip" || gotBody.Load() != "payload" {
		t.Errorf("origin saw host=%q path=%q query=%q headers=%v body=%q", r.Host, r.URL.EscapedPath(), r.URL.RawQuery, r.Header, gotBody.Load())
	}

	// Redirects are returned, not followed.
	resp, err = o.RoundTrip(ctx, &interp.BackendRequest{Backend: "dev", Method: "GET", URL: "/redirect", Header: http.Header{}})
	if err != nil || resp.Status != 302 || resp.Header.Get("Location") != "http://elsewhere.invalid/" {
		t.Errorf("redirect: %v %+v", err, resp)
	}

	// First-byte and between-bytes timeouts.
	_, err = o.RoundTrip(ctx, &interp.BackendRequest{Backend: "dev", Method: "GET", URL: "/slow", Header: http.Header{}, FirstByteTimeout: 50 * time.Millisecond})
	if !IsTimeout(err) {
		t.Errorf("first-byte timeout: err = %v", err)
	}
	_, err = o.RoundTrip(ctx, &interp.BackendRequest{Backend: "dev", Method: "GET", URL: "/stall", Header: http.Header{}, BetweenBytesTimeout: 50 * time.Millisecond})
	if !IsTimeout(err) {
		t.Errorf("between-bytes timeout: err = %v", err)
	}
	resp, err = o.RoundTrip(ctx, &interp.BackendRequest{Backend: "dev", Method: "GET", URL: "/stall", Header: http.Header{}})
	if err != nil || string(resp.Body) != "partrest" || resp.Delay < 250*time.Millisecond {
		t.Errorf("slow body within timeout: %v %+v", err, resp)
	}
}

func TestHTTPConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	o, err := NewHTTP("http://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	_, err = o.RoundTrip(context.Background(), &interp.BackendRequest{Backend: "dev", Method: "GET", URL: "/", Header: http.Header{}})
	var oe *Error
	if !errors.As(err, &oe) || oe.Kind != FailConnect || !strings.Contains(err.Error(), "backend dev: connection failed") {
		t.Errorf("err = %v, want a connect failure", err)
	}
}

func TestHTTPOnlyContactsConfiguredHost(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	o, err := NewHTTP(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:1")
	// The Host header names another site; the request still goes to srv.
	_, err = o.RoundTrip(context.Background(), &interp.BackendRequest{Backend: "dev", Method: "GET", URL: "/", Host: "evil.invalid:80", Header: http.Header{}})
	if err != nil || hits.Load() != 1 {
		t.Errorf("err = %v, hits = %d", err, hits.Load())
	}
}

func TestNewHTTPValidates(t *testing.T) {
	for _, bad := range []string{"ftp://x", "http://", "http://u:p@host", "http://h/?q=1", "::"} {
		if _, err := NewHTTP(bad); err == nil {
			t.Errorf("NewHTTP(%q) accepted", bad)
		}
	}
	for _, good := range []string{"http://127.0.0.1:3000", "https://dev.local/base/", "http://[::1]:8080"} {
		if _, err := NewHTTP(good); err != nil {
			t.Errorf("NewHTTP(%q): %v", good, err)
		}
	}
}
