package interp

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/vclide/vclide/analysis"
)

// mockOrigin answers backend requests from a function and records them.
type mockOrigin struct {
	mu    sync.Mutex
	reqs  []*BackendRequest
	reply func(n int, req *BackendRequest) (*BackendResponse, error)
}

func (m *mockOrigin) RoundTrip(_ context.Context, req *BackendRequest) (*BackendResponse, error) {
	m.mu.Lock()
	m.reqs = append(m.reqs, req)
	n := len(m.reqs)
	m.mu.Unlock()
	return m.reply(n, req)
}

func (m *mockOrigin) calls() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.reqs)
}

// fixed answers every request with the same status, headers and body.
func fixed(status int, body string, kv ...string) *mockOrigin {
	return &mockOrigin{reply: func(int, *BackendRequest) (*BackendResponse, error) {
		return resp(status, body, kv...), nil
	}}
}

// sequence answers the n-th request with the n-th response (the last one
// repeats); a nil response is a connection failure.
func sequence(rs ...*BackendResponse) *mockOrigin {
	return &mockOrigin{reply: func(n int, _ *BackendRequest) (*BackendResponse, error) {
		r := rs[min(n, len(rs))-1]
		if r == nil {
			return nil, errors.New("connection refused")
		}
		c := *r
		c.Header = r.Header.Clone()
		return &c, nil
	}}
}

func resp(status int, body string, kv ...string) *BackendResponse {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return &BackendResponse{Status: status, Header: h, Body: []byte(body)}
}

// testBackend is prepended to test programs that declare no backend.
const testBackend = `backend F_origin { .host = "origin.example.com"; .port = "443"; .ssl = true; }
`

type engineOpts struct {
	nodes      int
	seed       int64
	cluster    bool
	origin     Origin
	hooks      Hooks
	noBackend  bool
	extraFiles map[string]string
}

// newEngine checks src and builds an engine; clustering is off unless
// o.cluster, and the POP has one node unless o.nodes says otherwise.
func newEngine(t testing.TB, src string, o engineOpts) *Engine {
	t.Helper()
	if !o.noBackend && !strings.Contains(src, "backend ") {
		src = testBackend + src
	}
	opts := analysis.Options{}
	if o.extraFiles != nil {
		o.extraFiles["main.vcl"] = src
		opts.FS = mapFS(o.extraFiles)
	}
	var p *analysis.Program
	if o.extraFiles != nil {
		var err error
		if p, err = analysis.Load("main.vcl", opts); err != nil {
			t.Fatal(err)
		}
	} else {
		p = analysis.ParseFile("main.vcl", src, opts)
	}
	nodes := o.nodes
	if nodes == 0 {
		nodes = 1
		if o.cluster {
			nodes = 4
		}
	}
	cfg := Config{Program: p, Nodes: nodes, Seed: o.seed, DisableClustering: !o.cluster, Hooks: o.hooks}
	if o.origin != nil {
		cfg.Fallback = o.origin
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

type mapFS map[string]string

func (m mapFS) ReadFile(path string) (string, error) {
	for k, v := range m {
		if k == path || strings.HasSuffix(path, "/"+k) {
			return v, nil
		}
	}
	return "", errors.New("no such file: " + path)
}

func do(e *Engine, method, url string, kv ...string) *Result {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return e.Do(context.Background(), Request{Method: method, URL: url, Header: h})
}

// route renders the subroutines a request ran, without the vcl_ prefix:
// "recv hash miss fetch deliver log".
func route(r *Result) string {
	var parts []string
	for _, s := range r.Route {
		parts = append(parts, strings.TrimPrefix(s.Sub, "vcl_"))
	}
	return strings.Join(parts, " ")
}

// clusteredEngine finds a seed for which the first request for url (with
// Fastly's default cache key) lands on a delivery node that is not the
// key's fetch node, and returns an engine for src with that seed.
func clusteredEngine(t *testing.T, src, url string, o engineOpts) *Engine {
	t.Helper()
	o.cluster = true
	for seed := int64(1); seed < 200; seed++ {
		o.seed = seed
		probe := newEngine(t, "", engineOpts{seed: seed, cluster: true, nodes: o.nodes, origin: fixed(200, "probe"), noBackend: o.noBackend})
		r := do(probe, "GET", url)
		if len(r.Cluster) > 0 && r.Cluster[0].Kind == "to-fetch" {
			return newEngine(t, src, o)
		}
	}
	t.Fatal("no seed makes the request cluster")
	return nil
}

func hdr(r *Result, name string) string { return r.Response.Header.Get(name) }

func parse(src string) *analysis.Program {
	return analysis.ParseFile("main.vcl", src, analysis.Options{})
}
