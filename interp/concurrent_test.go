package interp

import (
	"context"
	"strings"
	"testing"
)

// TestCollapsing: concurrent misses for one key wait for the first fetch
// and are served its object with -WAIT.
func TestCollapsing(t *testing.T) {
	tests := []struct {
		name    string
		vcl     string
		cluster bool
		calls   int
		states  []string
	}{
		{name: "one node", calls: 1, states: []string{"MISS", "HIT-WAIT", "HIT-WAIT"}},
		{name: "clustered: all collapse on the fetch node", cluster: true, calls: 1},
		{name: "leader passes: followers go to the backend", vcl: `sub vcl_fetch { return(pass); }`,
			calls: 3, states: []string{"MISS", "PASS-WAIT", "PASS-WAIT"}},
		{name: "hash_ignore_busy disables collapsing", vcl: `sub vcl_recv { set req.hash_ignore_busy = true; }`,
			calls: 3, states: []string{"MISS", "MISS", "MISS"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := fixed(200, "shared", "Cache-Control", "max-age=60")
			e := newEngine(t, tc.vcl, engineOpts{origin: o, cluster: tc.cluster, seed: 3})
			reqs := []Request{{URL: "/hot"}, {URL: "/hot"}, {URL: "/hot"}}
			rs := e.DoConcurrent(context.Background(), reqs)
			if o.calls() != tc.calls {
				t.Errorf("%d backend calls, want %d", o.calls(), tc.calls)
			}
			for i, r := range rs {
				if r.Err != nil || r.Response.Status != 200 || string(r.Response.Body) != "shared" {
					t.Errorf("request %d: %d %q %v", i, r.Response.Status, r.Response.Body, r.Err)
				}
				if tc.states != nil && r.State != tc.states[i] {
					t.Errorf("request %d: state %s, want %s", i, r.State, tc.states[i])
				}
				if tc.cluster && i > 0 && !strings.HasPrefix(r.State, "HIT-WAIT") {
					t.Errorf("request %d: state %s, want HIT-WAIT…", i, r.State)
				}
			}
			if tc.calls == 1 && route(rs[1]) != "recv hash hit deliver log" {
				t.Errorf("follower route %s", route(rs[1]))
			}
		})
	}
}

// TestDeterminism: the same seed and inputs give the same results.
func TestDeterminism(t *testing.T) {
	vcl := `
		director d random { { .backend = F_a; .weight = 1; } { .backend = F_b; .weight = 1; } }
		backend F_a { .host = "a.example.com"; }
		backend F_b { .host = "b.example.com"; }
		sub vcl_recv { set req.backend = d; set req.http.X-R = randomint(1, 1000000); return(pass); }
		sub vcl_deliver { set resp.http.X-R = req.http.X-R; set resp.http.X-Backend = req.backend.name; }`
	run := func() string {
		e := newEngine(t, vcl, engineOpts{origin: fixed(200, "x"), cluster: true, seed: 42, noBackend: true})
		var out []string
		for i := 0; i < 6; i++ {
			r := do(e, "GET", "/d")
			out = append(out, hdr(r, "X-R")+"/"+r.BackendRequests[0].Backend+"/"+r.Route[0].NodeID)
		}
		return strings.Join(out, " ")
	}
	a, b := run(), run()
	if a != b {
		t.Errorf("runs differ:\n%s\n%s", a, b)
	}
	if !strings.Contains(a, "F_a") || !strings.Contains(a, "F_b") {
		t.Errorf("the random director always picks one backend: %s", a)
	}
}

// TestDirectors: hash directors pick by cache key, fallback the first
// member.
func TestDirectors(t *testing.T) {
	vcl := `
		backend F_a { .host = "a.example.com"; }
		backend F_b { .host = "b.example.com"; }
		director by_key hash { { .backend = F_a; .weight = 1; } { .backend = F_b; .weight = 1; } }
		director fb fallback { { .backend = F_b; } { .backend = F_a; } }
		sub vcl_recv { if (req.url ~ "^/fb") { set req.backend = fb; } else { set req.backend = by_key; } return(pass); }`
	e := newEngine(t, vcl, engineOpts{origin: fixed(200, "x"), noBackend: true})
	if r := do(e, "GET", "/fb"); r.BackendRequests[0].Backend != "F_b" {
		t.Errorf("fallback picked %s", r.BackendRequests[0].Backend)
	}
	first := do(e, "GET", "/h1").BackendRequests[0].Backend
	for i := 0; i < 3; i++ {
		if got := do(e, "GET", "/h1").BackendRequests[0].Backend; got != first {
			t.Errorf("hash director not stable: %s then %s", first, got)
		}
	}
}
