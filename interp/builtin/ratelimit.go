package builtin

import (
	"sync"
	"time"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/value"
)

// This file implements the ratelimit.* builtins over a deterministic,
// in-memory model of Fastly's ratecounters and penaltyboxes. Fastly's real
// counters are estimates shared across a POP; the model counts exactly, on
// the virtual clock (Env.Now), with one-second buckets: the 1s, 10s and 60s
// windows cover the current whole second and the 0, 9 or 59 before it, as
// Fastly describes its fixed windows.

// maxRateEntry is the longest entry a ratecounter or penaltybox accepts.
const maxRateEntry = 256

// RateLimits holds ratecounter increments and penaltybox entries, keyed by
// the declared ratecounter or penaltybox name. It is safe for concurrent use.
// Builtins use the RateLimits of an Env implementing RateLimitStore, and a
// process-wide default otherwise.
type RateLimits struct {
	mu       sync.Mutex
	counters map[string]map[string]map[int64]int64 // counter → entry → unix second → increments
	last     map[string]string                     // counter → most recently incremented entry
	boxes    map[string]map[string]time.Time       // penaltybox → entry → expiry
	fixed    float64                               // a steady rate added to every counter (unit tests)
}

// SetFixedRate adds a steady rate of requests per second to every
// ratecounter, on top of the increments made (testing.fixed_access_rate).
func (r *RateLimits) SetFixedRate(rate float64) {
	r.mu.Lock()
	r.fixed = rate
	r.mu.Unlock()
}

// NewRateLimits returns empty rate-limiting state.
func NewRateLimits() *RateLimits {
	return &RateLimits{
		counters: map[string]map[string]map[int64]int64{},
		last:     map[string]string{},
		boxes:    map[string]map[string]time.Time{},
	}
}

// RateLimitStore is implemented by an Env that keeps its own rate-limiting
// state (for example one per debugging session).
type RateLimitStore interface {
	// RateLimits returns the state the ratelimit.* builtins should use.
	RateLimits() *RateLimits
}

// defaultRateLimits serves Envs that do not implement RateLimitStore.
var defaultRateLimits = NewRateLimits()

// rateLimitsFor returns the state for env.
func rateLimitsFor(env Env) *RateLimits {
	if s, ok := env.(RateLimitStore); ok {
		if rl := s.RateLimits(); rl != nil {
			return rl
		}
	}
	return defaultRateLimits
}

// Increment adds delta to entry in the named ratecounter at time now and
// returns the entry's total over the 60 seconds ending at now.
func (r *RateLimits) Increment(counter, entry string, delta int64, now time.Time) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	entries := r.counters[counter]
	if entries == nil {
		entries = map[string]map[int64]int64{}
		r.counters[counter] = entries
	}
	buckets := entries[entry]
	if buckets == nil {
		buckets = map[int64]int64{}
		entries[entry] = buckets
	}
	sec := now.Unix()
	for s := range buckets { // forget what no window can see any more
		if s <= sec-60 {
			delete(buckets, s)
		}
	}
	buckets[sec] += delta
	r.last[counter] = entry
	return r.countLocked(counter, entry, now, 60)
}

// Count returns the increments to entry in the named ratecounter during the
// window of the given number of seconds ending at now (the current whole
// second and the seconds-1 before it).
func (r *RateLimits) Count(counter, entry string, now time.Time, seconds int64) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.countLocked(counter, entry, now, seconds)
}

// countLocked is Count for a caller holding r.mu.
func (r *RateLimits) countLocked(counter, entry string, now time.Time, seconds int64) int64 {
	sec, total := now.Unix(), int64(0)
	for s, n := range r.counters[counter][entry] {
		if s > sec-seconds && s <= sec {
			total += n
		}
	}
	return total
}

// Rate returns the per-second rate of increments to entry over the window
// of the given number of seconds ending at now.
func (r *RateLimits) Rate(counter, entry string, now time.Time, seconds int64) float64 {
	if seconds <= 0 {
		return 0
	}
	r.mu.Lock()
	fixed := r.fixed
	r.mu.Unlock()
	return fixed + float64(r.Count(counter, entry, now, seconds))/float64(seconds)
}

// LastEntry returns the entry most recently incremented in the named
// ratecounter (what the ratecounter.{NAME}.* variables describe).
func (r *RateLimits) LastEntry(counter string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.last[counter]
	return e, ok
}

// Penalize puts entry in the named penaltybox until now+ttl.
func (r *RateLimits) Penalize(box, entry string, ttl time.Duration, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	entries := r.boxes[box]
	if entries == nil {
		entries = map[string]time.Time{}
		r.boxes[box] = entries
	}
	entries[entry] = now.Add(ttl)
}

// Penalized reports whether entry is in the named penaltybox at time now.
func (r *RateLimits) Penalized(box, entry string, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	exp, ok := r.boxes[box][entry]
	return ok && now.Before(exp)
}

