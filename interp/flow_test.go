package interp

import (
	"strings"
	"testing"
	"time"
)

// TestRoutes checks the state machine of semantics.md §1: which
// subroutines run, in which order, with which returns, and the final
// fastly_info.state, with clustering off.
func TestRoutes(t *testing.T) {
	tests := []struct {
		name   string
		vcl    string
		origin *mockOrigin
		method string
		twice  bool // check the second request
		route  string
		state  string
		status int
	}{
		{name: "no subroutines: lookup, miss, fetch", vcl: ``,
			route: "recv hash miss fetch deliver log", state: "MISS", status: 200},
		{name: "second request hits", vcl: ``, twice: true,
			route: "recv hash hit deliver log", state: "HIT", status: 200},
		{name: "recv pass goes through hash to pass",
			vcl:   `sub vcl_recv { return(pass); }`,
			route: "recv hash pass fetch deliver log", state: "PASS", status: 200},
		{name: "boilerplate passes POST", vcl: `sub vcl_recv { #FASTLY recv
			if (req.method != "HEAD" && req.method != "GET") { return(pass); } return(lookup); }`,
			method: "POST", route: "recv hash pass fetch deliver log", state: "PASS", status: 200},
		{name: "recv error goes through hash to error",
			vcl:   `sub vcl_recv { error 901 "Custom"; }`,
			route: "recv hash error deliver log", state: "ERROR", status: 901},
		{name: "miss pass runs vcl_pass",
			vcl:   `sub vcl_miss { return(pass); }`,
			route: "recv hash miss pass fetch deliver log", state: "PASS", status: 200},
		{name: "hit pass runs vcl_pass", twice: true,
			vcl:   `sub vcl_hit { return(pass); }`,
			route: "recv hash hit pass fetch deliver log", state: "PASS", status: 200},
		{name: "hit error", twice: true,
			vcl:   `sub vcl_hit { error 403; }`,
			route: "recv hash hit error deliver log", state: "ERROR", status: 403},
		{name: "fetch error discards beresp",
			vcl:   `sub vcl_fetch { error 902 "from fetch"; }`,
			route: "recv hash miss fetch error deliver log", state: "ERROR", status: 902},
		{name: "backend failure skips vcl_fetch",
			vcl:    `sub vcl_fetch { set beresp.http.X = "never"; }`,
			origin: sequence(nil),
			route:  "recv hash miss error deliver log", state: "ERROR", status: 503},
		{name: "5xx from the backend runs vcl_fetch",
			vcl:    `sub vcl_fetch { set beresp.http.X-Fetch = "ran"; }`,
			origin: fixed(500, "boom"),
			route:  "recv hash miss fetch deliver log", state: "MISS", status: 500},
		{name: "deliver restart runs recv again",
			vcl:   `sub vcl_deliver { if (req.restarts == 0) { return(restart); } }`,
			route: "recv hash miss fetch deliver recv hash hit deliver log", state: "HIT", status: 200},
		{name: "error then synthetic 200 is HIT-SYNTH",
			vcl: `sub vcl_recv { error 900; }
			sub vcl_error { set obj.status = 200; synthetic "ok"; return(deliver); }`,
			route: "recv hash error deliver log", state: "HIT-SYNTH", status: 200},
		{name: "restart from fetch",
			vcl:   `sub vcl_fetch { if (req.restarts < 1) { restart; } }`,
			route: "recv hash miss fetch recv hash miss fetch deliver log", state: "MISS", status: 200},
		{name: "pass in fetch is not cached", twice: true,
			vcl:   `sub vcl_fetch { return(pass); }`,
			route: "recv hash pass fetch deliver log", state: "PASS", status: 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.origin
			if o == nil {
				o = fixed(200, "body", "Cache-Control", "max-age=60")
			}
			e := newEngine(t, tc.vcl, engineOpts{origin: o})
			m := tc.method
			if m == "" {
				m = "GET"
			}
			r := do(e, m, "/a")
			if tc.twice {
				r = do(e, m, "/a")
			}
			if got := route(r); got != tc.route {
				t.Errorf("route = %q, want %q", got, tc.route)
			}
			if r.State != tc.state {
				t.Errorf("state = %q, want %q", r.State, tc.state)
			}
			if r.Response.Status != tc.status {
				t.Errorf("status = %d, want %d", r.Response.Status, tc.status)
			}
			if r.Err != nil {
				t.Errorf("unexpected runtime error: %v", r.Err)
			}
		})
	}
}

