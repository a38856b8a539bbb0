package interp

import (
	"hash/fnv"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/cache"
	"github.com/vclide/vclide/interp/value"
)

// director is a declared director: a policy over member backends.
type director struct {
	name    string
	kind    string // random, hash, client, chash, fallback, shield, …
	members []member
	total   int
	byKey   string // chash: "object" (default) or "client"
}

type member struct {
	backend string
	weight  int
}

func compileDirector(name string, d *syntax.DirectorDecl) *director {
	dr := &director{name: name, byKey: "object"}
	if d.Kind != nil {
		dr.kind = d.Kind.Name
	}
	for _, p := range d.Props {
		if p.Name != nil && p.Name.Name == "key" && p.Value != nil {
			if id, ok := p.Value.(*syntax.Ident); ok {
				dr.byKey = id.Name
			}
		}
	}
	for _, m := range d.Members {
		mb := member{weight: 1}
		for _, p := range m.Props {
			if p.Name == nil || p.Value == nil {
				continue
			}
			switch p.Name.Name {
			case "backend":
				if id, ok := p.Value.(*syntax.Ident); ok {
					mb.backend = id.Name
				} else if v, err := constValue(p.Value, 0); err == nil {
					mb.backend = v.String()
				}
			case "weight":
				if v, err := constValue(p.Value, 0); err == nil {
					if n, err := value.ToInteger(v); err == nil && n > 0 {
						mb.weight = int(n)
					}
				}
			}
		}
		if mb.backend != "" {
			dr.members = append(dr.members, mb)
			dr.total += mb.weight
		}
	}
	return dr
}

// pick chooses a member backend for the request, deterministically: random
// directors use the request's seeded random source; hash and chash the
// cache key (or the client identity); client the client identity; fallback
// and shield the first member (every backend is healthy).
func (d *director) pick(x *execState) string {
	if len(d.members) == 0 {
		return ""
	}
	switch d.kind {
	case "random":
		return d.weighted(x.rand().Intn(d.total))
	case "hash":
		return d.weighted(int(hashString(x.key) % uint64(d.total)))
	case "client":
		id, _ := varTable["client.identity"].get(x)
		return d.weighted(int(hashString(id.String()) % uint64(d.total)))
	case "chash":
		key := x.key
		if d.byKey == "client" {
			id, _ := varTable["client.identity"].get(x)
			key = id.String()
		}
		best, bestScore := d.members[0].backend, uint64(0)
		for _, m := range d.members {
			if s := hashString(m.backend + "\x00" + key); s > bestScore {
				best, bestScore = m.backend, s
			}
		}
		return best
	}
	return d.members[0].backend
}

