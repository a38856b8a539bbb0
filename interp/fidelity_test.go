package interp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vclide/vclide/cache"
)

// Each test in this file follows one page of Fastly's documentation, named
// in its comment.

// TestStaleWhileRevalidateBackgroundFetch: a hit inside the
// stale-while-revalidate window serves the stale object (HIT-STALE) and
// starts one background fetch on the node holding it, through vcl_miss and
// vcl_fetch, which refreshes the object for the next request.
//
// Sources: https://www.fastly.com/documentation/reference/vcl/subroutines/hit
// ("will still be considered a hit and will trigger a background fetch to
// repopulate the cache asynchronously"),
// https://www.fastly.com/documentation/guides/concepts/edge-state/cache/stale/
// (step 2a: served immediately, conditional background fetch), and
// https://www.fastly.com/documentation/reference/vcl/variables/client-request/req-is-background-fetch.
func TestStaleWhileRevalidateBackgroundFetch(t *testing.T) {
	const vcl = `
sub vcl_miss {
#FASTLY miss
  set bereq.http.X-Bg = if(req.is_background_fetch, "1", "0");
}
sub vcl_deliver {
#FASTLY deliver
  set resp.http.X-Stale = resp.stale;
  set resp.http.X-Revalidating = resp.stale.is_revalidating;
}`
	first := resp(200, "first", "Cache-Control", "max-age=10, stale-while-revalidate=600", "ETag", `"v1"`)
	tests := []struct {
		name      string
		second    *BackendResponse
		bgRoute   string
		nextBody  string
		nextState string
	}{
		{name: "new object", second: resp(200, "second", "Cache-Control", "max-age=60"),
			bgRoute: "miss fetch", nextBody: "second"},
		{name: "304 refreshes without vcl_fetch", second: resp(304, "", "Cache-Control", "max-age=60"),
			bgRoute: "miss", nextBody: "first"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := sequence(first, tc.second)
			e := clusteredEngine(t, vcl, "/x", engineOpts{origin: o})
			fetchNode := e.POP().FetchNode("/xexample.com")
			do(e, "GET", "/x")
			e.Clock().Advance(time.Minute)

			r := do(e, "GET", "/x")
			if !strings.HasPrefix(r.State, "HIT-STALE") || string(r.Response.Body) != "first" {
				t.Fatalf("stale hit: state %s body %q", r.State, r.Response.Body)
			}
			if route(r) != "recv hash hit deliver log" || hdr(r, "X-Stale") != "1" || hdr(r, "X-Revalidating") != "1" || hdr(r, "X-Cache") != "HIT" {
				t.Errorf("stale hit: route %q headers %v", route(r), r.Response.Header)
			}
			if len(r.Background) != 1 {
				t.Fatalf("background fetches: %d, want 1", len(r.Background))
			}
			bg := r.Background[0]
			if bg.Label() != "background fetch GET /x" || bg.Node != fetchNode.ID {
				t.Errorf("background fetch %q on %s, want on the fetch node %s", bg.Label(), bg.Node, fetchNode.ID)
			}
			var subs []string
			for _, s := range bg.Route {
				subs = append(subs, strings.TrimPrefix(s.Sub, "vcl_"))
				if s.Node != "fetch" || s.NodeID != fetchNode.ID {
					t.Errorf("background step %+v not on the fetch node", s)
				}
			}
			if strings.Join(subs, " ") != tc.bgRoute {
				t.Errorf("background route %q, want %q", strings.Join(subs, " "), tc.bgRoute)
			}
			if o.calls() != 2 || o.reqs[1].Header.Get("If-None-Match") != `"v1"` || o.reqs[1].Header.Get("X-Bg") != "1" {
				t.Errorf("backend calls %d, conditional %q, X-Bg %q", o.calls(), o.reqs[1].Header.Get("If-None-Match"), o.reqs[1].Header.Get("X-Bg"))
			}
			if len(bg.BackendRequests) != 1 || bg.BackendRequests[0].Status != tc.second.Status {
				t.Errorf("background backend requests %+v", bg.BackendRequests)
			}

			next := do(e, "GET", "/x")
			if string(next.Response.Body) != tc.nextBody || !strings.HasPrefix(next.State, "HIT") || strings.HasPrefix(next.State, "HIT-STALE") {
				t.Errorf("next request: state %s body %q, want a fresh hit on %q", next.State, next.Response.Body, tc.nextBody)
			}
			if o.calls() != 2 || len(next.Background) != 0 {
				t.Errorf("next request went to the backend: %d calls", o.calls())
			}
		})
	}
}

