package cache

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Errors returned by Store methods.
var (
	// ErrHitForPass: a live hit-for-pass marker blocks caching for the key
	// until it expires or is purged.
	ErrHitForPass = errors.New("cache: hit-for-pass marker active for this key")
	// ErrVaryStar: a response with "Vary: *" can never be matched, so it is
	// not stored.
	ErrVaryStar = errors.New("cache: response has Vary: *")
	// ErrNotFound: no stored object matches.
	ErrNotFound = errors.New("cache: object not found")
)

// LookupStatus is the outcome of a cache lookup.
type LookupStatus int

// Lookup outcomes.
const (
	// LookupMiss: nothing usable is stored; the request goes to vcl_miss.
	LookupMiss LookupStatus = iota
	// LookupHit: a fresh object matched; the request goes to vcl_hit.
	LookupHit
	// LookupStale: only a stale object matched. In its
	// stale-while-revalidate window (Result.Phase) Fastly serves it as a hit
	// and revalidates in the background; in its stale-if-error window the
	// request proceeds as a miss with stale.exists true.
	LookupStale
	// LookupHitForPass: a hit-for-pass marker matched; the request goes
	// straight to vcl_pass (fastly_info.state HITPASS, then PASS).
	LookupHitForPass
)

// String names the outcome.
func (s LookupStatus) String() string {
	switch s {
	case LookupHit:
		return "hit"
	case LookupStale:
		return "stale"
	case LookupHitForPass:
		return "hit-for-pass"
	default:
		return "miss"
	}
}

// LookupResult is what Store.Lookup found.
type LookupResult struct {
	// Status says what was found.
	Status LookupStatus
	// Object is the matched object or marker (nil on a miss). It is the
	// store's own copy: read it, do not change it.
	Object *Object
	// Phase is the object's phase at lookup time; for LookupStale it says
	// which stale window applies.
	Phase Phase
}

// entry holds everything stored under one cache key.
type entry struct {
	marker   *Object
	variants []*Object
}

// Store is the object cache of one node. Objects are kept per cache key and,
// under a key, per variant (Vary). A key may also hold a hit-for-pass marker,
// which takes precedence over its variants while it lives.
//
// Expired objects are dropped lazily, when a lookup touches their key or when
// Sweep runs.
type Store struct {
	node    string
	entries map[string]*entry
	keep    time.Duration
}

// SetKeepExpired sets how long objects inserted from now on stay stored
// past their stale windows when they carry a validator, so that a later
// request revalidates them (If-None-Match / If-Modified-Since) instead of
// fetching them again. Zero (the default) drops them at once.
//
// Source: Fastly's "Staleness and revalidation" guide
// (https://www.fastly.com/documentation/guides/concepts/edge-state/cache/stale/):
// expiry "does not prompt the object to be deleted"; a request for an expired
// object with an ETag or Last-Modified "will block on a conditional fetch";
// how long such an object survives is left to eviction ("unless evicted
// earlier due to lack of use"), which is why this is a setting.
func (s *Store) SetKeepExpired(d time.Duration) { s.keep = max(d, 0) }

// NewStore returns an empty store belonging to the node with the given ID
// (reported in Entries).
func NewStore(node string) *Store {
	return &Store{node: node, entries: map[string]*entry{}}
}

// Node returns the ID of the node the store belongs to.
func (s *Store) Node() string { return s.node }

// Len returns the number of stored objects and markers, expired ones
// included until they are swept.
func (s *Store) Len() int {
	n := 0
	for _, e := range s.entries {
		n += len(e.variants)
		if e.marker != nil {
			n++
		}
	}
	return n
}

// Lookup finds what a request with reqHeader gets for key at now. A live
// hit-for-pass marker wins over any object. Otherwise the matching variant is
// chosen, a fresh one before a stale one. Fresh hits and
// stale-while-revalidate hits (both served from cache) count in obj.hits; a
// stale-if-error match does not, since the request still goes to the
// backend.
func (s *Store) Lookup(key string, reqHeader http.Header, now time.Time) LookupResult {
	e := s.entries[key]
	if e == nil {
		return LookupResult{Status: LookupMiss, Phase: PhaseExpired}
	}
	if m := e.marker; m != nil {
		if m.Fresh(now) {
			m.Hits++
			return LookupResult{Status: LookupHitForPass, Object: m, Phase: PhaseFresh}
		}
		e.marker = nil
	}
	best, phase := s.bestVariant(key, e, reqHeader, now)
	switch phase {
	case PhaseFresh:
		best.Hits++
		return LookupResult{Status: LookupHit, Object: best, Phase: phase}
	case PhaseStaleWhileRevalidate:
		best.Hits++
		return LookupResult{Status: LookupStale, Object: best, Phase: phase}
	case PhaseStaleIfError, PhaseKept:
		return LookupResult{Status: LookupStale, Object: best, Phase: phase}
	}
	return LookupResult{Status: LookupMiss, Phase: PhaseExpired}
}