func (d *director) weighted(n int) string {
	for _, m := range d.members {
		if n < m.weight {
			return m.backend
		}
		n -= m.weight
	}
	return d.members[len(d.members)-1].backend
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// resolveBackend follows directors down to a backend.
func (e *Engine) resolveBackend(x *execState, name string) *backendInfo {
	for range 8 {
		if b, ok := e.backends[name]; ok {
			return b
		}
		d, ok := e.directors[name]
		if !ok {
			return nil
		}
		name = d.pick(x)
	}
	return nil
}

// doBackend sends bereq to the backend. A failure goes to vcl_error with a
// 503 (vcl_fetch does not run); a 304 answering our revalidation refreshes
// the stale copy without vcl_fetch; anything else becomes beresp.
func (x *execState) doBackend() step {
	name := x.req.backend
	bk := x.e.resolveBackend(x, name)
	if bk == nil {
		x.finishLead(nil)
		msg := x.e.undefinedBackendError(name)
		x.errCode, x.errResp = http.StatusServiceUnavailable, "No healthy backends"
		if name == "" {
			name = "(none)"
		}
		x.res.BackendRequests = append(x.res.BackendRequests, BackendCall{Backend: name, Method: x.bereq.method, URL: x.bereq.url, Error: msg})
		x.event("error", msg)
		return stError
	}
	if note := x.serviceNote(bk); note != "" {
		x.res.Notes = append(x.res.Notes, note)
		x.event("note", note)
	}
	host, _ := headerGet(x.bereq.header, "Host")
	br := &BackendRequest{
		Backend: bk.name, Method: x.bereq.method, URL: x.bereq.url, Host: host,
		Header: x.bereq.header.Clone(), Body: x.bereq.body,
		ConnectTimeout: x.bereq.connectTimeout, FirstByteTimeout: x.bereq.firstByteTimeout,
		BetweenBytesTimeout: x.bereq.betweenBytesTimeout, Now: x.now(),
	}
	if bk.service == "" && bk.host != "" {
		br.Addr = net.JoinHostPort(bk.host, strconv.FormatInt(bk.port, 10))
		br.SSL = bk.ssl
	}
	x.lastBReq = br
	resp, err := x.roundTrip(bk.origin, br)
	call := BackendCall{Backend: bk.name, Method: br.Method, URL: br.URL}
	if err == nil && resp == nil {
		err = errNoResponse
	}
	if err != nil {
		call.Error = err.Error()
		x.res.BackendRequests = append(x.res.BackendRequests, call)
		if x.hooks != nil {
			x.event("error", "backend "+bk.name+" failed: "+err.Error())
		}
		x.finishLead(nil)
		x.errCode, x.errResp = http.StatusServiceUnavailable, "backend read error"
		return stError
	}
	call.Status = resp.Status
	x.res.BackendRequests = append(x.res.BackendRequests, call)
	if resp.Delay > 0 && !x.req.isBgFetch {
		// A background fetch runs beside the client's requests: its
		// origin's delay does not hold up the scenario's clock.
		x.e.clock.Advance(resp.Delay)
	}
	if x.state == cache.StateHitPass {
		x.state = cache.StatePass
	}
	now := x.now()
	if resp.Status == http.StatusNotModified && !x.pass && x.staleObj != nil && x.staleObj.HasValidators() {
		if o, err := x.node.Store.Refresh(x.key, x.staleObj.VariantKey, resp.Header, now); err == nil {
			x.refreshed = true
			x.cacheEvent("refresh", "304 Not Modified: stale copy refreshed, vcl_fetch skipped")
			x.stored = o
			x.obj = objFromCache(o, now)
			x.resp = x.respFromObj(x.obj, true)
			x.finishLead(o)
			return stDeliver
		}
	}
	x.beresp = berespFrom(resp, bk.name, now)
	if x.pass {
		// A fetch made for a pass (return(pass) in vcl_recv, vcl_hit or
		// vcl_miss, or a hit-for-pass marker) is never cacheable: "Cache
		// freshness and TTLs" (https://docs.fastly.com/en/guides/configuring-caching),
		// "Is response cacheable?": no when the fetch results from an
		// explicit pass or a hit-for-pass, before the status is looked at.
		x.beresp.cacheable = false
	}
	return stFetch
}

// backendReason is the reason phrase the origin sent, else the standard one.
func backendReason(r *BackendResponse) string {
	if r.Reason != "" {
		return r.Reason
	}
	return statusText(r.Status)
}

type errString string

// Error returns the message.
func (e errString) Error() string { return string(e) }

const errNoResponse = errString("the origin returned no response")

// berespFrom makes beresp from a backend response, with beresp.ttl,
// stale windows and cacheability as Fastly's response parser sets them
// before vcl_fetch.
func berespFrom(r *BackendResponse, backend string, now time.Time) *respObj {
	h := make(http.Header, len(r.Header))
	for k, v := range r.Header {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), v...)
	}
	f := cache.ParseFreshness(r.Status, h, now)
	return &respObj{
		status: r.Status, response: backendReason(r), proto: "HTTP/1.1", header: h, body: r.Body,
		ttl: f.TTL, swr: f.SWR, sie: f.SIE, age: f.Age, cacheable: f.Cacheable, backend: backend,
	}
}
