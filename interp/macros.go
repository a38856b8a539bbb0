package interp

import (
	"strconv"
	"strings"

	"github.com/vclide/vclide/cache"
)

// macro runs the code Fastly generates in place of `#FASTLY <name>`, and
// for a vcl_* subroutine the program does not define. The simulator
// expands each macro to a minimal equivalent of what Fastly documents:
//
//   - recv: `set req.backend = <default backend>;` — the default backend
//     is the first backend declared (Fastly picks the oldest backend
//     without a condition; seed 002, "Custom VCL"). This runs on every
//     pass through vcl_recv, restarts included, so a backend chosen only
//     when req.restarts == 0 is replaced after a restart, as practitioners
//     report.
//   - hash: nothing here. When vcl_hash ends with req.hash still empty,
//     the engine uses Fastly's default key, req.url followed by
//     req.http.host (vcl_hash reference: "By default we include req.url
//     and req.http.host in the hash"). Fastly's boilerplate adds both
//     explicitly, so they are not added twice.
//   - deliver: the response headers Fastly adds by default (X-Served-By,
//     X-Cache, X-Cache-Hits references): X-Served-By gets
//     server.identity, X-Cache gets HIT when fastly_info.state is HIT or
//     starts with "HIT-" and MISS otherwise, X-Cache-Hits gets obj.hits;
//     each is appended after ", " when the header already exists.
//   - hit, miss, pass, fetch, error, log: nothing. Fastly's generated
//     fetch code records debugging headers only; the one-hour fallback
//     TTL belongs to the boilerplate that follows `#FASTLY fetch`, and
//     beresp.ttl is 2 minutes at the start of vcl_fetch when the response
//     names no lifetime (vcl_fetch reference).
func (x *execState) macro(name string) {
	switch name {
	case "recv":
		if x.e.defaultBackend != "" {
			x.req.backend = x.e.defaultBackend
		}
	case "deliver":
		if x.resp == nil {
			return
		}
		h := x.resp.header
		appendHeader(h, "X-Served-By", x.node.ID)
		appendHeader(h, "X-Cache", cacheHitWord(x.stateString()))
		hits := 0
		if x.obj != nil {
			hits = x.obj.hits
		}
		appendHeader(h, "X-Cache-Hits", strconv.Itoa(hits))
	}
}

// cacheHitWord is X-Cache's summary of fastly_info.state.
func cacheHitWord(state string) string {
	if state == cache.StateHit || strings.HasPrefix(state, "HIT-") {
		return "HIT"
	}
	return "MISS"
}

// appendHeader sets key to v, or appends ", v" to its current value.
func appendHeader(h map[string][]string, key, v string) {
	if cur, ok := headerGet(h, key); ok && cur != "" {
		headerSet(h, key, cur+", "+v)
		return
	}
	headerSet(h, key, v)
}
