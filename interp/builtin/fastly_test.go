package builtin

import (
	"net/http"
	"testing"

	"github.com/vclide/vclide/interp/value"
)

func TestFastlyHash(t *testing.T) {
	env := newEnv()
	h := func(key string, seed, from, to int64) int64 {
		t.Helper()
		return callOK(t, env, "fastly.hash", vs(key), vi(seed), vi(from), vi(to)).Int
	}
	// Documented call shape: fastly.hash(req.url, 0, 0, 1023).
	a := h("/index.html", 0, 0, 1023)
	if a < 0 || a > 1023 || a != h("/index.html", 0, 0, 1023) {
		t.Fatalf("hash %d out of range or unstable", a)
	}
	seen := map[int64]bool{}
	for _, k := range []string{"/a", "/b", "/c", "/d", "/e", "/f", "/g", "/h"} {
		seen[h(k, 0, 0, 1023)] = true
	}
	if len(seen) < 6 {
		t.Fatalf("poor spread: %v", seen)
	}
	if h("/x", 1, 0, 1<<40) == h("/x", 2, 0, 1<<40) {
		t.Fatal("seed ignored")
	}
	if got := h("/x", 0, 5, 5); got != 5 {
		t.Fatalf("single-value range = %d", got)
	}
	if _, err := call(t, env, "fastly.hash", vs("/x"), vi(0), vi(10), vi(1)); err == nil {
		t.Fatal("inverted range accepted")
	}
}

func TestTrySelectShield(t *testing.T) {
	got := callOK(t, newEnv(), "fastly.try_select_shield", value.Backend("ssl_shield_iad_va_us"), value.Backend("F_origin"))
	if got != value.Backend("F_origin") {
		t.Fatalf("got %+v, want the fallback", got)
	}
}

// TestFastlyFFLastHopWasServiceID checks the simulator's reading of the
// Fastly-FF request header.
func TestFastlyFFLastHopWasServiceID(t *testing.T) {
	const fn = "fastly.ff.last_hop_was_serviceid"
	const id = "SU1Z0isxPaozGVKXdv0eY"
	cases := []struct {
		name  string
		ff    []string // Fastly-FF header lines on req; nil for none
		noReq bool     // the environment has no req headers at all
		arg   value.Value
		want  bool
	}{
		{name: "no Fastly-FF header", arg: vs(id), want: false},
		{name: "no req object", noReq: true, arg: vs(id), want: false},
		{name: "last hop is the service", ff: []string{id + "!SIM!cache-sim1"}, arg: vs(id), want: true},
		{name: "last hop is another service", ff: []string{"Other!SIM!cache-sim1"}, arg: vs(id), want: false},
		{name: "only the last entry counts", ff: []string{id + "!SIM!cache-sim1, Other!SIM!cache-sim2"}, arg: vs(id), want: false},
		{name: "last entry of several", ff: []string{"Other!SIM!cache-sim1, " + id + "!SIM!cache-sim2"}, arg: vs(id), want: true},
		{name: "last of several header lines", ff: []string{"Other!SIM!cache-sim1", id + "!SIM!cache-sim2"}, arg: vs(id), want: true},
		{name: "trailing empty entry skipped", ff: []string{id + "!SIM!cache-sim1, "}, arg: vs(id), want: true},
		{name: "comparison is exact", ff: []string{id + "!SIM!cache-sim1"}, arg: vs("su1z0isxpaozgvkxdv0ey"), want: false},
		{name: "malformed entry", ff: []string{id}, arg: vs(id), want: false},
		{name: "real salted hash never matches", ff: []string{"qZarR/12OL0QOq4VyQPmqQ/CTp17AZv0d6cSG5nUSxU=!WDC!cache-wdc5548-WDC"}, arg: vs(id), want: false},
		{name: "empty service id", ff: []string{"!SIM!cache-sim1"}, arg: vs(""), want: false},
		{name: "not-set service id", ff: []string{"!SIM!cache-sim1"}, arg: value.NullString(), want: false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := newEnv()
			if c.noReq {
				delete(env.headers, "req")
			}
			for _, line := range c.ff {
				env.headers["req"].Add("Fastly-FF", line)
			}
			got, err := call(t, env, fn, c.arg)
			if err != nil {
				t.Fatalf("%s: %v", fn, err)
			}
			if got.Bool != c.want {
				t.Fatalf("%s(%q) with Fastly-FF %q = %v, want %v", fn, c.arg.Str, c.ff, got.Bool, c.want)
			}
		})
	}
	// The header map is read, never changed.
	env := newEnv()
	env.headers["req"] = http.Header{"Fastly-Ff": {id + "!SIM!cache-sim1"}}
	if _, err := call(t, env, fn, vs(id)); err != nil {
		t.Fatal(err)
	}
	if got := env.headers["req"].Values("Fastly-FF"); len(got) != 1 || got[0] != id+"!SIM!cache-sim1" {
		t.Fatalf("Fastly-FF changed to %q", got)
	}
}
