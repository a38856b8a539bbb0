package interp

import (
	"testing"
	"time"
)

// TestStaleAndLookupVariants covers deliver_stale from vcl_miss,
// HEAD on a miss, hash_always_miss and the
// response headers of #FASTLY deliver.
func TestStaleAndLookupVariants(t *testing.T) {
	tests := []struct {
		name    string
		vcl     string
		first   string // response headers of the origin's first answer
		advance time.Duration
		method  string
		state   string
		route   string
		calls   int
		check   func(t *testing.T, r *Result, o *mockOrigin)
	}{
		{name: "deliver_stale from vcl_miss", first: "max-age=10, stale-if-error=600", advance: time.Minute,
			vcl:   `sub vcl_miss { if (stale.exists) { return(deliver_stale); } }`,
			state: "HIT-STALE", route: "recv hash miss deliver log", calls: 1},
		{name: "expired without stale windows is a miss", first: "max-age=10", advance: time.Minute,
			state: "MISS", route: "recv hash miss fetch deliver log", calls: 2},
		{name: "HEAD fetches with GET on a miss", first: "max-age=10", method: "HEAD",
			vcl:   `sub vcl_recv { set req.hash_always_miss = true; }`,
			state: "MISS", route: "recv hash miss fetch deliver log", calls: 2,
			check: func(t *testing.T, r *Result, o *mockOrigin) {
				if o.reqs[1].Method != "GET" || len(r.Response.Body) != 0 {
					t.Errorf("backend method %s, body %q", o.reqs[1].Method, r.Response.Body)
				}
			}},
		{name: "hash_always_miss refetches", first: "max-age=600",
			vcl:   `sub vcl_recv { set req.hash_always_miss = true; }`,
			state: "MISS", route: "recv hash miss fetch deliver log", calls: 2},
		{name: "#FASTLY deliver adds X-Cache headers", first: "max-age=600",
			vcl:   "sub vcl_deliver {\n#FASTLY deliver\n}",
			state: "HIT", route: "recv hash hit deliver log", calls: 1,
			check: func(t *testing.T, r *Result, _ *mockOrigin) {
				if hdr(r, "X-Cache") != "HIT" || hdr(r, "X-Cache-Hits") != "1" || hdr(r, "X-Served-By") != "cache-sim1" {
					t.Errorf("headers %v", r.Response.Header)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := sequence(resp(200, "first", "Cache-Control", tc.first, "ETag", `"e"`), resp(200, "second", "Cache-Control", "max-age=60"))
			e := newEngine(t, tc.vcl, engineOpts{origin: o})
			do(e, "GET", "/s")
			e.Clock().Advance(tc.advance)
			m := tc.method
			if m == "" {
				m = "GET"
			}
			r := do(e, m, "/s")
			if r.State != tc.state || route(r) != tc.route || o.calls() != tc.calls {
				t.Errorf("state %s route %q calls %d, want %s %q %d", r.State, route(r), o.calls(), tc.state, tc.route, tc.calls)
			}
			if tc.check != nil {
				tc.check(t, r, o)
			}
		})
	}
}
