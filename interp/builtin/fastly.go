package builtin

import (
	"strings"

	"github.com/vclide/vclide/interp/value"
)

func init() {
	register("fastly.hash", fastlyHash)
	register("fastly.try_select_shield", fastlyTrySelectShield)
}

// fastlyHash implements fastly.hash(key, seed, from, to): a deterministic
// hash of key mixed with seed, mapped onto [from, to] inclusive. Fastly does
// not document its hash function, so the simulator uses XXH64 seeded with
// seed: results are stable and well distributed but differ from Fastly's
// numbers.
func fastlyHash(env Env, args []value.Value) (value.Value, error) {
	from, to := argIntOrZero(args, 2), argIntOrZero(args, 3)
	if to < from {
		return value.Value{}, argError("fastly.hash", 3, "to (%d) is less than from (%d)", to, from)
	}
	h := xxh64([]byte(argStr(args, 0)), uint64(argIntOrZero(args, 1)))
	span := uint64(to-from) + 1
	if span == 0 { // the whole int64 range
		return value.Integer(int64(h)), nil
	}
	return value.Integer(from + int64(h%span)), nil
}

// fastlyTrySelectShield implements fastly.try_select_shield(shield,
// fallback). The simulator has no Fastly shield POPs, so no backend is ever a
// healthy, unvisited shield and the fallback is returned, as Fastly does for
// a director that is not a shield.
func fastlyTrySelectShield(env Env, a []value.Value) (value.Value, error) {
	if len(a) < 2 {
		return value.Value{}, argError("fastly.try_select_shield", 1, "fallback backend missing")
	}
	return value.Backend(a[1].Str), nil
}

func init() {
	register("fastly.ff.last_hop_was_serviceid", fastlyFFLastHopWasServiceID)
}

// fastlyFFLastHopWasServiceID implements
// fastly.ff.last_hop_was_serviceid(service_id): whether the Fastly server
// that forwarded this request ran the given service.
//
// Fastly does not document the function. What it documents is the Fastly-FF
// request header it is derived from: a comma-separated list with one
// "{serviceIDHash}!{dataCenter}!{server}" entry per Fastly server the request
// passed through, the newest last, where serviceIDHash is a salted hash of
// the service ID. The simulator is a single Fastly server with no Fastly hop
// before it and cannot compute Fastly's salted hash, so:
//
//   - without a Fastly-FF header on req (the normal case) the result is
//     false;
//   - to let tests simulate a chained or shielded request, the first field of
//     the last well-formed-looking entry ("a!b!c") is compared, exactly, with
//     service_id as if it were the service ID in clear. A header copied from
//     real traffic carries a 44-character hash, never a service ID, so it
//     still gives false, as it would on Fastly for any service that did not
//     forward the request;
//   - an empty or not-set service_id gives false.
func fastlyFFLastHopWasServiceID(env Env, a []value.Value) (value.Value, error) {
	id := argStr(a, 0)
	h := env.Headers("req")
	if id == "" || h == nil {
		return value.Bool(false), nil
	}
	entries := strings.Split(strings.Join(h.Values("Fastly-FF"), ","), ",")
	for i := len(entries) - 1; i >= 0; i-- {
		entry := strings.TrimSpace(entries[i])
		if entry == "" {
			continue
		}
		fields := strings.Split(entry, "!")
		return value.Bool(len(fields) == 3 && fields[0] == id), nil
	}
	return value.Bool(false), nil
}
