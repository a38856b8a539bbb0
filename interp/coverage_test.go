package interp

import (
	"strings"
	"testing"
	"time"
)

// TestVariableCoverage reads every fastly_info.*, obj.*, beresp.* and
// stale.* variable of Fastly's reference where it can be read, and checks
// the value the simulator gives (issue 13, item 9). Values that depend on
// the response come from the origin's headers: max-age=100,
// stale-while-revalidate=10, stale-if-error=20; the hit is 5 s later.
//
// Sources: the variable pages under
// https://www.fastly.com/documentation/reference/vcl/variables/ (backend-response,
// cache-object, miscellaneous, esi), e.g. beresp.ttl "the parsed max-age",
// obj.ttl "remaining", obj.age, obj.hits, fastly_info.state.
func TestVariableCoverage(t *testing.T) {
	fetch := map[string]string{
		"beresp.backend.alternate_ips":         "",
		"beresp.backend.host":                  "origin.example.com",
		"beresp.backend.ip":                    "192.0.2.10",
		"beresp.backend.name":                  "F_origin",
		"beresp.backend.port":                  "443",
		"beresp.backend.requests":              "1",
		"beresp.backend.src_ip":                "192.0.2.100",
		"beresp.backend.src_port":              "40001",
		"beresp.brotli":                        "0",
		"beresp.cacheable":                     "1",
		"beresp.do_esi":                        "0",
		"beresp.do_stream":                     "0",
		"beresp.grace":                         "0.000",
		"beresp.gzip":                          "0",
		"beresp.handshake_time_to_origin_ms":   "0",
		"beresp.headers":                       "Cache-Control: max-age=100, stale-while-revalidate=10, stale-if-error=20\r\nX-Origin: yes\r\n",
		"beresp.hipaa":                         "0",
		"beresp.http.X-Origin":                 "yes",
		"beresp.pci":                           "0",
		"beresp.proto":                         "HTTP/1.1",
		"beresp.response":                      "OK",
		"beresp.stale_if_error":                "20.000",
		"beresp.stale_while_revalidate":        "10.000",
		"beresp.status":                        "200",
		"beresp.ttl":                           "100.000",
		"beresp.used_alternate_path_to_origin": "0",
		"fastly_info.is_cluster_shield":        "0",
	}
	hit := map[string]string{
		"obj.age":                    "5.000",
		"obj.cacheable":              "1",
		"obj.entered":                "5.000",
		"obj.grace":                  "20.000",
		"obj.headers":                "Cache-Control: max-age=100, stale-while-revalidate=10, stale-if-error=20\r\nX-Origin: yes\r\n",
		"obj.hits":                   "1",
		"obj.http.X-Origin":          "yes",
		"obj.is_pci":                 "0",
		"obj.lastuse":                "5.000",
		"obj.proto":                  "HTTP/1.1",
		"obj.response":               "OK",
		"obj.stale_if_error":         "20.000",
		"obj.stale_while_revalidate": "10.000",
		"obj.status":                 "200",
		"obj.ttl":                    "95.000",
	}
	deliver := map[string]string{
		"fastly_info.edge.is_tls":     "0",
		"fastly_info.h2.fingerprint":  "",
		"fastly_info.h2.is_push":      "0",
		"fastly_info.h2.stream_id":    "0",
		"fastly_info.host_header":     "example.com",
		"fastly_info.is_cluster_edge": "0",
		"fastly_info.is_h2":           "0",
		"fastly_info.is_h3":           "0",
		"fastly_info.oh_fingerprint":  "",
		"fastly_info.request_id":      "0000000000000002",
		"fastly_info.state":           "HIT",
		"fastly_info.version":         "vclide-simulator",
		"stale.exists":                "0",
	}
	logs := func(m map[string]string) string {
		var b strings.Builder
		for n := range m {
			b.WriteString(`  log "` + n + `=" ` + n + ";\n")
		}
		return b.String()
	}
	vcl := "sub vcl_fetch {\n" + logs(fetch) + "  set beresp.saintmode = 5s;\n}\nsub vcl_hit {\n" + logs(hit) +
		"}\nsub vcl_deliver {\n" + logs(deliver) + "}\n"
	e := newEngine(t, vcl, engineOpts{origin: fixed(200, "ok", "Cache-Control", "max-age=100, stale-while-revalidate=10, stale-if-error=20", "X-Origin", "yes")})
	r := do(e, "GET", "/v")
	e.Clock().Advance(5 * time.Second)
	r2 := do(e, "GET", "/v")
	if r.Err != nil || r2.Err != nil {
		t.Fatalf("errors: %v, %v", r.Err, r2.Err)
	}
	got := map[string]string{}
	for _, l := range append(r.Logs, r2.Logs...) {
		k, v, _ := strings.Cut(l, "=")
		got[k] = v
	}
	for _, want := range []map[string]string{fetch, hit, deliver} {
		for k, v := range want {
			if g, ok := got[k]; !ok || g != v {
				t.Errorf("%s = %q, want %q", k, g, v)
			}
		}
	}
}

