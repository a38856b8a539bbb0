package builtin

import (
	"strings"
	"testing"
	"time"

	"github.com/vclide/vclide/interp/value"
)

// rlEnv is a fakeEnv with its own rate-limiting state.
type rlEnv struct {
	*fakeEnv
	rl *RateLimits
}

func (e rlEnv) RateLimits() *RateLimits { return e.rl }

func newRLEnv() rlEnv { return rlEnv{newEnv(), NewRateLimits()} }

func TestRatecounterIncrement(t *testing.T) {
	env := newRLEnv()
	inc := func(delta int64) int64 {
		t.Helper()
		return callOK(t, env, "ratelimit.ratecounter_increment", idv("rc"), vs("192.0.2.1"), vi(delta)).Int
	}
	// Documented example: increments of 10 report the last minute's total.
	if got := inc(10); got != 10 {
		t.Fatalf("first = %d", got)
	}
	env.now = env.now.Add(30 * time.Second)
	if got := inc(10); got != 20 {
		t.Fatalf("30s later = %d, want 20", got)
	}
	env.now = env.now.Add(45 * time.Second) // the first increment left the minute
	if got := inc(10); got != 20 {
		t.Fatalf("75s later = %d, want 20", got)
	}
	if e, ok := env.rl.LastEntry("rc"); !ok || e != "192.0.2.1" {
		t.Fatalf("LastEntry = %q, %v", e, ok)
	}
	if _, err := call(t, env, "ratelimit.ratecounter_increment", idv("rc"), vs("x"), vi(1001)); err == nil {
		t.Fatal("delta over 1000 accepted")
	}
	long := strings.Repeat("x", 257)
	if got := callOK(t, env, "ratelimit.ratecounter_increment", idv("rc"), vs(long), vi(1)); got.Int != 0 || env.vars["fastly.error"].Str != "EINVAL" {
		t.Fatalf("long entry = %d, fastly.error %q", got.Int, env.vars["fastly.error"].Str)
	}
}

func TestCheckRate(t *testing.T) {
	env := newRLEnv()
	check := func(entry string, delta, window, limit int64) bool {
		t.Helper()
		return callOK(t, env, "ratelimit.check_rate", vs(entry), idv("rc"), vi(delta), vi(window), vi(limit), idv("pb"), value.RTime(2*time.Minute)).Bool
	}
	// 10 per second is at, not over, a limit of 10.
	for i := range 10 {
		if check("a", 1, 1, 10) {
			t.Fatalf("request %d penalized", i+1)
		}
	}
	if !check("a", 1, 1, 10) {
		t.Fatal("11th request in one second not penalized")
	}
	if !callOK(t, env, "ratelimit.penaltybox_has", idv("pb"), vs("a")).Bool {
		t.Fatal("entry not in the penalty box")
	}
	// Another client is unaffected.
	if check("b", 1, 1, 10) {
		t.Fatal("other entry penalized")
	}
	// A new second resets the 1s window, but the penalty lasts its TTL.
	env.now = env.now.Add(time.Second)
	if !check("a", 1, 1, 10) {
		t.Fatal("penalty ended early")
	}
	env.now = env.now.Add(2 * time.Minute)
	if check("a", 1, 1, 10) {
		t.Fatal("penalty outlived its TTL")
	}

	// A 10s window averages over ten seconds: 15 per second for 9 seconds
	// and then 1 more is 136/10 = 13.6 > 10.
	env2 := newRLEnv()
	env2.now = env2.now.Truncate(time.Minute)
	over := false
	for s := range 10 {
		for range 15 {
			over = callOK(t, env2, "ratelimit.check_rate", vs("c"), idv("rc"), vi(1), vi(10), vi(10), idv("pb"), value.RTime(time.Minute)).Bool
		}
		if s == 0 && over {
			t.Fatal("15 in the first second is 1.5/s over 10s, not over 10")
		}
		env2.now = env2.now.Add(time.Second)
	}
	if !over {
		t.Fatal("150 requests in 10s not penalized at limit 10")
	}
}

