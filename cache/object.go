package cache

import (
	"net/http"
	"slices"
	"time"
)

// DefaultHitForPassTTL is how long a hit-for-pass marker lives when vcl_fetch
// passes without choosing a TTL.
//
// Source: the practitioner post (seed 002, "Hit for Pass"): the marker "is
// given a ttl of 120s", which is also Varnish's builtin value; Fastly's
// "Understanding the different PASS action behaviors" guide confirms markers
// have their own TTL and disable request collapsing while they live.
const DefaultHitForPassTTL = 120 * time.Second

// Phase is where an object stands in its lifetime at a given instant.
type Phase int

// The phases of an object's life, in order.
const (
	// PhaseFresh: within the TTL; served as a hit.
	PhaseFresh Phase = iota
	// PhaseStaleWhileRevalidate: past the TTL but inside the
	// stale-while-revalidate window; Fastly serves it as a hit and
	// revalidates in the background.
	PhaseStaleWhileRevalidate
	// PhaseStaleIfError: past the TTL and the stale-while-revalidate window
	// but inside the stale-if-error window; only usable when the backend
	// fails (stale.exists, return(deliver_stale)).
	PhaseStaleIfError
	// PhaseKept: past every stale window, but an object with a validator
	// (ETag or Last-Modified) is still stored, so a request for it makes a
	// conditional fetch; it is never served without revalidation.
	PhaseKept
	// PhaseExpired: past every window; the object is gone.
	PhaseExpired
)

// String returns the phase in the form the debugger shows.
func (p Phase) String() string {
	switch p {
	case PhaseFresh:
		return "fresh"
	case PhaseStaleWhileRevalidate:
		return "stale-while-revalidate"
	case PhaseStaleIfError:
		return "stale-if-error"
	case PhaseKept:
		return "expired (kept for revalidation)"
	default:
		return "expired"
	}
}

// Object is a stored response (or a hit-for-pass marker) on one node.
//
// Times are kept as StoredAt plus durations: the object is fresh until
// StoredAt+TTL, and then stale for StaleWhileRevalidate and StaleIfError
// more, both windows counted from the end of the TTL (RFC 5861; Fastly's
// "Lifetime and revalidation" guide shows the same phases for
// "max-age=300, stale-while-revalidate=60, stale-if-error=86400").
//
// The Store keeps its own copy of what is inserted; objects returned by a
// Store are that copy and should be treated as read-only (use Clone to
// derive a new one).
type Object struct {
	// Key is the cache key (req.hash / req.digest) the object is stored under.
	Key string
	// VariantKey identifies the variant among objects stored under Key: the
	// request header values named by the response's Vary header, encoded by
	// VariantKey. Empty when the response has no Vary.
	VariantKey string
	// Vary is the canonical, sorted list of header names from the response's
	// Vary header; nil when there is none.
	Vary []string

	// Status, Header and Body are the stored response.
	Status int
	Header http.Header
	Body   []byte
	// Reason is the reason phrase of the stored status line
	// (beresp.response when it was stored); empty for the standard one.
	Reason string

	// StoredAt is when the object entered this node's cache (or was last
	// refreshed by a 304).
	StoredAt time.Time
	// InitialAge is the age the object had when stored (the backend's Age
	// header, zero for Expires-based lifetimes).
	InitialAge time.Duration
	// TTL is the freshness lifetime from StoredAt (beresp.ttl).
	TTL time.Duration
	// StaleWhileRevalidate and StaleIfError are the stale windows after the
	// TTL (beresp.stale_while_revalidate, beresp.stale_if_error).
	StaleWhileRevalidate time.Duration
	StaleIfError         time.Duration

	// SurrogateKeys are the tags purges by surrogate key match.
	SurrogateKeys []string
	// ETag and LastModified are the validators a revalidation sends.
	ETag         string
	LastModified string

	// Keep is how long the object stays stored past its stale windows for
	// revalidation; it applies only when the object has a validator (see
	// Store.SetKeepExpired).
	Keep time.Duration
	// ESI records that vcl_fetch asked for Edge Side Includes processing
	// (esi; / beresp.do_esi): the body is stored as is and processed on
	// each delivery.
	ESI bool
	// FetchedBy and FetchedAt record which node ran vcl_fetch for the
	// object and when: the "(F node time)" part of Fastly-Debug-Path.
	FetchedBy string
	FetchedAt time.Time

	// HitForPass marks a hit-for-pass marker rather than a response.
	HitForPass bool
	// Hits counts cache hits on this node (obj.hits).
	Hits int
	// SoftPurged records that a soft purge made the object stale.
	SoftPurged bool
}