// TestRestartLimit: three restarts are allowed, the fourth ends the request
// with a 503.
func TestRestartLimit(t *testing.T) {
	tests := []struct {
		name     string
		limit    int
		status   int
		restarts int
	}{
		{"three restarts are fine", 3, 200, 3},
		{"the fourth restart gives 503", 4, 503, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vcl := `sub vcl_recv { if (req.restarts < ` + string(rune('0'+tc.limit)) + `) { return(restart); } }`
			e := newEngine(t, vcl, engineOpts{origin: fixed(200, "x")})
			r := do(e, "GET", "/")
			if r.Response.Status != tc.status || r.Restarts != tc.restarts {
				t.Errorf("status %d restarts %d, want %d and %d (route %s)", r.Response.Status, r.Restarts, tc.status, tc.restarts, route(r))
			}
			if n := strings.Count(route(r), "recv"); n != min(tc.limit, 3)+1 {
				t.Errorf("vcl_recv ran %d times", n)
			}
		})
	}
}

// TestErrorAndSynthetic: error with custom codes reaches vcl_error with
// obj.status and obj.response; synthetic and synthetic.base64 set the body.
func TestErrorAndSynthetic(t *testing.T) {
	tests := []struct {
		name   string
		vcl    string
		status int
		reason string
		body   string
		ctype  string
	}{
		{name: "custom 9xx rewritten in vcl_error", vcl: `
			sub vcl_recv { error 901 "Go away"; }
			sub vcl_error {
				if (obj.status == 901) {
					set obj.status = 200;
					set obj.http.Content-Type = "text/plain";
					set obj.http.X-Reason = obj.response;
					synthetic {"<h1>moved</h1>"};
					return(deliver);
				}
			}`, status: 200, reason: "Go away", body: "<h1>moved</h1>", ctype: "text/plain"},
		{name: "synthetic.base64", vcl: `
			sub vcl_recv { error 600; }
			sub vcl_error { set obj.http.X-Reason = obj.response; synthetic.base64 "aGVsbG8="; }`,
			status: 600, reason: "Unknown Error", body: "hello"},
		{name: "error without a code is 503", vcl: `
			sub vcl_miss { error; }
			sub vcl_error { set obj.http.X-Reason = obj.response; }`,
			status: 503, reason: "Service Unavailable"},
		{name: "error code from an expression", vcl: `
			sub vcl_recv { error std.atoi("404") "nope"; }
			sub vcl_error { set obj.http.X-Reason = obj.response; }`,
			status: 404, reason: "nope"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t, tc.vcl, engineOpts{origin: fixed(200, "origin")})
			r := do(e, "GET", "/")
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			if r.Response.Status != tc.status || hdr(r, "X-Reason") != tc.reason || string(r.Response.Body) != tc.body {
				t.Errorf("got %d %q %q, want %d %q %q", r.Response.Status, hdr(r, "X-Reason"), r.Response.Body, tc.status, tc.reason, tc.body)
			}
			if tc.ctype != "" && hdr(r, "Content-Type") != tc.ctype {
				t.Errorf("Content-Type = %q", hdr(r, "Content-Type"))
			}
		})
	}
}

