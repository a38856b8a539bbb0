package interp

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vclide/vclide/cache"
)

// reqObj is the client request as VCL sees it (req.*). With clustering on,
// the delivery node keeps a copy taken at the hand-off; the fetch node works
// on its own copy, whose changes are discarded on the way back.
type reqObj struct {
	method  string
	url     string
	proto   string
	header  http.Header
	body    []byte
	backend string // req.backend: a backend or director name
	hash    string // req.hash, built in vcl_hash

	hashAlwaysMiss bool
	hashIgnoreBusy bool
	esi            bool
	rangeOnPass    bool
	segmented      bool

	grace           time.Duration
	maxStaleIfError time.Duration
	maxStaleReval   time.Duration // req.max_stale_while_revalidate
	identity        string        // client.identity (set by VCL)
	identitySet     bool

	isBgFetch bool   // req.is_background_fetch
	esiLevel  int    // req.esi_level: 0 for a client request
	topurl    string // req.topurl of an ESI subrequest: the parent's req.url
	// What Fastly's generated vcl_hit saves for Fastly-Debug-TTL (obj.ttl
	// and obj.grace), kept in req so that, as in Fastly, they are lost
	// when a clustered hit returns to the delivery node.
	dbgObjTTL, dbgObjGrace time.Duration
	dbgObjSet              bool
}

// clone deep-copies the request (headers and body slices included).
func (r *reqObj) clone() *reqObj {
	c := *r
	c.header = r.header.Clone()
	if c.header == nil {
		c.header = http.Header{}
	}
	return &c
}

// diff lists the req variables that differ between r (the fetch node's
// copy) and base (the delivery node's copy), by VCL name, sorted.
func (r *reqObj) diff(base *reqObj) []string {
	var out []string
	add := func(cond bool, name string) {
		if cond {
			out = append(out, name)
		}
	}
	add(r.method != base.method, "req.method")
	add(r.url != base.url, "req.url")
	add(r.backend != base.backend, "req.backend")
	add(r.hashAlwaysMiss != base.hashAlwaysMiss, "req.hash_always_miss")
	add(r.hashIgnoreBusy != base.hashIgnoreBusy, "req.hash_ignore_busy")
	add(r.esi != base.esi, "req.esi")
	add(r.grace != base.grace, "req.grace")
	add(r.maxStaleIfError != base.maxStaleIfError, "req.max_stale_if_error")
	add(r.maxStaleReval != base.maxStaleReval, "req.max_stale_while_revalidate")
	add(r.identity != base.identity || r.identitySet != base.identitySet, "client.identity")
	// dbgObjTTL/dbgObjGrace stand for Fastly's Fastly-Tmp-Obj-* request
	// headers, which #FASTLY hit sets on every hit: reporting them would
	// add noise to every clustered hit.
	names := map[string]bool{}
	for k := range r.header {
		names[k] = true
	}
	for k := range base.header {
		names[k] = true
	}
	var hs []string
	for k := range names {
		if !slices.Equal(r.header[k], base.header[k]) {
			hs = append(hs, "req.http."+k)
		}
	}
	sort.Strings(hs)
	return append(out, hs...)
}

// bereqObj is the backend request (bereq.*), built from req when vcl_miss or
// vcl_pass starts.
type bereqObj struct {
	method  string
	url     string
	proto   string
	header  http.Header
	body    []byte
	backend string

	connectTimeout      time.Duration
	firstByteTimeout    time.Duration
	betweenBytesTimeout time.Duration
	maxReuseIdle        time.Duration
	fetchTimeout        time.Duration
}

// respObj is one HTTP response object: beresp in vcl_fetch, obj in vcl_hit
// and vcl_error, resp in vcl_deliver and vcl_log.
type respObj struct {
	status   int
	response string
	proto    string
	header   http.Header
	body     []byte

	// cache controls (beresp.*, obj.*)
	ttl       time.Duration
	grace     time.Duration
	swr       time.Duration
	sie       time.Duration
	age       time.Duration
	cacheable bool
	doESI     bool
	doStream  bool
	gzip      bool
	brotli    bool
	hipaa     bool
	pci       bool
	saintmode time.Duration

	// obj.* facts about a cached object
	hits     int
	entered  time.Time
	lastuse  time.Duration
	backend  string // the backend that produced the response
	ttlSet   bool   // VCL assigned beresp.ttl in vcl_fetch
	synth    bool   // produced by vcl_error
	stale    bool   // served stale (resp.stale)
	staleErr bool   // resp.stale.is_error
	staleRev bool   // resp.stale.is_revalidating
}

// clone copies the object with its own header map.
func (o *respObj) clone() *respObj {
	c := *o
	c.header = o.header.Clone()
	if c.header == nil {
		c.header = http.Header{}
	}
	return &c
}