// NewObject builds the object vcl_fetch would store for a backend response
// received at now, with the lifetime f (usually ParseFreshness, possibly
// changed by VCL). Validators and surrogate keys are read from the header,
// and the Vary header names are recorded; call SetVariant with the request
// headers before inserting a response that has a Vary header.
func NewObject(key string, status int, header http.Header, body []byte, f Freshness, now time.Time) *Object {
	if header == nil {
		header = http.Header{}
	}
	vary, _ := ParseVary(header)
	return &Object{
		Key:                  key,
		Vary:                 vary,
		Status:               status,
		Header:               header,
		Body:                 body,
		StoredAt:             now,
		InitialAge:           f.Age,
		TTL:                  f.TTL,
		StaleWhileRevalidate: f.SWR,
		StaleIfError:         f.SIE,
		SurrogateKeys:        ParseSurrogateKeys(header),
		ETag:                 header.Get("ETag"),
		LastModified:         header.Get("Last-Modified"),
	}
}

// SetVariant records which variant this object is, given the headers of the
// request that fetched it. It re-reads the Vary header, so it also works
// after VCL changed beresp.http.Vary.
func (o *Object) SetVariant(reqHeader http.Header) {
	o.Vary, _ = ParseVary(o.Header)
	o.VariantKey = VariantKey(o.Vary, reqHeader)
}

// Clone returns a copy that shares nothing mutable with o except Body, which
// a stored object never changes in place.
func (o *Object) Clone() *Object {
	c := *o
	c.Header = o.Header.Clone()
	c.Vary = slices.Clone(o.Vary)
	c.SurrogateKeys = slices.Clone(o.SurrogateKeys)
	return &c
}

// Age is the object's age at now (obj.age): its initial age plus the time
// spent in this cache.
func (o *Object) Age(now time.Time) time.Duration {
	return o.InitialAge + now.Sub(o.StoredAt)
}

// ExpiresAt is the instant the object stops being fresh.
func (o *Object) ExpiresAt() time.Time { return o.StoredAt.Add(o.TTL) }

// TTLRemaining is the freshness left at now (obj.ttl); negative once stale.
func (o *Object) TTLRemaining(now time.Time) time.Duration {
	return o.ExpiresAt().Sub(now)
}

// Fresh reports whether the object is within its TTL at now.
func (o *Object) Fresh(now time.Time) bool { return now.Before(o.ExpiresAt()) }

// StaleWindow is how long the object is kept after its TTL: the longer of its
// two stale windows.
func (o *Object) StaleWindow() time.Duration {
	return max(o.StaleWhileRevalidate, o.StaleIfError)
}

// GoneAt is the instant the object can no longer be served stale: the end
// of its TTL plus its stale window.
func (o *Object) GoneAt() time.Time { return o.ExpiresAt().Add(o.StaleWindow()) }

// keptUntil is the instant the object leaves the cache: GoneAt, or later
// when it is kept for revalidation.
func (o *Object) keptUntil() time.Time {
	if o.Keep > 0 && o.HasValidators() && !o.HitForPass {
		return o.GoneAt().Add(o.Keep)
	}
	return o.GoneAt()
}

// InStaleWhileRevalidate reports whether now falls in the object's
// stale-while-revalidate window.
func (o *Object) InStaleWhileRevalidate(now time.Time) bool {
	since := now.Sub(o.ExpiresAt())
	return since >= 0 && since < o.StaleWhileRevalidate
}

// InStaleIfError reports whether now falls in the object's stale-if-error
// window.
func (o *Object) InStaleIfError(now time.Time) bool {
	since := now.Sub(o.ExpiresAt())
	return since >= 0 && since < o.StaleIfError
}

// Phase reports where the object stands at now. When both stale windows
// apply, stale-while-revalidate wins (beresp.stale_while_revalidate
// reference: "stale while revalidate takes precedence"). A hit-for-pass
// marker is only ever fresh or expired.
func (o *Object) Phase(now time.Time) Phase {
	switch {
	case o.Fresh(now):
		return PhaseFresh
	case o.HitForPass:
		return PhaseExpired
	case o.InStaleWhileRevalidate(now):
		return PhaseStaleWhileRevalidate
	case o.InStaleIfError(now):
		return PhaseStaleIfError
	case now.Before(o.keptUntil()):
		return PhaseKept
	default:
		return PhaseExpired
	}
}

// Stale reports whether the object is past its TTL but still inside a stale
// window at now: what stale.exists looks for.
func (o *Object) Stale(now time.Time) bool {
	p := o.Phase(now)
	return p == PhaseStaleWhileRevalidate || p == PhaseStaleIfError
}

// HasValidators reports whether a revalidation can send a conditional
// request (If-None-Match or If-Modified-Since) for the object.
func (o *Object) HasValidators() bool { return o.ETag != "" || o.LastModified != "" }

// markStale makes the object stale at now without touching its stale
// windows: what a soft purge does.
func (o *Object) markStale(now time.Time) {
	if o.Fresh(now) {
		o.TTL = now.Sub(o.StoredAt)
	}
	o.SoftPurged = true
}