// LookupFresh is Lookup for a request that cannot use stale objects
// (req.hash_ignore_busy): only a fresh object or a hit-for-pass marker
// matches; anything else is a miss, and no conditional fetch is made.
func (s *Store) LookupFresh(key string, reqHeader http.Header, now time.Time) LookupResult {
	e := s.entries[key]
	if e == nil {
		return LookupResult{Status: LookupMiss, Phase: PhaseExpired}
	}
	if m := e.marker; m != nil && m.Fresh(now) {
		m.Hits++
		return LookupResult{Status: LookupHitForPass, Object: m, Phase: PhaseFresh}
	}
	best, phase := s.bestVariant(key, e, reqHeader, now)
	if phase == PhaseFresh {
		best.Hits++
		return LookupResult{Status: LookupHit, Object: best, Phase: phase}
	}
	return LookupResult{Status: LookupMiss, Phase: PhaseExpired}
}

// bestVariant drops the key's expired variants and returns the most useful
// variant matching reqHeader with its phase (PhaseExpired when none does).
func (s *Store) bestVariant(key string, e *entry, reqHeader http.Header, now time.Time) (*Object, Phase) {
	var best *Object
	bestPhase := PhaseExpired
	kept := e.variants[:0]
	for _, o := range e.variants {
		p := o.Phase(now)
		if p == PhaseExpired {
			continue
		}
		kept = append(kept, o)
		if !o.matches(reqHeader) {
			continue
		}
		if p < bestPhase || (p == bestPhase && o.StoredAt.After(best.StoredAt)) {
			best, bestPhase = o, p
		}
	}
	clear(e.variants[len(kept):])
	e.variants = kept
	if len(kept) == 0 && e.marker == nil {
		delete(s.entries, key)
	}
	return best, bestPhase
}

// Insert stores a copy of obj and returns that copy. obj.StoredAt is taken as
// the current time. The copy starts with zero hits, so inserting the same
// object on the fetch node and on the delivery node gives two independent
// copies that age, count hits and get purged separately.
//
// An object replaces the stored variant with the same VariantKey. Insert
// refuses with ErrHitForPass while a live hit-for-pass marker holds the key,
// and with ErrVaryStar for a "Vary: *" response. An obj with HitForPass set
// replaces the key's marker instead.
func (s *Store) Insert(obj *Object) (*Object, error) {
	if _, star := ParseVary(obj.Header); star && !obj.HitForPass {
		return nil, ErrVaryStar
	}
	e := s.entries[obj.Key]
	if e == nil {
		e = &entry{}
		s.entries[obj.Key] = e
	}
	c := obj.Clone()
	c.Hits = 0
	c.Keep = s.keep
	if c.HitForPass {
		e.marker = c
		return c, nil
	}
	if e.marker != nil {
		if e.marker.Fresh(obj.StoredAt) {
			return nil, ErrHitForPass
		}
		e.marker = nil
	}
	for i, o := range e.variants {
		if o.VariantKey == c.VariantKey {
			e.variants[i] = c
			return c, nil
		}
	}
	e.variants = append(e.variants, c)
	return c, nil
}

// InsertHitForPass stores a hit-for-pass marker for key, living ttl from now
// (DefaultHitForPassTTL when ttl is not positive), and returns it. Objects
// already stored under the key stay, but lookups see the marker first.
func (s *Store) InsertHitForPass(key string, ttl time.Duration, now time.Time) *Object {
	if ttl <= 0 {
		ttl = DefaultHitForPassTTL
	}
	m := &Object{Key: key, HitForPass: true, StoredAt: now, TTL: ttl, Header: http.Header{}}
	e := s.entries[key]
	if e == nil {
		e = &entry{}
		s.entries[key] = e
	}
	e.marker = m
	return m
}

// HitForPassActive reports whether a live hit-for-pass marker holds key at
// now.
func (s *Store) HitForPassActive(key string, now time.Time) bool {
	e := s.entries[key]
	return e != nil && e.marker != nil && e.marker.Fresh(now)
}

// notModifiedSkip lists 304 headers that never replace stored ones: the body
// is not replaced, so neither is its length, and the age is tracked apart.
var notModifiedSkip = map[string]bool{
	"Content-Length":    true,
	"Transfer-Encoding": true,
	"Connection":        true,
	"Age":               true,
}