// TestStaleWhileRevalidateStartsOneFetch: concurrent stale hits share one
// background fetch (the vcl_hit reference above: the fetch repopulates the
// cache for everyone).
func TestStaleWhileRevalidateStartsOneFetch(t *testing.T) {
	o := sequence(resp(200, "first", "Cache-Control", "max-age=10, stale-while-revalidate=600"), resp(200, "second", "Cache-Control", "max-age=60"))
	e := newEngine(t, "", engineOpts{origin: o})
	do(e, "GET", "/x")
	e.Clock().Advance(time.Minute)
	rs := e.DoConcurrent(context.Background(), []Request{{URL: "/x"}, {URL: "/x"}, {URL: "/x"}})
	bgs := 0
	for _, r := range rs {
		if r.State != "HIT-STALE" || string(r.Response.Body) != "first" {
			t.Errorf("state %s body %q", r.State, r.Response.Body)
		}
		bgs += len(r.Background)
	}
	if bgs != 1 || o.calls() != 2 {
		t.Errorf("%d background fetches, %d backend calls; want 1 and 2", bgs, o.calls())
	}
}

// TestStaleUnusableWithAlwaysMissOrIgnoreBusy: req.hash_always_miss and
// req.hash_ignore_busy make stale objects unusable (no stale.exists, no
// deliver_stale, no stale-while-revalidate), and req.hash_ignore_busy turns
// request collapsing off for the request.
//
// Sources: https://www.fastly.com/documentation/reference/vcl/variables/client-request/req-hash-always-miss
// and https://www.fastly.com/documentation/reference/vcl/variables/client-request/req-hash-ignore-busy
// ("this mode also makes stale objects unusable, thereby disabling the
// effects of the stale-while-revalidate and stale-if-error Cache-Control
// directives"; "forces all requests to behave independently").
func TestStaleUnusableWithAlwaysMissOrIgnoreBusy(t *testing.T) {
	const vcl = `
sub vcl_recv {
  if (req.http.X-Mode == "always") { set req.hash_always_miss = true; }
  if (req.http.X-Mode == "busy") { set req.hash_ignore_busy = true; }
}
sub vcl_miss { set bereq.http.X-Stale-Miss = if(stale.exists, "1", "0"); if (req.http.X-Miss-Stale && stale.exists) { return(deliver_stale); } }
sub vcl_fetch {
  set beresp.http.X-Stale-Fetch = if(stale.exists, "1", "0");
  if (beresp.status >= 500 && stale.exists) { return(deliver_stale); }
}`
	for _, tc := range []struct {
		mode, cc   string
		missStale  bool
		state      string
		status     int
		staleFetch string
	}{
		{mode: "", cc: "max-age=10, stale-if-error=600", state: "HIT-STALE", status: 200},
		{mode: "always", cc: "max-age=10, stale-if-error=600", state: "MISS", status: 503, staleFetch: "0"},
		{mode: "busy", cc: "max-age=10, stale-if-error=600", state: "MISS", status: 503, staleFetch: "0"},
		{mode: "always", cc: "max-age=10, stale-if-error=600", missStale: true, state: "MISS", status: 503, staleFetch: "0"},
		// stale-while-revalidate: served stale normally, a plain miss here.
		{mode: "", cc: "max-age=10, stale-while-revalidate=600", state: "HIT-STALE", status: 200},
		{mode: "busy", cc: "max-age=10, stale-while-revalidate=600", state: "MISS", status: 503, staleFetch: "0"},
		{mode: "always", cc: "max-age=10, stale-while-revalidate=600", state: "MISS", status: 503, staleFetch: "0"},
	} {
		t.Run(tc.mode+" "+tc.cc, func(t *testing.T) {
			o := sequence(resp(200, "first", "Cache-Control", tc.cc), resp(503, "down"))
			e := newEngine(t, vcl, engineOpts{origin: o})
			do(e, "GET", "/s")
			e.Clock().Advance(time.Minute)
			kv := []string{"X-Mode", tc.mode}
			if tc.missStale {
				kv = append(kv, "X-Miss-Stale", "1")
			}
			r := do(e, "GET", "/s", kv...)
			if r.State != tc.state || r.Response.Status != tc.status {
				t.Errorf("state %s status %d, want %s %d", r.State, r.Response.Status, tc.state, tc.status)
			}
			if tc.staleFetch != "" && (hdr(r, "X-Stale-Fetch") != tc.staleFetch || o.reqs[1].Header.Get("X-Stale-Miss") != "0") {
				t.Errorf("stale.exists in vcl_fetch %q, in vcl_miss %q", hdr(r, "X-Stale-Fetch"), o.reqs[1].Header.Get("X-Stale-Miss"))
			}
		})
	}

	t.Run("hash_ignore_busy does not collapse", func(t *testing.T) {
		for _, mode := range []string{"", "busy"} {
			o := fixed(200, "ok", "Cache-Control", "max-age=60")
			e := newEngine(t, vcl, engineOpts{origin: o})
			h := http.Header{"X-Mode": {mode}}
			rs := e.DoConcurrent(context.Background(), []Request{{URL: "/c", Header: h}, {URL: "/c", Header: h}, {URL: "/c", Header: h}})
			waits := 0
			for _, r := range rs {
				if strings.Contains(r.State, "WAIT") {
					waits++
				}
			}
			want, wantWaits := 1, 2
			if mode == "busy" {
				want, wantWaits = 3, 0
			}
			if o.calls() != want || waits != wantWaits {
				t.Errorf("mode %q: %d backend calls, %d waited; want %d and %d", mode, o.calls(), waits, want, wantWaits)
			}
		}
	})
}

