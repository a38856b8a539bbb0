package interp

import (
	"strconv"
	"strings"

	"github.com/vclide/vclide/cache"
	"github.com/vclide/vclide/interp/value"
)

// macro runs the code Fastly generates in place of `#FASTLY <name>`, and
// for a vcl_* subroutine the program does not define. The simulator
// expands each macro to a minimal equivalent of what Fastly documents:
//
//   - recv: `set req.backend = <default backend>;` — the default backend
//     is the first backend declared (Fastly picks the oldest backend
//     without a condition; seed 002, "Custom VCL"), else the first
//     service backend, else the implicit F_default (see service.go). This runs on every
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
//   - hit: saves obj.ttl and obj.grace for Fastly-Debug-TTL, as Fastly's
//     generated vcl_hit saves them in req.http.Fastly-Tmp-Obj-TTL and
//     -Grace ("we cannot reach obj.ttl and obj.grace in deliver"). The
//     simulator keeps them in hidden req fields, so that like Fastly's
//     headers they are lost when a clustered hit returns to the delivery
//     node (Fastly-Debug-TTL then shows "- -"); miss clears them.
//   - deliver, with Fastly-Debug (any value) or Fastly-FF on the request:
//     Fastly-Debug-Path "(D delivery-node now) (F fetch-node fetch-time)",
//     Fastly-Debug-TTL "(H|M node ttl grace age)" and Fastly-Debug-Digest
//     (the SHA-256 of req.digest); without it the three are removed.
//     Fastly's generated vcl_fetch records "(F node time)" in a
//     Fastly-Debug-Path header on the object; the simulator keeps it on
//     the cached object instead, so that VCL without #FASTLY deliver does
//     not show an extra header. Sources: the Fastly-Debug, Fastly-Debug-Path,
//     Fastly-Debug-TTL and Fastly-Debug-Digest references
//     (https://www.fastly.com/documentation/reference/http/http-headers/Fastly-Debug).
//   - pass, fetch, error, log: nothing. Fastly's generated
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
	case "hit":
		if x.obj != nil {
			x.req.dbgObjTTL, x.req.dbgObjGrace, x.req.dbgObjSet = x.obj.ttl, x.obj.grace, true
		}
	case "miss":
		x.req.dbgObjSet = false
	case "deliver":
		if x.resp == nil {
			return
		}
		h := x.resp.header
		x.debugHeaders(h)
		appendHeader(h, "X-Served-By", x.node.ID)
		appendHeader(h, "X-Cache", cacheHitWord(x.stateString()))
		hits := 0
		if x.obj != nil {
			hits = x.obj.hits
		}
		appendHeader(h, "X-Cache-Hits", strconv.Itoa(hits))
	}
}

// debugHeaders adds or removes the Fastly-Debug-* response headers (see
// macro).
func (x *execState) debugHeaders(h map[string][]string) {
	// req headers are stored under canonical keys (newReq, headerSet):
	// plain map lookups keep this cheap on every delivery.
	if len(x.req.header["Fastly-Debug"]) == 0 && len(x.req.header["Fastly-Ff"]) == 0 {
		// One pass over the headers: this runs on every delivery.
		for k := range h {
			if len(k) > 13 && strings.EqualFold(k[:13], "Fastly-Debug-") {
				switch rest := strings.ToLower(k[13:]); rest {
				case "path", "ttl", "digest":
					delete(h, k)
				}
			}
		}
		return
	}
	now := strconv.FormatInt(x.now().Unix(), 10)
	path := "(D " + x.node.ID + " " + now + ")"
	fby, fat := x.fetchBy, x.fetchAt
	if fby == "" {
		if o := x.stored; o != nil {
			fby, fat = o.FetchedBy, o.FetchedAt
		} else if o := x.hitObj; o != nil {
			fby, fat = o.FetchedBy, o.FetchedAt
		}
	}
	if fby != "" {
		path += " (F " + fby + " " + strconv.FormatInt(fat.Unix(), 10) + ")"
	}
	prependHeader(h, "Fastly-Debug-Path", path)
	word := "(M "
	if x.obj != nil && x.obj.hits > 0 {
		word = "(H "
	}
	times := " - - "
	if x.req.dbgObjSet {
		times = " " + value.FormatRTime(x.req.dbgObjTTL) + " " + value.FormatRTime(x.req.dbgObjGrace) + " "
	}
	age, ok := headerGet(h, "Age")
	if !ok {
		age = "-"
	}
	prependHeader(h, "Fastly-Debug-Ttl", word+x.node.ID+times+age+")")
	headerSet(h, "Fastly-Debug-Digest", digestOf(digestOf(x.req.hash)))
}

// prependHeader sets key to v, followed by " " and its current value.
func prependHeader(h map[string][]string, key, v string) {
	if cur, ok := headerGet(h, key); ok && cur != "" {
		v += " " + cur
	}
	headerSet(h, key, v)
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
