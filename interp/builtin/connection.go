package builtin

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/value"
)

// This file holds the small helpers shared by digest.go, uuid.go,
// querystring.go, table.go, accept.go, header.go, ratelimit.go and crypto.go,
// plus the miscellaneous builtins bin.*, fastly.hash,
// fastly.try_select_shield, h2.*, h3.alt_svc, setcookie.*, early_hints and
// resp.tarpit.

// EffectRecorder is an optional interface an Env may implement to observe
// builtins whose only effect is on the client connection (HTTP/2 pushes,
// 103 Early Hints, Alt-Svc advertisement, tarpitting, header compression
// flags). Such effects happen outside VCL in Fastly, so the simulator cannot
// show them as variables; an Env that implements this interface receives a
// description of each one instead (for the debugger's event log).
type EffectRecorder interface {
	// RecordEffect notes that the builtin fn requested the given effect.
	RecordEffect(fn string, detail string)
}

// recordEffect passes an out-of-VCL effect to env when it records them.
func recordEffect(env Env, fn, detail string) {
	if r, ok := env.(EffectRecorder); ok {
		r.RecordEffect(fn, detail)
	}
}

// argList gives typed access to a builtin's evaluated arguments; a missing
// (omitted optional) argument reads as the zero value.
type argList []value.Value

// has reports whether argument i was supplied.
func (a argList) has(i int) bool { return i < len(a) }

// str returns argument i in its string form ("" when missing or not set);
// for an ID, BACKEND, ACL or REGEX argument that is the name or source.
func (a argList) str(i int) string {
	if i >= len(a) || a[i].NotSet {
		return ""
	}
	return a[i].String()
}

// notSet reports whether argument i is missing or a not-set STRING.
func (a argList) notSet(i int) bool { return i >= len(a) || a[i].NotSet }

// int returns argument i as an INTEGER (0 when missing or not
// convertible; arguments normally arrive already converted).
func (a argList) int(i int) int64 {
	if i >= len(a) {
		return 0
	}
	if a[i].T == catalog.TypeInteger {
		return a[i].Int
	}
	n, _ := value.ToInteger(a[i])
	return n
}

// bool returns argument i as a BOOL (false when missing or not
// convertible).
func (a argList) bool(i int) bool {
	if i >= len(a) {
		return false
	}
	if a[i].T == catalog.TypeBool {
		return a[i].Bool
	}
	b, _ := value.ToBool(a[i])
	return b
}