// TestExpiredObjectIsRevalidated: an expired object with ETag or
// Last-Modified is revalidated with a conditional request even without a
// stale window; a 304 refreshes it without vcl_fetch. How long the expired
// object is kept is Config.KeepExpired.
//
// Sources: https://www.fastly.com/documentation/reference/http/http-headers/Age
// ("Revalidation": "When a resource has passed its TTL and is therefore
// stale, Fastly will attempt to revalidate it if the resource includes a
// Last-Modified or ETag header"),
// https://docs.fastly.com/en/guides/controlling-caching ("After the TTL
// expires, we may keep the content in storage, but we won't use it to
// answer requests unless we're able to revalidate it"), and
// https://www.fastly.com/documentation/guides/concepts/edge-state/cache/stale/
// (step 2b: "a blocking conditional fetch is made for the object").
func TestExpiredObjectIsRevalidated(t *testing.T) {
	const vcl = `sub vcl_fetch { set beresp.http.X-Fetch = "ran"; }`
	for _, tc := range []struct {
		name      string
		validator []string
		keep      time.Duration
		advance   time.Duration
		cond      string // header expected on the second backend request
		route     string
		body      string
		state     string
	}{
		{name: "etag, 304", validator: []string{"ETag", `"v1"`}, advance: time.Minute,
			cond: "If-None-Match", route: "recv hash miss deliver log", body: "first", state: "MISS-REFRESH"},
		{name: "last-modified, 304", validator: []string{"Last-Modified", "Mon, 01 Jan 2024 00:00:00 GMT"}, advance: time.Minute,
			cond: "If-Modified-Since", route: "recv hash miss deliver log", body: "first", state: "MISS-REFRESH"},
		{name: "no validator", advance: time.Minute, route: "recv hash miss fetch deliver log", body: "", state: "MISS"},
		{name: "kept only KeepExpired", validator: []string{"ETag", `"v1"`}, advance: 2 * time.Hour,
			route: "recv hash miss fetch deliver log", body: "", state: "MISS"},
		{name: "KeepExpired setting", validator: []string{"ETag", `"v1"`}, keep: 3 * time.Hour, advance: 2 * time.Hour,
			cond: "If-None-Match", route: "recv hash miss deliver log", body: "first", state: "MISS-REFRESH"},
		{name: "KeepExpired off", validator: []string{"ETag", `"v1"`}, keep: -1, advance: time.Minute,
			route: "recv hash miss fetch deliver log", body: "", state: "MISS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := sequence(resp(200, "first", append([]string{"Cache-Control", "max-age=10"}, tc.validator...)...), resp(304, "", "Cache-Control", "max-age=30"))
			p := parse(testBackend + vcl)
			e, err := New(Config{Program: p, Nodes: 1, DisableClustering: true, Fallback: o, KeepExpired: tc.keep})
			if err != nil {
				t.Fatal(err)
			}
			do(e, "GET", "/r")
			e.Clock().Advance(tc.advance)
			r := do(e, "GET", "/r")
			for _, h := range []string{"If-None-Match", "If-Modified-Since"} {
				got := o.reqs[1].Header.Get(h) != ""
				if got != (h == tc.cond) {
					t.Errorf("%s sent: %v", h, got)
				}
			}
			if route(r) != tc.route || r.State != tc.state {
				t.Errorf("route %q state %s, want %q %s", route(r), r.State, tc.route, tc.state)
			}
			if tc.body != "" && (string(r.Response.Body) != tc.body || hdr(r, "X-Fetch") != "ran") {
				t.Errorf("refreshed object: body %q, X-Fetch %q", r.Response.Body, hdr(r, "X-Fetch"))
			}
			if tc.body != "" {
				// Refreshed for max-age=30: a hit for the next 30 seconds.
				e.Clock().Advance(10 * time.Second)
				if n := do(e, "GET", "/r"); n.State != "HIT" || o.calls() != 2 {
					t.Errorf("after the refresh: state %s, %d backend calls", n.State, o.calls())
				}
			}
		})
	}
}

