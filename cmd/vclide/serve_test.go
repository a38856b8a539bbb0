package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `vclide serve` with args on 127.0.0.1:0 and returns its
// base URL and a function that stops it and returns the exit code.
func startServe(t testing.TB, log io.Writer, args ...string) (string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan int, 1)
	go func() {
		done <- serveMain(ctx, append(args, "--listen", "127.0.0.1:0"), io.Discard, log, func(a string) { addrc <- a })
	}()
	select {
	case a := <-addrc:
		return "http://" + a, func() int { cancel(); return <-done }
	case code := <-done:
		cancel()
		t.Fatalf("serve exited early with %d", code)
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("serve did not start")
	}
	return "", nil
}

func get(t *testing.T, method, url string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		if k == "Host" {
			req.Host = v
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestServe(t *testing.T) {
	var log syncBuffer
	base, stop := startServe(t, &log, ex("boilerplate.vcl"))

	resp, body := get(t, "GET", base+"/hello?utm_source=x", map[string]string{"Host": "www.example.com"})
	if resp.StatusCode != 200 || !strings.Contains(body, "/hello") || !strings.HasPrefix(resp.Header.Get("X-Cache"), "MISS") {
		t.Errorf("first request: %d %v %q", resp.StatusCode, resp.Header, body)
	}
	resp, _ = get(t, "GET", base+"/hello", map[string]string{"Host": "www.example.com"})
	if !strings.HasPrefix(resp.Header.Get("X-Cache"), "HIT") {
		t.Errorf("second request X-Cache = %q, want a hit", resp.Header.Get("X-Cache"))
	}
	resp, body = get(t, "HEAD", base+"/hello", map[string]string{"Host": "www.example.com"})
	if resp.StatusCode != 200 || body != "" {
		t.Errorf("HEAD: %d %q", resp.StatusCode, body)
	}
	resp, _ = get(t, "POST", base+"/form", nil)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("X-Cache"), "PASS") {
		t.Errorf("POST: %d X-Cache %q", resp.StatusCode, resp.Header.Get("X-Cache"))
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	var routes []string
	for _, l := range lines {
		if !strings.HasPrefix(l, "vclide serve:") {
			routes = append(routes, l)
		}
	}
	want := []string{
		"GET /hello?utm_source=x → recv hash miss fetch deliver log → 200 MISS",
		"GET /hello → recv hash hit deliver log → 200 HIT",
		"HEAD /hello → recv hash hit deliver log → 200 HIT",
		"POST /form → recv hash pass fetch deliver log → 200 PASS",
	}
	if len(routes) != len(want) {
		t.Fatalf("log:\n%s", log.String())
	}
	for i := range want {
		// The state may carry -CLUSTER depending on the node chosen.
		if !strings.HasPrefix(routes[i], want[i]) {
			t.Errorf("log line %d = %q, want prefix %q", i, routes[i], want[i])
		}
	}
	if !strings.Contains(log.String(), "vclide serve: stopped") {
		t.Errorf("no shutdown message:\n%s", log.String())
	}
}

func TestServeOrigin(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Set-Cookie", "session=1")
		w.Write([]byte("dev server says hi to " + r.Host))
	}))
	defer srv.Close()
	var log syncBuffer
	base, stop := startServe(t, &log, ex("boilerplate.vcl"), "--origin", srv.URL)
	defer stop()
	resp, body := get(t, "GET", base+"/", map[string]string{"Host": "app.test"})
	if body != "dev server says hi to app.test" || resp.Header.Get("Set-Cookie") != "session=1" {
		t.Errorf("got %q %v", body, resp.Header)
	}
}

func TestServeRefuses(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"all interfaces", []string{ex("boilerplate.vcl"), "--listen", ":8080"}, "is not a loopback address"},
		{"wildcard ip", []string{ex("boilerplate.vcl"), "--listen", "0.0.0.0:0"}, "pass --allow-remote"},
		{"lan address", []string{ex("boilerplate.vcl"), "--listen", "192.168.1.10:8080"}, "is not a loopback address"},
		{"host name", []string{ex("boilerplate.vcl"), "--listen", "example.com:80"}, "is not a loopback address"},
		{"bad address", []string{ex("boilerplate.vcl"), "--listen", "nonsense"}, "missing port"},
		{"no file", []string{"--listen", "127.0.0.1:0"}, "name one VCL file"},
		{"vcl errors", []string{td("broken.vcl"), "--listen", "127.0.0.1:0"}, "fix them before running it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log syncBuffer
			code := serveMain(context.Background(), tt.args, io.Discard, &log, func(string) { t.Error("server started") })
			if code != 2 || !strings.Contains(log.String(), tt.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant %q", code, log.String(), tt.want)
			}
		})
	}
}

func TestIsLoopback(t *testing.T) {
	tests := map[string]bool{
		"127.0.0.1:8080": true,
		"127.0.0.2:1":    true,
		"localhost:0":    true,
		"[::1]:80":       true,
		"[fe80::1%lo]:1": false,
		":8080":          false,
		"0.0.0.0:1":      false,
		"[::]:1":         false,
		"10.0.0.1:1":     false,
		"myhost:1":       false,
	}
	for addr, want := range tests {
		got, err := isLoopback(addr)
		if err != nil || got != want {
			t.Errorf("isLoopback(%q) = %v, %v; want %v", addr, got, err, want)
		}
	}
}
