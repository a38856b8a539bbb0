package builtin

import (
	"reflect"
	"testing"

	"github.com/vclide/vclide/interp/value"
)

// Fastly's documented bin.* examples.
func TestBinConversions(t *testing.T) {
	runStringCases(t, []stringCase{
		{name: "hex to base64", fn: "bin.hex_to_base64", args: []value.Value{vs("009FC233")}, want: "AJ/CMw=="},
		{name: "lower-case hex", fn: "bin.hex_to_base64", args: []value.Value{vs("009fc233")}, want: "AJ/CMw=="},
		{name: "odd hex", fn: "bin.hex_to_base64", args: []value.Value{vs("009")}, notSet: true},
		{name: "not hex", fn: "bin.hex_to_base64", args: []value.Value{vs("zz")}, notSet: true},
		{name: "base64 to hex pads digits", fn: "bin.base64_to_hex", args: []value.Value{vs("AQ==")}, want: "01"},
		{name: "base64 to hex keeps NUL", fn: "bin.base64_to_hex", args: []value.Value{vs("AJ/CMw==")}, want: "009FC233"},
		{name: "non-alphabet gives not set", fn: "bin.base64_to_hex", args: []value.Value{vs("YWJ%jZA==")}, notSet: true},
		{name: "empty gives empty", fn: "bin.base64_to_hex", args: []value.Value{vs("")}, want: ""},
		{name: "not set gives empty", fn: "bin.base64_to_hex", args: []value.Value{value.NullString()}, want: ""},
	})
	env := newEnv()
	callOK(t, env, "bin.base64_to_hex", vs("YWJ%jZA=="))
	if env.vars["fastly.error"].Str != "EINVAL" {
		t.Fatalf("fastly.error = %q, want EINVAL", env.vars["fastly.error"].Str)
	}
}

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

// effectEnv records out-of-VCL effects.
type effectEnv struct {
	*fakeEnv
	effects []string
}

func (e *effectEnv) RecordEffect(fn, detail string) { e.effects = append(e.effects, fn+": "+detail) }

func TestConnectionEffects(t *testing.T) {
	env := &effectEnv{fakeEnv: newEnv()}
	callOK(t, env, "h2.push", vs("/style.css"))
	callOK(t, env, "h2.push", vs("/app.js"), vs("script"))
	callOK(t, env, "h2.disable_header_compression", vs("Authorization"), vs("Secret"))
	callOK(t, env, "h3.alt_svc")
	callOK(t, env, "early_hints", vs("link: </hinted.js>; rel=preload"), vs("link: </hinted.css>; rel=preload"))
	callOK(t, env, "resp.tarpit", vi(5), vi(1000))
	callOK(t, env, "resp.tarpit", vi(2))
	want := []string{
		"h2.push: /style.css",
		"h2.push: /app.js as script",
		"h2.disable_header_compression: Authorization, Secret",
		"h3.alt_svc: advertise HTTP/3 on the client response",
		"early_hints: 103 Early Hints: link: </hinted.js>; rel=preload; link: </hinted.css>; rel=preload",
		"resp.tarpit: send 1000-byte chunks every 5s (responses up to 4000 bytes)",
		"resp.tarpit: send 100-byte chunks every 2s (responses up to 4000 bytes)",
	}
	if !reflect.DeepEqual(env.effects, want) {
		t.Fatalf("effects =\n%q\nwant\n%q", env.effects, want)
	}
	if len(env.headers["resp"]) != 0 {
		t.Fatal("h3.alt_svc wrote a header VCL could read")
	}
	if _, err := call(t, env, "resp.tarpit", vi(-1)); err == nil {
		t.Fatal("negative interval accepted")
	}
	if _, err := call(t, env, "resp.tarpit", vi(1), vi(0)); err == nil {
		t.Fatal("zero chunk size accepted")
	}
	// Without a recorder the calls are harmless no-ops.
	callOK(t, newEnv(), "h2.push", vs("/x"))
}

func TestTrySelectShield(t *testing.T) {
	got := callOK(t, newEnv(), "fastly.try_select_shield", value.Backend("ssl_shield_iad_va_us"), value.Backend("F_origin"))
	if got != value.Backend("F_origin") {
		t.Fatalf("got %+v, want the fallback", got)
	}
}