// Refresh applies a 304 Not Modified received at now to the stored variant
// (key, variantKey): the 304's headers replace the stored ones of the same
// name, the body is kept, the age restarts at the 304's Age header (or
// zero), and the TTL restarts at now. When the 304 carries its own freshness
// (Surrogate-Control/Cache-Control max-age, s-maxage or Expires) that is the
// new TTL; otherwise the object keeps its previous TTL. Stale windows change
// only when the 304 names them. A soft-purged object becomes fresh again.
//
// Source: Fastly's Age header reference ("Revalidation": update the TTL and
// reset Age to the revalidation response's value, or zero) and the
// practitioner post ("304 Not Modified": vcl_fetch does not run, and without
// cache headers the original TTL is enforced again).
func (s *Store) Refresh(key, variantKey string, notModified http.Header, now time.Time) (*Object, error) {
	e := s.entries[key]
	if e == nil {
		return nil, ErrNotFound
	}
	i := slices.IndexFunc(e.variants, func(o *Object) bool { return o.VariantKey == variantKey })
	if i < 0 {
		return nil, ErrNotFound
	}
	o := e.variants[i]
	if o.Header == nil {
		o.Header = http.Header{}
	}
	for name, values := range notModified {
		name = http.CanonicalHeaderKey(name)
		if !notModifiedSkip[name] {
			o.Header[name] = slices.Clone(values)
		}
	}
	f := ParseFreshness(o.Status, notModified, now)
	if f.Source != SourceDefault {
		o.TTL = f.TTL
	}
	if f.swrSet {
		o.StaleWhileRevalidate = f.SWR
	}
	if f.sieSet {
		o.StaleIfError = f.SIE
	}
	o.InitialAge = f.Age
	o.StoredAt = now
	o.SoftPurged = false
	o.ETag = o.Header.Get("ETag")
	o.LastModified = o.Header.Get("Last-Modified")
	o.SurrogateKeys = ParseSurrogateKeys(o.Header)
	return o, nil
}

// StaleExists reports whether any variant stored under key is stale but
// still inside a stale window at now (stale.exists). Stale copies live per
// node, so two nodes can disagree.
func (s *Store) StaleExists(key string, now time.Time) bool {
	e := s.entries[key]
	if e == nil {
		return false
	}
	return slices.ContainsFunc(e.variants, func(o *Object) bool { return o.Stale(now) })
}

// StaleObject returns the stale variant of key a request with reqHeader
// would be served by return(deliver_stale) at now, or nil. A variant in its
// stale-while-revalidate window is preferred to one only in its
// stale-if-error window, then the most recently stored.
func (s *Store) StaleObject(key string, reqHeader http.Header, now time.Time) *Object {
	e := s.entries[key]
	if e == nil {
		return nil
	}
	var best *Object
	bestPhase := PhaseExpired
	for _, o := range e.variants {
		p := o.Phase(now)
		if (p != PhaseStaleWhileRevalidate && p != PhaseStaleIfError) || !o.matches(reqHeader) {
			continue
		}
		if p < bestPhase || (p == bestPhase && o.StoredAt.After(best.StoredAt)) {
			best, bestPhase = o, p
		}
	}
	return best
}

// PurgeKey purges everything stored under key and returns how many objects
// and markers it touched. A hard purge removes them; a soft purge marks the
// objects stale at now, keeping their stale windows, so they can still be
// served stale or revalidated. Markers are removed either way.
//
// Source: Fastly's "Soft purges" guide: a soft purge marks content stale,
// a hard purge makes it immediately unusable.
func (s *Store) PurgeKey(key string, soft bool, now time.Time) int {
	e := s.entries[key]
	if e == nil {
		return 0
	}
	n := len(e.variants)
	if e.marker != nil {
		n++
		e.marker = nil
	}
	if !soft {
		delete(s.entries, key)
		return n
	}
	for _, o := range e.variants {
		o.markStale(now)
	}
	if len(e.variants) == 0 {
		delete(s.entries, key)
	}
	return n
}

// PurgeSurrogateKey purges every object tagged with skey, hard or soft as
// PurgeKey does, and returns how many objects it touched.
func (s *Store) PurgeSurrogateKey(skey string, soft bool, now time.Time) int {
	n := 0
	for key, e := range s.entries {
		kept := e.variants[:0]
		for _, o := range e.variants {
			if !slices.Contains(o.SurrogateKeys, skey) {
				kept = append(kept, o)
				continue
			}
			n++
			if soft {
				o.markStale(now)
				kept = append(kept, o)
			}
		}
		clear(e.variants[len(kept):])
		e.variants = kept
		if len(kept) == 0 && e.marker == nil {
			delete(s.entries, key)
		}
	}
	return n
}