// TestHitCountsPerNode: obj.hits and X-Cache-Hits count hits on the node
// that serves them; after a clustered hit vcl_hit (on the fetch node) sees
// that node's count and vcl_deliver sees 1, as does X-Cache-Hits.
//
// Sources: https://www.fastly.com/documentation/reference/vcl/variables/cache-object/obj-hits
// ("Clustering effects", case 1: "In vcl_hit the value of obj.hits
// represents hits on the object on the primary storage node. In
// vcl_deliver the value of obj.hits is 1. The x-cache-hits response header
// value is 1.") and https://www.fastly.com/documentation/reference/http/http-headers/X-Cache-Hits.
func TestHitCountsPerNode(t *testing.T) {
	const vcl = `
sub vcl_hit {
#FASTLY hit
  log "hit " obj.hits;
}
sub vcl_deliver {
#FASTLY deliver
  set resp.http.X-Deliver-Hits = obj.hits;
}`
	t.Run("one node counts up", func(t *testing.T) {
		e := newEngine(t, vcl, engineOpts{origin: fixed(200, "ok", "Cache-Control", "max-age=60")})
		for i, want := range []string{"0", "1", "2", "3"} {
			r := do(e, "GET", "/h")
			if hdr(r, "X-Cache-Hits") != want || hdr(r, "X-Deliver-Hits") != want {
				t.Errorf("request %d: X-Cache-Hits %q obj.hits %q, want %s", i+1, hdr(r, "X-Cache-Hits"), hdr(r, "X-Deliver-Hits"), want)
			}
		}
	})
	t.Run("clustered hit", func(t *testing.T) {
		e := clusteredEngine(t, vcl, "/h", engineOpts{origin: fixed(200, "ok")})
		key := "/hexample.com"
		fetch := e.POP().FetchNode(key)
		now := e.Clock().Now()
		obj := cache.NewObject(key, 200, http.Header{}, []byte("cached"), cache.Freshness{TTL: time.Hour}, now)
		if _, err := fetch.Store.Insert(obj); err != nil {
			t.Fatal(err)
		}
		for range 4 { // four earlier hits on the fetch node
			fetch.Store.Lookup(key, http.Header{}, now)
		}
		r := do(e, "GET", "/h")
		if r.State != "HIT-CLUSTER" || len(r.Logs) != 1 || r.Logs[0] != "hit 5" {
			t.Fatalf("state %s logs %q, want HIT-CLUSTER and vcl_hit seeing 5", r.State, r.Logs)
		}
		if hdr(r, "X-Deliver-Hits") != "1" || hdr(r, "X-Cache-Hits") != "1" {
			t.Errorf("vcl_deliver obj.hits %q, X-Cache-Hits %q; want 1 and 1", hdr(r, "X-Deliver-Hits"), hdr(r, "X-Cache-Hits"))
		}
		delivery := e.POP().Node(r.Route[len(r.Route)-1].NodeID)
		for _, en := range delivery.Store.Entries(e.Clock().Now()) {
			if en.Key == key && en.Hits != 1 {
				t.Errorf("delivery node copy has %d hits, want 1", en.Hits)
			}
		}
	})
}