// TestEveryReturn takes every return of every subroutine in Fastly's
// request lifecycle table and checks where the request goes next.
//
// Source: https://www.fastly.com/documentation/reference/vcl/request-lifecycle
// (default and alternative return states per subroutine).
func TestEveryReturn(t *testing.T) {
	stale := "max-age=10, stale-if-error=600"
	tests := []struct {
		sub, ret string
		vcl      string
		warm     bool // a cached, then expired, object first (for stale)
		route    string
		state    string
		status   int
	}{
		{sub: "recv", ret: "lookup", route: "recv hash miss fetch deliver log", state: "MISS", status: 200},
		{sub: "recv", ret: "pass", route: "recv hash pass fetch deliver log", state: "PASS", status: 200},
		{sub: "recv", ret: "error", route: "recv hash error deliver log", state: "ERROR", status: 503},
		{sub: "recv", ret: "restart", vcl: `if (req.restarts == 0) { return(restart); }`, route: "recv recv hash miss fetch deliver log", state: "MISS", status: 200},
		{sub: "recv", ret: "upgrade", route: "recv hash pass fetch deliver log", state: "PASS", status: 200},
		{sub: "hash", ret: "hash", route: "recv hash miss fetch deliver log", state: "MISS", status: 200},
		{sub: "hit", ret: "deliver", warm: true, route: "recv hash hit deliver log", state: "HIT", status: 200},
		{sub: "hit", ret: "pass", warm: true, route: "recv hash hit pass fetch deliver log", state: "PASS", status: 200},
		{sub: "hit", ret: "error", warm: true, route: "recv hash hit error deliver log", state: "ERROR", status: 503},
		{sub: "hit", ret: "restart", warm: true, vcl: `if (req.restarts == 0) { return(restart); }`, route: "recv hash hit recv hash hit deliver log", state: "HIT", status: 200},
		{sub: "miss", ret: "fetch", route: "recv hash miss fetch deliver log", state: "MISS", status: 200},
		{sub: "miss", ret: "deliver_stale", warm: true, route: "recv hash miss deliver log", state: "HIT-STALE", status: 200},
		{sub: "miss", ret: "pass", route: "recv hash miss pass fetch deliver log", state: "PASS", status: 200},
		{sub: "miss", ret: "error", route: "recv hash miss error deliver log", state: "ERROR", status: 503},
		{sub: "pass", ret: "pass", vcl: `return(pass);`, route: "recv hash pass fetch deliver log", state: "PASS", status: 200},
		{sub: "pass", ret: "error", route: "recv hash pass error deliver log", state: "ERROR", status: 503},
		{sub: "fetch", ret: "deliver", route: "recv hash miss fetch deliver log", state: "MISS", status: 200},
		{sub: "fetch", ret: "deliver_stale", warm: true, route: "recv hash miss fetch deliver log", state: "HIT-STALE", status: 200},
		{sub: "fetch", ret: "pass", route: "recv hash miss fetch deliver log", state: "MISS", status: 200},
		{sub: "fetch", ret: "error", route: "recv hash miss fetch error deliver log", state: "ERROR", status: 503},
		{sub: "fetch", ret: "restart", vcl: `if (req.restarts == 0) { return(restart); }`, route: "recv hash miss fetch recv hash miss fetch deliver log", state: "MISS", status: 200},
		{sub: "error", ret: "deliver", vcl: `return(deliver);`, route: "recv hash error deliver log", state: "ERROR", status: 503},
		{sub: "error", ret: "restart", vcl: `if (req.restarts == 0) { return(restart); }`, route: "recv hash error recv hash error deliver log", state: "ERROR", status: 503},
		{sub: "error", ret: "deliver_stale", warm: true, vcl: `return(deliver_stale);`, route: "recv hash miss error deliver log", state: "HIT-STALE", status: 200},
		{sub: "deliver", ret: "deliver", route: "recv hash miss fetch deliver log", state: "MISS", status: 200},
		{sub: "deliver", ret: "restart", vcl: `if (req.restarts == 0) { return(restart); }`, route: "recv hash miss fetch deliver recv hash hit deliver log", state: "HIT", status: 200},
		{sub: "log", ret: "deliver", route: "recv hash miss fetch deliver log", state: "MISS", status: 200},
	}
	for _, tc := range tests {
		t.Run(tc.sub+" "+tc.ret, func(t *testing.T) {
			body := tc.vcl
			if body == "" {
				body = "return(" + tc.ret + ");"
			}
			src := "sub vcl_" + tc.sub + " {\n  " + body + "\n}\n"
			switch tc.sub {
			case "error":
				// Reach vcl_error from vcl_recv (or, for stale, vcl_miss).
				if tc.warm {
					src += "sub vcl_miss { error 503; }\n"
				} else {
					src += "sub vcl_recv { error 503; }\n"
				}
			case "pass":
				src += "sub vcl_recv { return(pass); }\n"
			}
			o := sequence(resp(200, "first", "Cache-Control", stale), resp(200, "next", "Cache-Control", "max-age=60"))
			if tc.ret == "deliver_stale" && tc.sub == "fetch" {
				o = sequence(resp(200, "first", "Cache-Control", stale), resp(503, "down"))
			}
			e := newEngine(t, src, engineOpts{origin: o})
			if tc.warm {
				// Store an object without running the subroutine under
				// test on it: the warm-up request bypasses its return.
				pre := do(newEngineSharingPOP(t, e, o), "GET", "/r")
				if pre.Err != nil {
					t.Fatal(pre.Err)
				}
				if tc.sub != "hit" {
					e.Clock().Advance(time.Minute)
				}
			}
			r := do(e, "GET", "/r")
			if route(r) != tc.route || r.State != tc.state || r.Response.Status != tc.status {
				t.Errorf("route %q state %s status %d, want %q %s %d (err %v)", route(r), r.State, r.Response.Status, tc.route, tc.state, tc.status, r.Err)
			}
		})
	}
}