// TestBackendFailure: an unreachable backend goes to vcl_error with a 503
// and obj.response "backend read error", where a stale copy can be served.
func TestBackendFailure(t *testing.T) {
	vcl := `
		sub vcl_error {
			set obj.http.X-Response = obj.response;
			if (obj.status == 503 && stale.exists) { return(deliver_stale); }
		}`
	o := sequence(resp(200, "v1", "Cache-Control", "max-age=10, stale-if-error=3600"), nil)
	e := newEngine(t, vcl, engineOpts{origin: o})
	if r := do(e, "GET", "/s"); r.Response.Status != 200 {
		t.Fatalf("first request: %d", r.Response.Status)
	}
	e.Clock().Advance(30 * time.Second)
	r := do(e, "GET", "/s")
	if got := route(r); got != "recv hash miss error deliver log" {
		t.Errorf("route = %q", got)
	}
	if r.Response.Status != 200 || string(r.Response.Body) != "v1" || r.State != "HIT-STALE" {
		t.Errorf("got %d %q state %s, want the stale 200 and HIT-STALE", r.Response.Status, r.Response.Body, r.State)
	}
	if len(r.BackendRequests) != 1 || r.BackendRequests[0].Error == "" || r.BackendRequests[0].Status != 0 {
		t.Errorf("backend calls = %+v", r.BackendRequests)
	}
	// Without a stale copy the 503 is delivered.
	r = do(e, "GET", "/other")
	if r.Response.Status != 503 || hdr(r, "X-Response") != "backend read error" {
		t.Errorf("got %d %q", r.Response.Status, hdr(r, "X-Response"))
	}
}

// TestDeliverStaleOn5xx: return(deliver_stale) in vcl_fetch serves the
// stale copy when the origin answers 5xx within stale-if-error.
func TestDeliverStaleOn5xx(t *testing.T) {
	vcl := `
		sub vcl_fetch {
			if (beresp.status >= 500 && beresp.status < 600) {
				if (stale.exists) { return(deliver_stale); }
			}
		}`
	tests := []struct {
		name    string
		advance time.Duration
		status  int
		body    string
		state   string
	}{
		{"within stale-if-error: stale served", 60 * time.Second, 200, "fresh", "HIT-STALE"},
		{"after stale-if-error: the 503 is delivered", 2 * time.Hour, 503, "down", "MISS"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := sequence(resp(200, "fresh", "Cache-Control", "max-age=10, stale-if-error=3600"), resp(503, "down"))
			e := newEngine(t, vcl, engineOpts{origin: o})
			do(e, "GET", "/p")
			e.Clock().Advance(tc.advance)
			r := do(e, "GET", "/p")
			if r.Response.Status != tc.status || string(r.Response.Body) != tc.body || r.State != tc.state {
				t.Errorf("got %d %q %s, want %d %q %s", r.Response.Status, r.Response.Body, r.State, tc.status, tc.body, tc.state)
			}
		})
	}
}

// Test304 revalidates a stale copy with validators: the 304 refreshes the
// stored object, vcl_fetch does not run, and the state gets -REFRESH.
func Test304(t *testing.T) {
	vcl := `sub vcl_fetch { set beresp.http.X-Fetched = "yes"; }`
	o := sequence(
		resp(200, "cached body", "Cache-Control", "max-age=10, stale-if-error=600", "ETag", `"v1"`),
		resp(304, "", "Cache-Control", "max-age=100"),
	)
	e := newEngine(t, vcl, engineOpts{origin: o})
	do(e, "GET", "/r")
	e.Clock().Advance(20 * time.Second)
	r := do(e, "GET", "/r")
	if got := route(r); got != "recv hash miss deliver log" {
		t.Errorf("route = %q (vcl_fetch must not run on a 304)", got)
	}
	if r.State != "MISS-REFRESH" || r.Response.Status != 200 || string(r.Response.Body) != "cached body" {
		t.Errorf("got %d %q %s", r.Response.Status, r.Response.Body, r.State)
	}
	if got := o.reqs[1].Header.Get("If-None-Match"); got != `"v1"` {
		t.Errorf("revalidation If-None-Match = %q", got)
	}
	// The refreshed object is fresh again for 100s.
	e.Clock().Advance(50 * time.Second)
	r = do(e, "GET", "/r")
	if r.State != "HIT" || o.calls() != 2 {
		t.Errorf("after refresh: state %s, %d backend calls", r.State, o.calls())
	}
}