// TestBerespCacheableOnPass: beresp.cacheable is false in vcl_fetch when the
// fetch comes from a pass: return(pass) in vcl_recv, vcl_hit or vcl_miss,
// or a hit-for-pass marker.
//
// Source: https://docs.fastly.com/en/guides/configuring-caching ("Cache
// freshness and TTLs", "Is response cacheable?": "If the fetch is a result
// of an earlier explicit pass on the request, then no; otherwise if the
// fetch is a result of a hit-for-pass, then no; otherwise if HTTP status is
// 200, ...").
func TestBerespCacheableOnPass(t *testing.T) {
	const vcl = `
sub vcl_recv { if (req.url ~ "^/recv") { return(pass); } }
sub vcl_hit { if (req.url ~ "^/hit") { return(pass); } }
sub vcl_miss { if (req.url ~ "^/miss") { return(pass); } }
sub vcl_fetch {
  set beresp.http.X-Cacheable = if(beresp.cacheable, "1", "0");
  if (req.url ~ "^/hfp") { return(pass); }
}`
	for _, tc := range []struct {
		url   string
		prior bool // one request first
		want  string
		state string
	}{
		{url: "/plain", want: "1", state: "MISS"},
		{url: "/recv", want: "0", state: "PASS"},
		{url: "/miss", want: "0", state: "PASS"},
		{url: "/hfp", want: "1", state: "MISS"},              // the fetch that creates the marker
		{url: "/hfp", prior: true, want: "0", state: "PASS"}, // the marker's pass
		{url: "/hit", prior: true, want: "0", state: "PASS"}, // return(pass) from vcl_hit
	} {
		t.Run(tc.url, func(t *testing.T) {
			e := newEngine(t, vcl, engineOpts{origin: fixed(200, "ok", "Cache-Control", "max-age=60")})
			if tc.prior {
				do(e, "GET", tc.url)
			}
			r := do(e, "GET", tc.url)
			if hdr(r, "X-Cacheable") != tc.want || r.State != tc.state {
				t.Errorf("beresp.cacheable %q state %s, want %q %s", hdr(r, "X-Cacheable"), r.State, tc.want, tc.state)
			}
		})
	}
}