// penaltyTTL reads a penaltybox TTL argument (an RTIME such as 5m; INTEGER
// or FLOAT seconds are accepted too) and applies Fastly's rules: rounded to
// the nearest minute and kept between 1 minute and 1 hour.
func penaltyTTL(v value.Value) time.Duration {
	var d time.Duration
	switch v.T {
	case catalog.TypeRTime:
		d = v.Dur
	case catalog.TypeInteger:
		d = time.Duration(v.Int) * time.Second
	case catalog.TypeFloat:
		d = time.Duration(v.Float * float64(time.Second))
	case catalog.TypeTime: // the catalogue types ttl as TIME; read it as seconds
		d = time.Duration(v.Time.Unix()) * time.Second
	}
	d = d.Round(time.Minute)
	return min(max(d, time.Minute), time.Hour)
}

// checkRateArgs validates one (delta, window, limit) triple of
// ratelimit.check_rate(s) starting at argument i.
func checkRateArgs(fn string, args []value.Value, i int) error {
	if d := argIntOrZero(args, i); d < 0 || d > 100000 {
		return argError(fn, i, "delta %d is outside 0..100000", d)
	}
	if w := argIntOrZero(args, i+1); w != 1 && w != 10 && w != 60 {
		return argError(fn, i+1, "window %d is not 1, 10 or 60", w)
	}
	if l := argIntOrZero(args, i+2); l < 10 || l > 70000000 {
		return argError(fn, i+2, "limit %d is outside 10..70000000", l)
	}
	return nil
}

// ratelimitCheckRates implements ratelimit.check_rate(entry, rc, delta,
// window, limit, pb, ttl) and, with a second (rc, delta, window, limit)
// group, ratelimit.check_rates. Each counter is incremented; the entry is
// penalized when a rate over its window exceeds its limit, and the result
// is whether the entry is penalized. An entry longer than 256 bytes gives
// false and fastly.error EINVAL.
func ratelimitCheckRates(fn string, groups int) Func {
	return func(env Env, args []value.Value) (value.Value, error) {
		pbIdx := 1 + 4*groups
		for g := range groups {
			if err := checkRateArgs(fn, args, 2+4*g); err != nil {
				return value.Value{}, err
			}
		}
		if len(args) <= pbIdx+1 {
			return value.Value{}, argError(fn, pbIdx+1, "penalty box TTL missing")
		}
		entry := argStr(args, 0)
		if len(entry) > maxRateEntry {
			setFastlyErr(env, "EINVAL")
			return value.Bool(false), nil
		}
		rl, now := rateLimitsFor(env), env.Now()
		exceeded := false
		for g := range groups {
			base := 1 + 4*g
			rc, delta, window, limit := argStr(args, base), argIntOrZero(args, base+1), argIntOrZero(args, base+2), argIntOrZero(args, base+3)
			rl.Increment(rc, entry, delta, now)
			if rl.Rate(rc, entry, now, window) > float64(limit) {
				exceeded = true
			}
		}
		box := argStr(args, pbIdx)
		if exceeded {
			rl.Penalize(box, entry, penaltyTTL(args[pbIdx+1]), now)
		}
		return value.Bool(rl.Penalized(box, entry, now)), nil
	}
}

// ratelimitRatecounterIncrement implements ratelimit.ratecounter_increment(
// rc, entry, delta): it returns the entry's total increments over the last
// minute. An entry longer than 256 bytes gives 0 and fastly.error EINVAL.
func ratelimitRatecounterIncrement(env Env, args []value.Value) (value.Value, error) {
	const fn = "ratelimit.ratecounter_increment"
	if d := argIntOrZero(args, 2); d < 0 || d > 1000 {
		return value.Value{}, argError(fn, 2, "delta %d is outside 0..1000", d)
	}
	entry := argStr(args, 1)
	if len(entry) > maxRateEntry {
		setFastlyErr(env, "EINVAL")
		return value.Integer(0), nil
	}
	return value.Integer(rateLimitsFor(env).Increment(argStr(args, 0), entry, argIntOrZero(args, 2), env.Now())), nil
}

// ratelimitPenaltyboxAdd implements ratelimit.penaltybox_add(pb, entry,
// ttl).
func ratelimitPenaltyboxAdd(env Env, args []value.Value) (value.Value, error) {
	if len(args) < 3 {
		return value.Value{}, argError("ratelimit.penaltybox_add", 2, "TTL missing")
	}
	if entry := argStr(args, 1); len(entry) > maxRateEntry {
		setFastlyErr(env, "EINVAL")
	} else {
		rateLimitsFor(env).Penalize(argStr(args, 0), entry, penaltyTTL(args[2]), env.Now())
	}
	return value.Void(), nil
}

// ratelimitPenaltyboxHas implements ratelimit.penaltybox_has(pb, entry).
func ratelimitPenaltyboxHas(env Env, args []value.Value) (value.Value, error) {
	entry := argStr(args, 1)
	if len(entry) > maxRateEntry {
		setFastlyErr(env, "EINVAL")
		return value.Bool(false), nil
	}
	return value.Bool(rateLimitsFor(env).Penalized(argStr(args, 0), entry, env.Now())), nil
}

func init() {
	register("ratelimit.check_rate", ratelimitCheckRates("ratelimit.check_rate", 1))
	register("ratelimit.check_rates", ratelimitCheckRates("ratelimit.check_rates", 2))
	register("ratelimit.ratecounter_increment", ratelimitRatecounterIncrement)
	register("ratelimit.penaltybox_add", ratelimitPenaltyboxAdd)
	register("ratelimit.penaltybox_has", ratelimitPenaltyboxHas)
}