// truncateAtNUL cuts s at its first NUL byte, as Fastly does when binary
// data becomes a VCL STRING.
func truncateAtNUL(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// objectHeaders returns the live header map of the object named by an ID
// argument ("req", "resp", "obj", "bereq" or "beresp").
func objectHeaders(env Env, fn string, args argList, i int) (http.Header, error) {
	where := args.str(i)
	switch where {
	case "req", "resp", "obj", "bereq", "beresp":
	default:
		return nil, argError(fn, i, "%q is not one of req, resp, obj, bereq, beresp", where)
	}
	h := env.Headers(where)
	if h == nil {
		return nil, fmt.Errorf("%s: %s is not available in this subroutine", fn, where)
	}
	return h, nil
}

// headerValues returns the values of the header called name in h, matching
// the name case-insensitively whatever the map's key spelling.
func headerValues(h http.Header, name string) []string {
	if v, ok := h[http.CanonicalHeaderKey(name)]; ok {
		return v
	}
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// deleteHeader removes every spelling of the header called name from h.
func deleteHeader(h http.Header, name string) {
	for k := range h {
		if strings.EqualFold(k, name) {
			delete(h, k)
		}
	}
}

// nameArgsB lists the arguments of the builtins in this group of files that
// are bare identifiers naming an object, table, ratecounter, penaltybox or
// algorithm (the catalogue's ID parameters) and so must reach the builtin as
// value.ID rather than be evaluated.
var nameArgsB = map[string][]int{
	"header.get":                      {0},
	"header.set":                      {0},
	"header.unset":                    {0},
	"header.filter":                   {0},
	"header.filter_except":            {0},
	"setcookie.get_value_by_name":     {0},
	"setcookie.delete_by_name":        {0},
	"table.lookup":                    {0},
	"table.lookup_acl":                {0},
	"table.lookup_backend":            {0},
	"table.lookup_bool":               {0},
	"table.lookup_float":              {0},
	"table.lookup_integer":            {0},
	"table.lookup_ip":                 {0},
	"table.lookup_regex":              {0},
	"table.lookup_rtime":              {0},
	"table.contains":                  {0},
	"ratelimit.check_rate":            {1, 5},
	"ratelimit.check_rates":           {1, 5, 9},
	"ratelimit.ratecounter_increment": {0},
	"ratelimit.penaltybox_add":        {0},
	"ratelimit.penaltybox_has":        {0},
	"crypto.encrypt_hex":              {0, 1, 2},
	"crypto.decrypt_hex":              {0, 1, 2},
	"crypto.encrypt_base64":           {0, 1, 2},
	"crypto.decrypt_base64":           {0, 1, 2},
	"digest.rsa_verify":               {0, 4},
	"digest.ecdsa_verify":             {0, 4, 5},
}

func init() {
	for fn, idx := range nameArgsB {
		NameArgs[fn] = idx
	}
	register("bin.base64_to_hex", binBase64ToHex)
	register("bin.hex_to_base64", binHexToBase64)
	register("fastly.hash", fastlyHash)
	register("fastly.try_select_shield", fastlyTrySelectShield)
	register("h2.disable_header_compression", h2DisableHeaderCompression)
	register("h2.push", h2Push)
	register("h3.alt_svc", h3AltSvc)
	register("early_hints", earlyHints)
	register("resp.tarpit", respTarpit)
	register("setcookie.get_value_by_name", setcookieGetValueByName)
	register("setcookie.delete_by_name", setcookieDeleteByName)
}

// binBase64ToHex implements bin.base64_to_hex: the bytes of a standard
// Base64 string as upper-case hex, NUL bytes included. A character outside
// the alphabet (padding excepted) yields not set and fastly.error EINVAL.
func binBase64ToHex(env Env, a []value.Value) (value.Value, error) {
	s := argList(a).str(0)
	body := strings.TrimRight(s, "=")
	for i := 0; i < len(body); i++ {
		if b64Digit(body[i], b64Standard) < 0 {
			setFastlyErr(env, "EINVAL")
			return value.NullString(), nil
		}
	}
	raw := decodeBase64Lenient(s, b64Standard)
	return value.String(strings.ToUpper(hex.EncodeToString(raw))), nil
}

// binHexToBase64 implements bin.hex_to_base64: hex digits (either case) to
// padded standard Base64 of the same bytes. Invalid or odd-length hex yields
// not set and fastly.error EINVAL.
func binHexToBase64(env Env, a []value.Value) (value.Value, error) {
	raw, err := hex.DecodeString(argList(a).str(0))
	if err != nil {
		setFastlyErr(env, "EINVAL")
		return value.NullString(), nil
	}
	return value.String(base64.StdEncoding.EncodeToString(raw)), nil
}

// fastlyHash implements fastly.hash(key, seed, from, to): a deterministic
// hash of key mixed with seed, mapped onto [from, to] inclusive. Fastly does
// not document its hash function, so the simulator uses XXH64 seeded with
// seed: results are stable and well distributed but differ from Fastly's
// numbers.
func fastlyHash(env Env, a []value.Value) (value.Value, error) {
	args := argList(a)
	from, to := args.int(2), args.int(3)
	if to < from {
		return value.Value{}, argError("fastly.hash", 3, "to (%d) is less than from (%d)", to, from)
	}
	h := xxh64([]byte(args.str(0)), uint64(args.int(1)))
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

// h2DisableHeaderCompression implements h2.disable_header_compression: it
// only flags response headers for the HTTP/2 encoder, which the simulator
// does not run, so the call is recorded as an effect.
func h2DisableHeaderCompression(env Env, a []value.Value) (value.Value, error) {
	names := make([]string, 0, len(a))
	for i := range a {
		names = append(names, argList(a).str(i))
	}
	recordEffect(env, "h2.disable_header_compression", strings.Join(names, ", "))
	return value.Void(), nil
}

// h2Push implements h2.push(resource [, as]): the push happens on the client
// connection, outside VCL, so it is recorded as an effect.
func h2Push(env Env, a []value.Value) (value.Value, error) {
	args := argList(a)
	detail := args.str(0)
	if args.has(1) && args.str(1) != "" {
		detail += " as " + args.str(1)
	}
	recordEffect(env, "h2.push", detail)
	return value.Void(), nil
}

// h3AltSvc implements h3.alt_svc: Fastly adds an Alt-Svc header after
// vcl_deliver has finished, invisible to VCL, so it is recorded as an
// effect rather than written to resp.http.
func h3AltSvc(env Env, a []value.Value) (value.Value, error) {
	recordEffect(env, "h3.alt_svc", "advertise HTTP/3 on the client response")
	return value.Void(), nil
}

// earlyHints implements early_hints(header...): a 103 informational
// response sent on the client connection, recorded as an effect.
func earlyHints(env Env, a []value.Value) (value.Value, error) {
	lines := make([]string, 0, len(a))
	for i := range a {
		lines = append(lines, argList(a).str(i))
	}
	recordEffect(env, "early_hints", "103 Early Hints: "+strings.Join(lines, "; "))
	return value.Void(), nil
}

// respTarpit implements resp.tarpit(interval_s [, chunk_size_bytes]): it
// paces the delivery of the response body, which the simulator does not
// stream, so the pacing is validated and recorded as an effect.
func respTarpit(env Env, a []value.Value) (value.Value, error) {
	args := argList(a)
	interval := args.int(0)
	if interval < 0 {
		return value.Value{}, argError("resp.tarpit", 0, "interval %d is negative", interval)
	}
	chunk := int64(100) // the documented default
	if args.has(1) {
		chunk = args.int(1)
		if chunk <= 0 {
			return value.Value{}, argError("resp.tarpit", 1, "chunk size %d is not positive", chunk)
		}
	}
	recordEffect(env, "resp.tarpit", fmt.Sprintf("send %d-byte chunks every %ds (responses up to 4000 bytes)", chunk, interval))
	return value.Void(), nil
}

// setCookieName returns the cookie name of one Set-Cookie header value (the
// part before the first '=' of the first ';'-separated pair, trimmed as RFC
// 6265 section 5.2 describes) and its value; ok is false for a value without
// '=' or with an empty name, which a user agent ignores.
func setCookieName(line string) (name, val string, ok bool) {
	pair, _, _ := strings.Cut(line, ";")
	name, val, found := strings.Cut(pair, "=")
	name = strings.TrimSpace(name)
	if !found || name == "" {
		return "", "", false
	}
	return name, strings.TrimSpace(val), true
}

// setcookieGetValueByName implements setcookie.get_value_by_name(where,
// name): the value of the last Set-Cookie header for the cookie name, or not
// set.
func setcookieGetValueByName(env Env, a []value.Value) (value.Value, error) {
	h, err := objectHeaders(env, "setcookie.get_value_by_name", a, 0)
	if err != nil {
		return value.Value{}, err
	}
	want := argList(a).str(1)
	found, result := false, ""
	for _, line := range headerValues(h, "Set-Cookie") {
		if n, v, ok := setCookieName(line); ok && n == want {
			found, result = true, v
		}
	}
	if !found {
		return value.NullString(), nil
	}
	return value.String(result), nil
}

// setcookieDeleteByName implements setcookie.delete_by_name(where, name):
// it removes every Set-Cookie header for the cookie name and reports whether
// any was removed.
func setcookieDeleteByName(env Env, a []value.Value) (value.Value, error) {
	h, err := objectHeaders(env, "setcookie.delete_by_name", a, 0)
	if err != nil {
		return value.Value{}, err
	}
	want := argList(a).str(1)
	lines := headerValues(h, "Set-Cookie")
	kept := make([]string, 0, len(lines))
	for _, line := range lines {
		if n, _, ok := setCookieName(line); ok && n == want {
			continue
		}
		kept = append(kept, line)
	}
	if len(kept) == len(lines) {
		return value.Bool(false), nil
	}
	deleteHeader(h, "Set-Cookie")
	if len(kept) > 0 {
		h["Set-Cookie"] = kept
	}
	return value.Bool(true), nil
}