// objFromCache turns a stored object into obj as vcl_hit (or vcl_deliver)
// sees it.
func objFromCache(o *cache.Object, now time.Time) *respObj {
	return &respObj{
		status:    o.Status,
		response:  objReason(o),
		proto:     "HTTP/1.1",
		header:    o.Header.Clone(),
		body:      o.Body,
		ttl:       o.TTLRemaining(now),
		swr:       o.StaleWhileRevalidate,
		sie:       o.StaleIfError,
		grace:     o.StaleIfError,
		age:       o.Age(now),
		cacheable: true,
		hits:      o.Hits,
		doESI:     o.ESI,
		entered:   o.StoredAt,
		lastuse:   now.Sub(o.StoredAt),
	}
}

// statusText is the reason phrase Fastly uses for a status: the RFC text,
// or "Unknown Error" for codes HTTP does not define (the error statement
// reference).
// objReason is the reason phrase of a cached object: the one stored with
// it, else the standard one for its status.
func objReason(o *cache.Object) string {
	if o.Reason != "" {
		return o.Reason
	}
	return statusText(o.Status)
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "Unknown Error"
}

// ---------------------------------------------------------------------------
// Headers

// headerGet returns the first value of a header (canonical key), and
// whether it is present.
func headerGet(h http.Header, key string) (string, bool) {
	v, ok := h[key]
	if !ok || len(v) == 0 {
		if ok {
			return "", false
		}
		// Fall back to a case-insensitive scan for keys added by builtins
		// or origins in non-canonical form.
		for k, vs := range h {
			if len(vs) > 0 && strings.EqualFold(k, key) {
				return vs[0], true
			}
		}
		return "", false
	}
	return v[0], true
}

// headerDel removes every spelling of key.
func headerDel(h http.Header, key string) {
	delete(h, key)
	for k := range h {
		if strings.EqualFold(k, key) {
			delete(h, k)
		}
	}
}

// headerSet replaces all values of key with v.
func headerSet(h http.Header, key, v string) {
	if _, ok := h[key]; !ok {
		headerDel(h, key)
	}
	h[key] = []string{v}
}

// subfieldSep is the separator of key=value subfields: ";" for cookies,
// "," otherwise (Fastly's "Isolating header values without regular
// expressions" guide and the subfield function reference).
func subfieldSep(key string) byte {
	if key == "Cookie" {
		return ';'
	}
	return ','
}

// subfieldGet finds field name (case-insensitively) in a header value of
// key=value pairs. A field without "=" is present with an empty value.
func subfieldGet(hv, name string, sep byte) (string, bool) {
	for len(hv) > 0 {
		var f string
		if i := strings.IndexByte(hv, sep); i >= 0 {
			f, hv = hv[:i], hv[i+1:]
		} else {
			f, hv = hv, ""
		}
		k, v, has := strings.Cut(strings.TrimSpace(f), "=")
		if strings.EqualFold(strings.TrimSpace(k), name) {
			if !has {
				return "", true
			}
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}

// subfieldSet returns the header value with field name set to v (replacing
// an existing field, or appended), or removed when remove is true.
func subfieldSet(hv, name, v string, sep byte, remove bool) string {
	var parts []string
	found := false
	if hv != "" {
		for _, f := range strings.Split(hv, string(sep)) {
			t := strings.TrimSpace(f)
			if t == "" {
				continue
			}
			k, _, _ := strings.Cut(t, "=")
			if strings.EqualFold(strings.TrimSpace(k), name) {
				if remove || found {
					continue
				}
				found = true
				t = name + "=" + v
			}
			parts = append(parts, t)
		}
	}
	if !found && !remove {
		parts = append(parts, name+"="+v)
	}
	glue := string(sep) + " "
	return strings.Join(parts, glue)
}

// ---------------------------------------------------------------------------
// URL parts

// urlPath is the URL without its query string.
func urlPath(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i]
	}
	return u
}

// urlQS is the query string without "?" (empty when there is none).
func urlQS(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[i+1:]
	}
	return ""
}

// urlBasename is the last path segment.
func urlBasename(u string) string {
	p := urlPath(u)
	return p[strings.LastIndexByte(p, '/')+1:]
}

// urlDirname is the path without its last segment ("/" at least).
func urlDirname(u string) string {
	p := urlPath(u)
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "/"
	}
	return p[:i]
}

// urlExt is the extension of the last path segment, without the dot.
func urlExt(u string) string {
	b := urlBasename(u)
	if i := strings.LastIndexByte(b, '.'); i >= 0 {
		return b[i+1:]
	}
	return ""
}
