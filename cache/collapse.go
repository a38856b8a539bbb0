package cache

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Collapser models request collapsing on one node: while one request (the
// leader) fetches a key from the backend, other misses for the same key
// queue behind it instead of going to the backend too, and are then served
// what the leader stored (fastly_info.state gains -WAIT).
//
// Source: Fastly's "Request collapsing" guide and the req.hash_ignore_busy
// reference ("Fastly will normally put all but one of those requests in a
// queue"); "Understanding the different PASS action behaviors": when the
// leader passes in vcl_fetch, the queued requests are sent to the backend
// and a hit-for-pass marker stops later requests from queueing.
//
// The interpreter runs "concurrent" requests one after another in virtual
// time, so the protocol is explicit:
//
//  1. every concurrent request that misses calls Join before any leader
//     finishes; the first becomes leader, the rest followers;
//  2. the leader runs its fetch, calls Share with the object it stored (if
//     it stored one), then Done;
//  3. each follower then calls Resume, in the order they joined, which
//     tells it to serve the shared object, to pass (a hit-for-pass marker
//     appeared), or to look the key up again (nothing usable was shared: the
//     leader errored, delivered an uncacheable response, or stored another
//     variant), in which case it may Join again and lead.
type Collapser struct {
	store   *Store
	flights map[string]*flight
}

// flight is one key's collapsing state. Followers queue behind the current
// leader (waiters); when it is done they are released and resume one by one,
// each seeing what that leader shared, even if one of them has meanwhile
// become the next leader.
type flight struct {
	leading  bool      // a leader has not called Done yet
	started  time.Time // when the current leader joined
	waiters  int       // followers queued behind the current leader
	shared   *Object   // what the current leader stored, if anything
	released int       // followers released by a finished leader, not yet resumed
	result   *Object   // what that finished leader shared
}

// NewCollapser returns a collapser for the node whose store is st; the store
// is consulted for hit-for-pass markers, which disable collapsing.
func NewCollapser(st *Store) *Collapser {
	return &Collapser{store: st, flights: map[string]*flight{}}
}

// Join registers a request that missed on key at now. It returns true when
// the request must go to the backend itself: it is the leader, or a live
// hit-for-pass marker disables collapsing for the key. It returns false when
// the request queues behind the leader in flight.
func (c *Collapser) Join(key string, now time.Time) (leader bool) {
	if c.store != nil && c.store.HitForPassActive(key, now) {
		return true
	}
	f := c.flights[key]
	if f != nil && f.leading {
		f.waiters++
		return false
	}
	if f == nil {
		f = &flight{}
		c.flights[key] = f
	}
	f.leading, f.started, f.waiters, f.shared = true, now, 0, nil
	return true
}

// Share records the object the leader stored for key (the one Store.Insert
// returned), to be served to the followers.
func (c *Collapser) Share(key string, obj *Object) {
	if f := c.flights[key]; f != nil && f.leading {
		f.shared = obj
	}
}

// Done ends the leader's fetch for key; the followers queued behind it are
// released and may Resume.
func (c *Collapser) Done(key string) {
	f := c.flights[key]
	if f == nil || !f.leading {
		return
	}
	f.leading = false
	if f.waiters > 0 {
		f.released += f.waiters
		f.result = f.shared
	}
	f.waiters, f.shared = 0, nil
	c.drop(key, f)
}

func (c *Collapser) drop(key string, f *flight) {
	if !f.leading && f.waiters == 0 && f.released == 0 {
		delete(c.flights, key)
	}
}

// ResumeAction tells a follower what to do once its leader is done.
type ResumeAction int

// Follower outcomes.
const (
	// ResumeWait: the leader is still in flight (Done not called yet).
	ResumeWait ResumeAction = iota
	// ResumeHit: serve the object Resume returned; the state is HIT-WAIT.
	ResumeHit
	// ResumePass: the leader created a hit-for-pass marker; go to the
	// backend as a pass.
	ResumePass
	// ResumeLookup: nothing to share; look the key up again (and Join
	// again on a miss).
	ResumeLookup
)

// String names the action.
func (a ResumeAction) String() string {
	switch a {
	case ResumeHit:
		return "hit"
	case ResumePass:
		return "pass"
	case ResumeLookup:
		return "lookup"
	default:
		return "wait"
	}
}

// Resume is called by a follower of key (with its request headers) at now.
// A shared object is only served when it is the variant the follower asked
// for and still usable; serving it counts as a hit.
func (c *Collapser) Resume(key string, reqHeader http.Header, now time.Time) (ResumeAction, *Object) {
	f := c.flights[key]
	if f == nil {
		return ResumeLookup, nil
	}
	if f.released == 0 {
		if f.leading {
			return ResumeWait, nil
		}
		return ResumeLookup, nil
	}
	f.released--
	o := f.result
	if f.released == 0 {
		f.result = nil
	}
	c.drop(key, f)
	if o != nil && o.matches(reqHeader) && o.Phase(now) < PhaseKept {
		o.Hits++
		return ResumeHit, o
	}
	if c.store != nil && c.store.HitForPassActive(key, now) {
		return ResumePass, nil
	}
	return ResumeLookup, nil
}

// Flight describes one key being collapsed, for the debugger.
type Flight struct {
	// Key is the cache key being fetched.
	Key string
	// Leading: a leader is fetching the key.
	Leading bool
	// Started is when the current leader joined.
	Started time.Time
	// Waiters are queued behind the current leader.
	Waiters int
	// Released are followers of a finished leader that have not resumed.
	Released int
}

// Flights returns the keys with a leader in flight or followers still to
// resume, sorted by key.
func (c *Collapser) Flights() []Flight {
	out := make([]Flight, 0, len(c.flights))
	for k, f := range c.flights {
		out = append(out, Flight{Key: k, Leading: f.leading, Started: f.started, Waiters: f.waiters, Released: f.released})
	}
	slices.SortFunc(out, func(a, b Flight) int { return strings.Compare(a.Key, b.Key) })
	return out
}