func TestCheckRates(t *testing.T) {
	env := newRLEnv()
	args := func(entry string) []value.Value {
		return []value.Value{vs(entry), idv("rc1"), vi(1), vi(60), vi(1000), idv("rc2"), vi(50), vi(1), vi(100), idv("pb"), value.RTime(5 * time.Minute)}
	}
	if callOK(t, env, "ratelimit.check_rates", args("x")...).Bool {
		t.Fatal("50/s penalized at limit 100")
	}
	if callOK(t, env, "ratelimit.check_rates", args("x")...).Bool {
		t.Fatal("100/s penalized at limit 100")
	}
	if !callOK(t, env, "ratelimit.check_rates", args("x")...).Bool {
		t.Fatal("150/s on the second counter not penalized")
	}
	if got := env.rl.Count("rc1", "x", env.now, 60); got != 3 {
		t.Fatalf("first counter = %d, want 3", got)
	}
}

func TestCheckRateErrors(t *testing.T) {
	env := newRLEnv()
	ttl := value.RTime(time.Minute)
	for _, c := range []struct {
		name                 string
		delta, window, limit int64
	}{
		{"window 5", 1, 5, 10},
		{"limit below 10", 1, 1, 9},
		{"negative delta", -1, 1, 10},
	} {
		if _, err := call(t, env, "ratelimit.check_rate", vs("e"), idv("rc"), vi(c.delta), vi(c.window), vi(c.limit), idv("pb"), ttl); err == nil {
			t.Errorf("%s accepted", c.name)
		}
	}
	got := callOK(t, env, "ratelimit.check_rate", vs(strings.Repeat("e", 300)), idv("rc"), vi(1), vi(1), vi(10), idv("pb"), ttl)
	if got.Bool || env.vars["fastly.error"].Str != "EINVAL" {
		t.Fatalf("long entry = %v, fastly.error %q", got.Bool, env.vars["fastly.error"].Str)
	}
}

func TestPenaltybox(t *testing.T) {
	for _, c := range []struct {
		name   string
		ttl    value.Value
		within time.Duration // still penalized this long after adding
		after  time.Duration // released by then
	}{
		{"5m (documented)", value.RTime(5 * time.Minute), 5*time.Minute - time.Second, 5 * time.Minute},
		{"rounded to nearest minute", value.RTime(90 * time.Second), 2*time.Minute - time.Second, 2 * time.Minute},
		{"at least a minute", value.RTime(10 * time.Second), 59 * time.Second, time.Minute},
		{"at most an hour", value.RTime(3 * time.Hour), time.Hour - time.Second, time.Hour},
		{"integer seconds", vi(120), 2*time.Minute - time.Second, 2 * time.Minute},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newRLEnv()
			start := env.now
			callOK(t, env, "ratelimit.penaltybox_add", idv("pbox"), vs("198.51.100.7"), c.ttl)
			env.now = start.Add(c.within)
			if !callOK(t, env, "ratelimit.penaltybox_has", idv("pbox"), vs("198.51.100.7")).Bool {
				t.Fatal("released early")
			}
			env.now = start.Add(c.after)
			if callOK(t, env, "ratelimit.penaltybox_has", idv("pbox"), vs("198.51.100.7")).Bool {
				t.Fatal("not released")
			}
			if callOK(t, env, "ratelimit.penaltybox_has", idv("other"), vs("198.51.100.7")).Bool {
				t.Fatal("boxes are not separate")
			}
		})
	}
}

// An Env without its own store shares the process-wide default.
func TestRateLimitDefaultStore(t *testing.T) {
	env := newEnv()
	callOK(t, env, "ratelimit.penaltybox_add", idv("default-store-test"), vs("k"), value.RTime(time.Minute))
	if !callOK(t, newEnv(), "ratelimit.penaltybox_has", idv("default-store-test"), vs("k")).Bool {
		t.Fatal("default store not shared")
	}
}