// PurgeAll removes everything from the store and returns how many objects
// and markers it held. There is no soft form: Fastly's purge-all "cannot be
// done as a soft purge" ("Soft purges" guide).
func (s *Store) PurgeAll() int {
	n := s.Len()
	clear(s.entries)
	return n
}

// Sweep drops expired objects and markers at now and returns how many went.
func (s *Store) Sweep(now time.Time) int {
	n := 0
	for key, e := range s.entries {
		if e.marker != nil && !e.marker.Fresh(now) {
			e.marker = nil
			n++
		}
		kept := e.variants[:0]
		for _, o := range e.variants {
			if o.Phase(now) == PhaseExpired {
				n++
				continue
			}
			kept = append(kept, o)
		}
		clear(e.variants[len(kept):])
		e.variants = kept
		if len(kept) == 0 && e.marker == nil {
			delete(s.entries, key)
		}
	}
	return n
}

// Entry describes one stored object or marker for the debugger.
type Entry struct {
	// Node is the ID of the node holding the object.
	Node string
	// Key and VariantKey identify the object (see Object).
	Key        string
	VariantKey string
	// Status is the stored response's status (zero for a marker).
	Status int
	// HitForPass marks a hit-for-pass marker.
	HitForPass bool
	// Phase is the object's phase at the snapshot time.
	Phase Phase
	// TTLLeft is the freshness left (obj.ttl); negative once stale.
	TTLLeft time.Duration
	// Age is obj.age.
	Age time.Duration
	// StaleWhileRevalidate and StaleIfError are the object's windows.
	StaleWhileRevalidate time.Duration
	StaleIfError         time.Duration
	// StaleLeft is how long the object can still be used stale (zero while
	// fresh or once gone).
	StaleLeft time.Duration
	// Hits is obj.hits on this node.
	Hits int
	// SurrogateKeys are the object's purge tags.
	SurrogateKeys []string
	// SoftPurged records that a soft purge made the object stale.
	SoftPurged bool
}

// String renders the entry on one line, e.g.
// "cache-sim2 /index.html fresh ttl=50s age=10s swr=0s sie=0s hits=3".
func (e Entry) String() string {
	var b strings.Builder
	b.WriteString(e.Node)
	b.WriteByte(' ')
	b.WriteString(e.Key)
	if e.VariantKey != "" {
		b.WriteString(" [")
		b.WriteString(strings.ReplaceAll(e.VariantKey, "\n", "; "))
		b.WriteByte(']')
	}
	if e.HitForPass {
		b.WriteString(" hit-for-pass")
	} else {
		b.WriteByte(' ')
		b.WriteString(e.Phase.String())
	}
	b.WriteString(" ttl=" + e.TTLLeft.String())
	b.WriteString(" age=" + e.Age.String())
	if !e.HitForPass {
		b.WriteString(" swr=" + e.StaleWhileRevalidate.String())
		b.WriteString(" sie=" + e.StaleIfError.String())
	}
	b.WriteString(" hits=")
	b.WriteString(strconv.Itoa(e.Hits))
	if e.SoftPurged {
		b.WriteString(" soft-purged")
	}
	return b.String()
}

// Entries returns a snapshot of everything still alive in the store at now,
// sorted by key, markers first, then by variant. It does not change the
// store.
func (s *Store) Entries(now time.Time) []Entry {
	var out []Entry
	for _, e := range s.entries {
		if m := e.marker; m != nil && m.Fresh(now) {
			out = append(out, s.describe(m, now))
		}
		for _, o := range e.variants {
			if o.Phase(now) != PhaseExpired {
				out = append(out, s.describe(o, now))
			}
		}
	}
	slices.SortFunc(out, func(a, b Entry) int {
		if c := strings.Compare(a.Key, b.Key); c != 0 {
			return c
		}
		if a.HitForPass != b.HitForPass {
			if a.HitForPass {
				return -1
			}
			return 1
		}
		return strings.Compare(a.VariantKey, b.VariantKey)
	})
	return out
}

func (s *Store) describe(o *Object, now time.Time) Entry {
	e := Entry{
		Node:                 s.node,
		Key:                  o.Key,
		VariantKey:           o.VariantKey,
		Status:               o.Status,
		HitForPass:           o.HitForPass,
		Phase:                o.Phase(now),
		TTLLeft:              o.TTLRemaining(now),
		Age:                  o.Age(now),
		StaleWhileRevalidate: o.StaleWhileRevalidate,
		StaleIfError:         o.StaleIfError,
		Hits:                 o.Hits,
		SurrogateKeys:        slices.Clone(o.SurrogateKeys),
		SoftPurged:           o.SoftPurged,
	}
	if e.Phase == PhaseStaleWhileRevalidate || e.Phase == PhaseStaleIfError {
		e.StaleLeft = o.GoneAt().Sub(now)
	}
	return e
}