// newEngineSharingPOP returns an engine running Fastly's default VCL on
// e's POP and clock, to put objects in e's cache.
func newEngineSharingPOP(t *testing.T, e *Engine, o Origin) *Engine {
	t.Helper()
	w := newEngine(t, "", engineOpts{origin: o})
	w.pop, w.clock = e.pop, e.clock
	return w
}

// TestUnsimulatedReturns: the returns Fastly documents but the simulator
// does not model (README, "What the simulator does not model") end the
// request with an error that says so, never one claiming Fastly lacks them.
//
// Sources: https://www.fastly.com/documentation/reference/vcl/subroutines/recv
// (return(pipe), return(challenge)) and
// https://www.fastly.com/documentation/reference/vcl/subroutines/fetch.
func TestUnsimulatedReturns(t *testing.T) {
	for _, tc := range []struct{ sub, ret string }{
		{"recv", "pipe"}, {"recv", "challenge"}, {"fetch", "hit_for_pass"},
	} {
		t.Run(tc.sub+" "+tc.ret, func(t *testing.T) {
			vcl := "sub vcl_" + tc.sub + " {\n#FASTLY " + tc.sub + "\n  return(" + tc.ret + ");\n}"
			e := newEngine(t, vcl, engineOpts{origin: fixed(200, "ok")})
			r := do(e, "GET", "/u")
			want := "return(" + tc.ret + "): not simulated by vclide"
			if r.Err == nil || !strings.Contains(r.Err.Error(), want) {
				t.Errorf("err %v, want one containing %q", r.Err, want)
			}
		})
	}
}
