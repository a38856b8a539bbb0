package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// concurrencyVCL answers /synthetic itself and fetches everything else.
const concurrencyVCL = `backend F_origin {
  .host = "origin.example.com";
  .port = "80";
}

sub vcl_recv {
#FASTLY recv
  if (req.url.path == "/synthetic") {
    error 900;
  }
  return(lookup);
}

sub vcl_fetch {
#FASTLY fetch
  set beresp.ttl = 1h;
  return(deliver);
}

sub vcl_error {
#FASTLY error
  if (obj.status == 900) {
    set obj.status = 200;
    synthetic "synthetic";
    return(deliver);
  }
}
`

// slowOrigin holds every request until release is closed, counting them
// by path.
type slowOrigin struct {
	srv     *httptest.Server
	release chan struct{}
	arrived chan string
	once    sync.Once
	mu      sync.Mutex
	count   map[string]int
}

// open lets the held requests (and later ones) through.
func (o *slowOrigin) open() { o.once.Do(func() { close(o.release) }) }

func newSlowOrigin(t *testing.T) *slowOrigin {
	o := &slowOrigin{release: make(chan struct{}), arrived: make(chan string, 100), count: map[string]int{}}
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		o.count[r.URL.Path]++
		o.mu.Unlock()
		o.arrived <- r.URL.Path
		<-o.release
		w.Header().Set("Cache-Control", "max-age=3600")
		fmt.Fprintf(w, "origin %s", r.URL.Path)
	}))
	t.Cleanup(func() {
		o.open()
		o.srv.Close()
	})
	return o
}

func (o *slowOrigin) requests(path string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.count[path]
}

// waitArrival waits until the origin received a request for path.
func (o *slowOrigin) waitArrival(t *testing.T, path string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case p := <-o.arrived:
			if p == path {
				return
			}
		case <-deadline:
			t.Fatalf("the origin never received %s", path)
		}
	}
}

func startConcurrencyServe(t *testing.T, log io.Writer, originURL string) string {
	t.Helper()
	vcl := filepath.Join(t.TempDir(), "main.vcl")
	if err := os.WriteFile(vcl, []byte(concurrencyVCL), 0o644); err != nil {
		t.Fatal(err)
	}
	base, stop := startServe(t, log, vcl, "--origin", originURL)
	t.Cleanup(func() { stop() })
	return base
}

// fetch gets a URL with a client timeout, reporting failures as errors.
func fetch(url string, timeout time.Duration) (int, string, error) {
	c := &http.Client{Timeout: timeout}
	resp, err := c.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// TestServeSlowOriginDoesNotBlockOthers: while the origin holds one
// request, a synthetic response and a fetch of another key go through.
// serve used to hold one mutex over the fetch: a synthetic response waited
// 14.5 s behind a slow origin.
func TestServeSlowOriginDoesNotBlockOthers(t *testing.T) {
	o := newSlowOrigin(t)
	var log syncBuffer
	base := startConcurrencyServe(t, &log, o.srv.URL)
	defer o.open() // before serve stops: it waits for the requests in flight
	go fetch(base+"/slow", 30*time.Second)
	o.waitArrival(t, "/slow")

	status, body, err := fetch(base+"/synthetic", 3*time.Second)
	if err != nil || status != 200 || body != "synthetic" {
		t.Fatalf("a synthetic response behind a slow fetch: %d %q %v", status, body, err)
	}
	// A miss for another key reaches the origin while /slow is held.
	go fetch(base+"/other", 30*time.Second)
	o.waitArrival(t, "/other")
}

// TestServeCollapsesSameKey: misses for one key while it is being fetched
// wait for that fetch and share its object: the origin sees one request.
func TestServeCollapsesSameKey(t *testing.T) {
	o := newSlowOrigin(t)
	var log syncBuffer
	base := startConcurrencyServe(t, &log, o.srv.URL)
	const clients = 4
	type result struct {
		status int
		body   string
		err    error
	}
	results := make(chan result, clients)
	get := func() {
		s, b, err := fetch(base+"/same", 30*time.Second)
		results <- result{s, b, err}
	}
	go get()
	o.waitArrival(t, "/same")
	for range clients - 1 {
		go get()
	}
	// Give the followers time to queue (without collapsing they would
	// reach the origin meanwhile), then let the origin answer.
	for end := time.Now().Add(time.Second); time.Now().Before(end) && o.requests("/same") == 1; {
		time.Sleep(10 * time.Millisecond)
	}
	o.open()
	for range clients {
		r := <-results
		if r.err != nil || r.status != 200 || r.body != "origin /same" {
			t.Errorf("a client got %d %q %v", r.status, r.body, r.err)
		}
	}
	if n := o.requests("/same"); n != 1 {
		t.Errorf("the origin received %d requests for one key, want 1 (collapsed)", n)
	}
	if n := strings.Count(log.String(), "HIT-WAIT"); n != clients-1 {
		t.Errorf("%d requests report HIT-WAIT, want %d:\n%s", n, clients-1, log.String())
	}
}

// TestServeTimeouts: a client that trickles its headers, or keeps an idle
// connection, is disconnected.
func TestServeTimeouts(t *testing.T) {
	defer func(h, i time.Duration) { serveReadHeaderTimeout, serveIdleTimeout = h, i }(serveReadHeaderTimeout, serveIdleTimeout)
	serveReadHeaderTimeout, serveIdleTimeout = 200*time.Millisecond, 300*time.Millisecond
	var log syncBuffer
	base, stop := startServe(t, &log, ex("boilerplate.vcl"))
	defer stop()
	addr := strings.TrimPrefix(base, "http://")
	tests := []struct {
		name  string
		input string
	}{
		{"headers never finish", "GET / HTTP/1.1\r\nHost: x\r\n"},
		{"idle keep-alive connection", "GET / HTTP/1.1\r\nHost: x\r\n\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			io.WriteString(conn, tt.input)
			conn.SetReadDeadline(time.Now().Add(5 * time.Second))
			start := time.Now()
			r := bufio.NewReader(conn)
			if strings.HasSuffix(tt.input, "\r\n\r\n") {
				resp, err := http.ReadResponse(r, nil)
				if err != nil {
					t.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			if _, err := io.Copy(io.Discard, r); err != nil {
				t.Fatalf("the server did not close the connection: %v", err)
			}
			if time.Since(start) > 4*time.Second {
				t.Fatalf("closed after %v", time.Since(start))
			}
		})
	}
}