// Fastly's documented Set-Cookie examples.
func TestSetCookie(t *testing.T) {
	env := newEnv()
	resp := env.headers["resp"]
	resp["Set-Cookie"] = []string{"one=a; httponly; secure", "two=b or not to b; httponly", "one=last; path=/", "malformed"}
	get := func(name string) value.Value {
		t.Helper()
		return callOK(t, env, "setcookie.get_value_by_name", idv("resp"), vs(name))
	}
	if v := get("two"); v.Str != "b or not to b" {
		t.Fatalf("two = %+v", v)
	}
	if v := get("one"); v.Str != "last" {
		t.Fatalf("one = %+v, want the last cookie's value", v)
	}
	if v := get("three"); !v.NotSet {
		t.Fatalf("three = %+v, want not set", v)
	}

	if !callOK(t, env, "setcookie.delete_by_name", idv("resp"), vs("one")).Bool {
		t.Fatal("delete one = false")
	}
	if want := []string{"two=b or not to b; httponly", "malformed"}; !reflect.DeepEqual(resp["Set-Cookie"], want) {
		t.Fatalf("after delete: %q", resp["Set-Cookie"])
	}
	if callOK(t, env, "setcookie.delete_by_name", idv("resp"), vs("one")).Bool {
		t.Fatal("second delete = true")
	}

	// Documented: set beresp.http.Set-Cookie = "foo=bar"; delete → true.
	env.headers["beresp"].Set("Set-Cookie", "foo=bar")
	if !callOK(t, env, "setcookie.delete_by_name", idv("beresp"), vs("foo")).Bool {
		t.Fatal("delete foo = false")
	}
	if _, ok := env.headers["beresp"]["Set-Cookie"]; ok {
		t.Fatal("empty Set-Cookie header left behind")
	}
}

// Every builtin of this group is registered, and every name argument it
// declares is in NameArgs.
func TestGroupBRegistered(t *testing.T) {
	names := []string{
		"accept.charset_lookup", "accept.encoding_lookup", "accept.language_filter_basic", "accept.language_lookup", "accept.media_lookup",
		"bin.base64_to_hex", "bin.hex_to_base64",
		"crypto.decrypt_base64", "crypto.decrypt_hex", "crypto.encrypt_base64", "crypto.encrypt_hex",
		"digest.awsv4_hmac", "digest.base64", "digest.base64_decode", "digest.base64url", "digest.base64url_decode",
		"digest.base64url_nopad", "digest.base64url_nopad_decode", "digest.ecdsa_verify", "digest.hash_crc32", "digest.hash_crc32b",
		"digest.hash_md5", "digest.hash_sha1", "digest.hash_sha1_from_base64", "digest.hash_sha224", "digest.hash_sha256",
		"digest.hash_sha256_from_base64", "digest.hash_sha384", "digest.hash_sha512", "digest.hash_sha512_from_base64",
		"digest.hash_xxh32", "digest.hash_xxh32_from_base64", "digest.hash_xxh64", "digest.hash_xxh64_from_base64",
		"digest.hmac_md5", "digest.hmac_md5_base64", "digest.hmac_sha1", "digest.hmac_sha1_base64", "digest.hmac_sha256",
		"digest.hmac_sha256_base64", "digest.hmac_sha512", "digest.hmac_sha512_base64", "digest.rsa_verify",
		"digest.secure_is_equal", "digest.time_hmac_md5", "digest.time_hmac_sha1", "digest.time_hmac_sha256", "digest.time_hmac_sha512",
		"early_hints", "fastly.hash", "fastly.try_select_shield", "h2.disable_header_compression", "h2.push", "h3.alt_svc",
		"header.filter", "header.filter_except", "header.get", "header.set", "header.unset",
		"querystring.add", "querystring.clean", "querystring.filter", "querystring.filter_except", "querystring.filtersep",
		"querystring.get", "querystring.globfilter", "querystring.globfilter_except", "querystring.regfilter",
		"querystring.regfilter_except", "querystring.remove", "querystring.set", "querystring.sort",
		"ratelimit.check_rate", "ratelimit.check_rates", "ratelimit.penaltybox_add", "ratelimit.penaltybox_has", "ratelimit.ratecounter_increment",
		"resp.tarpit", "setcookie.delete_by_name", "setcookie.get_value_by_name",
		"table.contains", "table.lookup", "table.lookup_acl", "table.lookup_backend", "table.lookup_bool", "table.lookup_float",
		"table.lookup_integer", "table.lookup_ip", "table.lookup_regex", "table.lookup_rtime",
		"uuid.dns", "uuid.is_valid", "uuid.is_version3", "uuid.is_version4", "uuid.is_version5", "uuid.is_version7",
		"uuid.oid", "uuid.url", "uuid.version3", "uuid.version4", "uuid.version5", "uuid.version7", "uuid.x500",
	}
	if len(names) != 103 {
		t.Fatalf("list has %d names", len(names))
	}
	for _, n := range names {
		if _, ok := Lookup(n); !ok {
			t.Errorf("%s is not registered", n)
		}
	}
	for fn, idx := range nameArgsB {
		if _, ok := Lookup(fn); !ok {
			t.Errorf("NameArgs entry for unregistered %s", fn)
		}
		if !reflect.DeepEqual(NameArgs[fn], idx) {
			t.Errorf("NameArgs[%s] = %v, want %v", fn, NameArgs[fn], idx)
		}
	}
}