// TestHitForPass: return(pass) in vcl_fetch stores a hit-for-pass marker;
// the next request goes RECV→HASH→PASS→DELIVER, with fastly_info.state
// HITPASS in vcl_pass and PASS at the end; purging the marker allows
// caching again.
func TestHitForPass(t *testing.T) {
	vcl := `
		sub vcl_pass { set req.http.X-Pass-State = fastly_info.state; }
		sub vcl_fetch {
			set beresp.http.X-Pass-State = req.http.X-Pass-State;
			if (beresp.http.Set-Cookie) { return(pass); }
		}`
	o := sequence(resp(200, "a", "Set-Cookie", "s=1", "Cache-Control", "max-age=300"),
		resp(200, "b", "Set-Cookie", "s=2"), resp(200, "c", "Cache-Control", "max-age=300"))
	e := newEngine(t, vcl, engineOpts{origin: o})
	r1 := do(e, "GET", "/hfp")
	if route(r1) != "recv hash miss fetch deliver log" {
		t.Fatalf("first route %q", route(r1))
	}
	r2 := do(e, "GET", "/hfp")
	if got := route(r2); got != "recv hash pass fetch deliver log" {
		t.Errorf("second route = %q", got)
	}
	if hdr(r2, "X-Pass-State") != "HITPASS" || r2.State != "PASS" {
		t.Errorf("state in vcl_pass %q, final %q", hdr(r2, "X-Pass-State"), r2.State)
	}
	if len(r2.Cache) == 0 || r2.Cache[0].Kind != "lookup-hitpass" {
		t.Errorf("cache events %+v", r2.Cache)
	}
	// While the marker lives nothing is cached for the key.
	r3 := do(e, "GET", "/hfp")
	r4 := do(e, "GET", "/hfp")
	if r3.State != "PASS" || r4.State != "PASS" || o.calls() != 4 {
		t.Errorf("states %s %s, %d calls", r3.State, r4.State, o.calls())
	}
	e.Clock().Advance(121 * time.Second)
	do(e, "GET", "/hfp")
	if r := do(e, "GET", "/hfp"); r.State != "HIT" {
		t.Errorf("after the marker expired: %s", r.State)
	}
}

// TestCacheability: beresp.ttl is preset from the response headers,
// beresp.cacheable from the status, and VCL overrides both.
func TestCacheability(t *testing.T) {
	tests := []struct {
		name   string
		vcl    string
		status int
		kv     []string
		ttl    string
		cached bool
	}{
		{name: "max-age", status: 200, kv: []string{"Cache-Control", "max-age=300"}, ttl: "300.000", cached: true},
		{name: "surrogate-control wins", status: 200, kv: []string{"Cache-Control", "max-age=300", "Surrogate-Control", "max-age=60"}, ttl: "60.000", cached: true},
		{name: "default two minutes", status: 200, ttl: "120.000", cached: true},
		{name: "500 is not cacheable", status: 500, kv: []string{"Cache-Control", "max-age=300"}, ttl: "300.000"},
		{name: "404 is cacheable", status: 404, ttl: "120.000", cached: true},
		{name: "beresp.cacheable overrides", vcl: `set beresp.cacheable = true;`, status: 500, ttl: "120.000", cached: true},
		{name: "beresp.ttl overrides", vcl: `set beresp.ttl = 5s;`, status: 200, kv: []string{"Cache-Control", "max-age=300"}, ttl: "120.000", cached: true},
		{name: "zero ttl is not stored", vcl: `set beresp.ttl = 0s;`, status: 200, ttl: "120.000"},
		{name: "private is not honoured", status: 200, kv: []string{"Cache-Control", "private, max-age=30"}, ttl: "30.000", cached: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vcl := `sub vcl_fetch { set beresp.http.X-TTL = beresp.ttl; ` + tc.vcl + ` }`
			e := newEngine(t, vcl, engineOpts{origin: fixed(tc.status, "x", tc.kv...)})
			r := do(e, "GET", "/c")
			if tc.name != "beresp.ttl overrides" && hdr(r, "X-TTL") != tc.ttl {
				t.Errorf("beresp.ttl at vcl_fetch start = %q, want %q", hdr(r, "X-TTL"), tc.ttl)
			}
			r = do(e, "GET", "/c")
			if got := r.State == "HIT"; got != tc.cached {
				t.Errorf("second request state %s, cached want %v", r.State, tc.cached)
			}
		})
	}
}