// TestFastlyDebugHeaders: with Fastly-Debug on the request, #FASTLY deliver
// adds Fastly-Debug-Path, Fastly-Debug-TTL and Fastly-Debug-Digest; without
// it they are removed.
//
// Sources: https://www.fastly.com/documentation/reference/http/http-headers/Fastly-Debug,
// https://www.fastly.com/documentation/reference/http/http-headers/Fastly-Debug-Path
// ("(D|F server timestamp)" per server, in processing order),
// https://www.fastly.com/documentation/reference/http/http-headers/Fastly-Debug-TTL
// ("{cacheStatus} {serverIdentity} {remainingTTL} {staleIfErrorTTL} {age}",
// "-" for the times after a clustered hit) and
// https://www.fastly.com/documentation/reference/http/http-headers/Fastly-Debug-Digest.
func TestFastlyDebugHeaders(t *testing.T) {
	const vcl = "sub vcl_deliver {\n#FASTLY deliver\n}"
	digest := func(key string) string {
		d := sha256.Sum256([]byte(key))
		d2 := sha256.Sum256([]byte(hex.EncodeToString(d[:])))
		return hex.EncodeToString(d2[:])
	}
	ts := func(e *Engine) string { return itoa(e.Clock().Now().Unix()) }

	t.Run("one node: miss then hit", func(t *testing.T) {
		e := newEngine(t, vcl, engineOpts{origin: fixed(200, "ok", "Cache-Control", "max-age=600, stale-if-error=3600")})
		start := ts(e)
		r := do(e, "GET", "/d", "Fastly-Debug", "1")
		want := map[string]string{
			"Fastly-Debug-Path":   "(D cache-sim1 " + start + ") (F cache-sim1 " + start + ")",
			"Fastly-Debug-Ttl":    "(M cache-sim1 - - 0)",
			"Fastly-Debug-Digest": digest("/dexample.com"),
		}
		for k, v := range want {
			if hdr(r, k) != v {
				t.Errorf("miss: %s = %q, want %q", k, hdr(r, k), v)
			}
		}
		e.Clock().Advance(10 * time.Second)
		r = do(e, "GET", "/d", "Fastly-Debug", "1")
		if got, w := hdr(r, "Fastly-Debug-Path"), "(D cache-sim1 "+ts(e)+") (F cache-sim1 "+start+")"; got != w {
			t.Errorf("hit: path %q, want %q", got, w)
		}
		if got, w := hdr(r, "Fastly-Debug-Ttl"), "(H cache-sim1 590.000 3600.000 10)"; got != w {
			t.Errorf("hit: ttl %q, want %q", got, w)
		}
		r = do(e, "GET", "/d")
		for k := range want {
			if _, ok := r.Response.Header[k]; ok {
				t.Errorf("without Fastly-Debug: %s present", k)
			}
		}
	})
	t.Run("clustered hit shows - for the times", func(t *testing.T) {
		e := clusteredEngine(t, vcl, "/d", engineOpts{origin: fixed(200, "ok")})
		key := "/dexample.com"
		fetch := e.POP().FetchNode(key)
		obj := cache.NewObject(key, 200, http.Header{}, []byte("cached"), cache.Freshness{TTL: time.Hour}, e.Clock().Now())
		obj.FetchedBy, obj.FetchedAt = fetch.ID, e.Clock().Now()
		if _, err := fetch.Store.Insert(obj); err != nil {
			t.Fatal(err)
		}
		e.Clock().Advance(5 * time.Second)
		r := do(e, "GET", "/d", "Fastly-Debug", "1")
		d := r.Route[len(r.Route)-1].NodeID
		if got, w := hdr(r, "Fastly-Debug-Ttl"), "(H "+d+" - - 5)"; got != w {
			t.Errorf("ttl %q, want %q", got, w)
		}
		if got := hdr(r, "Fastly-Debug-Path"); !strings.HasPrefix(got, "(D "+d+" ") || !strings.HasSuffix(got, "(F "+fetch.ID+" "+itoa(obj.FetchedAt.Unix())+")") {
			t.Errorf("path %q", got)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