// TestHashAndBackendMacros: #FASTLY recv sets the default backend on every
// pass (so a backend chosen only when req.restarts == 0 is lost after a
// restart), and an empty req.hash falls back to URL + host.
func TestHashAndBackendMacros(t *testing.T) {
	vcl := `
		backend F_default { .host = "default.example.com"; }
		backend F_special { .host = "special.example.com"; }
		sub vcl_recv {
			#FASTLY recv
			if (req.restarts == 0) { set req.backend = F_special; }
		}
		sub vcl_fetch {
			set beresp.http.X-Backend = beresp.backend.name;
			if (req.restarts == 0) { restart; }
		}`
	e := newEngine(t, vcl, engineOpts{origin: fixed(200, "x")})
	r := do(e, "GET", "/")
	if len(r.BackendRequests) != 2 || r.BackendRequests[0].Backend != "F_special" || r.BackendRequests[1].Backend != "F_default" {
		t.Errorf("backend calls %+v", r.BackendRequests)
	}
	if hdr(r, "X-Backend") != "F_default" {
		t.Errorf("X-Backend %q", hdr(r, "X-Backend"))
	}
	if r.Cache[0].Key != "/example.com" {
		t.Errorf("default cache key %q", r.Cache[0].Key)
	}
}

// TestPurge: purges by URL and by surrogate key, hard and soft.
func TestPurge(t *testing.T) {
	tests := []struct {
		name  string
		purge func(e *Engine) int
		state string
		calls int
	}{
		{"no purge", func(*Engine) int { return 0 }, "HIT", 1},
		{"hard purge by URL", func(e *Engine) int { return e.Purge("http://example.com/p", false) }, "MISS", 2},
		{"soft purge by URL", func(e *Engine) int { return e.Purge("/p", true) }, "MISS", 2},
		{"purge by surrogate key", func(e *Engine) int { return e.PurgeSurrogateKey("tag-b", false) }, "MISS", 2},
		{"other surrogate key", func(e *Engine) int { return e.PurgeSurrogateKey("tag-z", false) }, "HIT", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := fixed(200, "x", "Cache-Control", "max-age=300, stale-if-error=60", "Surrogate-Key", "tag-a tag-b")
			e := newEngine(t, "", engineOpts{origin: o})
			do(e, "GET", "/p")
			tc.purge(e)
			r := do(e, "GET", "/p")
			if r.State != tc.state || o.calls() != tc.calls {
				t.Errorf("state %s with %d calls, want %s and %d", r.State, o.calls(), tc.state, tc.calls)
			}
		})
	}
}

// TestVary: Vary on the response keeps one variant per request header
// value.
func TestVary(t *testing.T) {
	o := &mockOrigin{reply: func(_ int, req *BackendRequest) (*BackendResponse, error) {
		return resp(200, "lang="+req.Header.Get("Accept-Language"), "Vary", "Accept-Language", "Cache-Control", "max-age=60"), nil
	}}
	e := newEngine(t, "", engineOpts{origin: o})
	tests := []struct{ lang, state, body string }{
		{"en", "MISS", "lang=en"},
		{"fr", "MISS", "lang=fr"},
		{"en", "HIT", "lang=en"},
		{"fr", "HIT", "lang=fr"},
		{"de", "MISS", "lang=de"},
	}
	for _, tc := range tests {
		r := do(e, "GET", "/v", "Accept-Language", tc.lang)
		if r.State != tc.state || string(r.Response.Body) != tc.body {
			t.Errorf("%s: got %s %q, want %s %q", tc.lang, r.State, r.Response.Body, tc.state, tc.body)
		}
	}
}
