package builtin

import (
	"testing"

	"github.com/vclide/vclide/interp/value"
)

// stringCase is one call of a STRING-returning builtin and its expected
// result; notSet expects a not-set STRING.
type stringCase struct {
	name   string
	fn     string
	args   []value.Value
	want   string
	notSet bool
}

// runStringCases calls each case against a fresh fakeEnv.
func runStringCases(t *testing.T, cases []stringCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := call(t, newEnv(), c.fn, c.args...)
			if err != nil {
				t.Fatalf("%s: unexpected error %v", c.fn, err)
			}
			if c.notSet {
				if !got.NotSet {
					t.Fatalf("%s = %q, want not set", c.fn, got.Str)
				}
				return
			}
			if got.NotSet || got.Str != c.want {
				t.Fatalf("%s = %q (not set %v), want %q", c.fn, got.Str, got.NotSet, c.want)
			}
		})
	}
}

// Fastly's documented examples for the hash functions.
func TestDigestHashes(t *testing.T) {
	runStringCases(t, []stringCase{
		{name: "md5", fn: "digest.hash_md5", args: []value.Value{vs("123456789")}, want: "25f9e794323b453885f5181f1b624d0b"},
		{name: "sha1", fn: "digest.hash_sha1", args: []value.Value{vs("123456789")}, want: "f7c3bc1d808e04732adf679965ccc34ca7ae3441"},
		{name: "sha224", fn: "digest.hash_sha224", args: []value.Value{vs("123456789")}, want: "9b3e61bf29f17c75572fae2e86e17809a4513d07c8a18152acf34521"},
		{name: "sha256", fn: "digest.hash_sha256", args: []value.Value{vs("123456789")}, want: "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225"},
		{name: "sha384", fn: "digest.hash_sha384", args: []value.Value{vs("123456789")}, want: "eb455d56d2c1a69de64e832011f3393d45f3fa31d6842f21af92d2fe469c499da5e3179847334a18479c8d1dedea1be3"},
		{name: "sha512 check value", fn: "digest.hash_sha512", args: []value.Value{vs("123456789")}, want: "d9e6762dd1c8eaf6d61b3c6192fc408d4d6d5f1176d0c29169bc24e71c3f274ad27fcd5811b313d681f7e55ec02d73d499c95455b6b5bb503acf574fba8ffe85"},
		{name: "sha1 from base64", fn: "digest.hash_sha1_from_base64", args: []value.Value{vs("SGVsbG8sIHdvcmxkIQo=")}, want: "09fac8dbfd27bd9b4d23a00eb648aa751789536d"},
		{name: "sha256 from base64", fn: "digest.hash_sha256_from_base64", args: []value.Value{vs("SGVsbG8sIHdvcmxkIQo=")}, want: "d9014c4624844aa5bac314773d6b689ad467fa4e1d1a50a1b8a99d5a95f72ff5"},
		{name: "sha512 from base64", fn: "digest.hash_sha512_from_base64", args: []value.Value{vs("SGVsbG8sIHdvcmxkIQo=")}, want: "09e1e2a84c92b56c8280f4a1203c7cffd61b162cfe987278d4d6be9afbf38c0e8934cdadf83751f4e99d111352bffefc958e5a4852c8a7a29c95742ce59288a8"},
		{name: "crc32 is CRC-32/BZIP2", fn: "digest.hash_crc32", args: []value.Value{vs("123456789")}, want: "181989fc"},
		{name: "crc32b is PKZip CRC-32", fn: "digest.hash_crc32b", args: []value.Value{vs("123456789")}, want: "2639f4cb"},
		{name: "xxh32", fn: "digest.hash_xxh32", args: []value.Value{vs("abc")}, want: "32d153ff"},
		{name: "xxh32 from base64", fn: "digest.hash_xxh32_from_base64", args: []value.Value{vs("YWJj")}, want: "32d153ff"},
		{name: "xxh64", fn: "digest.hash_xxh64", args: []value.Value{vs("abc")}, want: "44bc2cf5ad770999"},
		{name: "xxh64 from base64", fn: "digest.hash_xxh64_from_base64", args: []value.Value{vs("YWJj")}, want: "44bc2cf5ad770999"},
		{name: "xxh32 empty", fn: "digest.hash_xxh32", args: []value.Value{vs("")}, want: "02cc5d05"},
		{name: "xxh64 empty", fn: "digest.hash_xxh64", args: []value.Value{vs("")}, want: "ef46db3751d8e999"},
		{name: "xxh32 long input", fn: "digest.hash_xxh32", args: []value.Value{vs("Nobody inspects the spammish repetition")}, want: "e2293b2f"},
		{name: "xxh64 long input", fn: "digest.hash_xxh64", args: []value.Value{vs("Nobody inspects the spammish repetition")}, want: "fbcea83c8a378bf1"},
	})
}

// Fastly's documented examples for the HMAC functions.
func TestDigestHMAC(t *testing.T) {
	ki := []value.Value{vs("key"), vs("input")}
	runStringCases(t, []stringCase{
		{name: "hmac_md5", fn: "digest.hmac_md5", args: ki, want: "0x719fc75bae9004d9e842a4b15b828c06"},
		{name: "hmac_md5_base64", fn: "digest.hmac_md5_base64", args: ki, want: "cZ/HW66QBNnoQqSxW4KMBg=="},
		{name: "hmac_sha1", fn: "digest.hmac_sha1", args: ki, want: "0x8513bb355076cce2ae5eb9f399ab5cafdba7c8a2"},
		{name: "hmac_sha1_base64", fn: "digest.hmac_sha1_base64", args: ki, want: "hRO7NVB2zOKuXrnzmatcr9unyKI="},
		{name: "hmac_sha256", fn: "digest.hmac_sha256", args: []value.Value{vs("secret-key"), vs("hello world")}, want: "0x095d5a21fe6d0646db223fdf3de6436bb8dfb2fab0b51677ecf6441fcf5f2a67"},
		{name: "hmac_sha256_base64", fn: "digest.hmac_sha256_base64", args: ki, want: "ngiewTr4gaisInpzbD58SQ6jtK/KDF+D3/Y5O2g6cuM="},
		{name: "hmac_sha512", fn: "digest.hmac_sha512", args: ki, want: "0x03ad77c817f32669cccf38dac915d4e55a16833b1ca685979a9df521a05235978090043c3da402dad365ed39ac05af4864a804451861f4b4df7680834c6d4f95"},
		{name: "hmac_sha512_base64", fn: "digest.hmac_sha512_base64", args: ki, want: "A613yBfzJmnMzzjayRXU5VoWgzscpoWXmp31IaBSNZeAkAQ8PaQC2tNl7TmsBa9IZKgERRhh9LTfdoCDTG1PlQ=="},
		{name: "empty key is not set", fn: "digest.hmac_sha256", args: []value.Value{vs(""), vs("input")}, notSet: true},
		{name: "not-set key is not set", fn: "digest.hmac_sha1_base64", args: []value.Value{value.NullString(), vs("input")}, notSet: true},
		// AWS's published signing-key example derives f4780e2d...; this signs "hello" with it.
		{name: "awsv4", fn: "digest.awsv4_hmac", args: []value.Value{vs("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), vs("20120215"), vs("us-east-1"), vs("iam"), vs("hello")}, want: "bce4f9ae344703e7c93781b5206338e5fe916ba30964e71e70af62924e39ba09"},
	})
}

// The time-based HMACs hash (now / interval) + offset as a little-endian
// 64-bit integer with the Base64-decoded key; fakeNow is Unix 1717504496.
func TestDigestTimeHMAC(t *testing.T) {
	key := vs("c2VjcmV0") // digest.base64("secret"), as in Fastly's examples
	runStringCases(t, []stringCase{
		{name: "sha1 current bucket", fn: "digest.time_hmac_sha1", args: []value.Value{key, vi(60), vi(0)}, want: "HqG2TkX01HKDevG7YtPAwBiom9k="},
		{name: "sha1 previous bucket", fn: "digest.time_hmac_sha1", args: []value.Value{key, vi(60), vi(-1)}, want: "LupALMdRFiznJYSK0XdL2Rrk8lI="},
		{name: "sha1 next bucket", fn: "digest.time_hmac_sha1", args: []value.Value{key, vi(60), vi(1)}, want: "RG3335QlFoN5wkotVU3TEW3JJ9I="},
		{name: "md5", fn: "digest.time_hmac_md5", args: []value.Value{key, vi(60), vi(0)}, want: "hu6mt4G47gpOO6dKp++R0Q=="},
		{name: "sha256", fn: "digest.time_hmac_sha256", args: []value.Value{key, vi(60), vi(0)}, want: "7BrlQLHSOhwCh8TwybC9/StyjxOBvkG6H9A7D67iP+o="},
		{name: "sha512", fn: "digest.time_hmac_sha512", args: []value.Value{key, vi(60), vi(1)}, want: "1v9WfkK/KsHgXCb+M956I4oKD4zaI0xzeK6dTZm+KCcaIgQeJ/jjPSiuOIhRx6pCEqeIDVPqe7yzePY5HLDwsA=="},
		{name: "zero interval", fn: "digest.time_hmac_sha1", args: []value.Value{key, vi(0), vi(0)}, notSet: true},
	})
	env := newEnv()
	if _, err := call(t, env, "digest.time_hmac_sha256", key, vi(-5), vi(0)); err != nil {
		t.Fatal(err)
	}
	if env.vars["fastly.error"].Str != "EINVAL" {
		t.Fatalf("fastly.error = %q, want EINVAL", env.vars["fastly.error"].Str)
	}
}

// Fastly's documented Base64 examples, including the lenient decoding rules.
func TestDigestBase64(t *testing.T) {
	const greek = "Καλώς ορίσατε"
	runStringCases(t, []stringCase{
		{name: "encode", fn: "digest.base64", args: []value.Value{vs(greek)}, want: "zprOsc67z47PgiDOv8+Bzq/Pg86xz4TOtQ=="},
		{name: "encode url", fn: "digest.base64url", args: []value.Value{vs(greek)}, want: "zprOsc67z47PgiDOv8-Bzq_Pg86xz4TOtQ=="},
		{name: "encode url nopad", fn: "digest.base64url_nopad", args: []value.Value{vs(greek)}, want: "zprOsc67z47PgiDOv8-Bzq_Pg86xz4TOtQ"},
		{name: "decode", fn: "digest.base64_decode", args: []value.Value{vs("zprOsc67z47PgiDOv8+Bzq/Pg86xz4TOtQ==")}, want: greek},
		{name: "decode abcd", fn: "digest.base64_decode", args: []value.Value{vs("YWJjZA==")}, want: "abcd"},
		{name: "padding stops decoding", fn: "digest.base64_decode", args: []value.Value{vs("YWJjZA=YWJ")}, want: "abcd"},
		{name: "padding optional", fn: "digest.base64_decode", args: []value.Value{vs("YWJjZA")}, want: "abcd"},
		{name: "invalid characters skipped", fn: "digest.base64_decode", args: []value.Value{vs("YW*Jj ZA==")}, want: "abcd"},
		{name: "url characters invalid in standard", fn: "digest.base64_decode", args: []value.Value{vs("-YWJj")}, want: "abc"},
		{name: "NUL truncates", fn: "digest.base64_decode", args: []value.Value{vs("YQBi")}, want: "a"},
		{name: "decode url", fn: "digest.base64url_decode", args: []value.Value{vs("zprOsc67z47PgiDOv8-Bzq_Pg86xz4TOtQ==")}, want: greek},
		{name: "decode url stops at padding", fn: "digest.base64url_decode", args: []value.Value{vs("aGVsbG8=0")}, want: "hello"},
		{name: "decode url nopad", fn: "digest.base64url_nopad_decode", args: []value.Value{vs("zprOsc67z47PgiDOv8-Bzq_Pg86xz4TOtQ")}, want: greek},
		{name: "nopad skips =", fn: "digest.base64url_nopad_decode", args: []value.Value{vs("aGVsbG8=0")}, want: "hello4"},
		{name: "empty", fn: "digest.base64_decode", args: []value.Value{vs("")}, want: ""},
	})
}

func TestDigestSecureIsEqual(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"abc", "abc", true},
		{"abc", "abd", false},
		{"abc", "abcd", false},
		{"", "", true},
	} {
		got, err := call(t, newEnv(), "digest.secure_is_equal", vs(c.a), vs(c.b))
		if err != nil || got.Bool != c.want {
			t.Errorf("secure_is_equal(%q, %q) = %v, %v; want %v", c.a, c.b, got.Bool, err, c.want)
		}
	}
}

// TestDigestHMACSHA256WithBase64Key checks the HMAC against published test
// vectors, with the key given in Base64.
func TestDigestHMACSHA256WithBase64Key(t *testing.T) {
	const fn = "digest.hmac_sha256_with_base64_key"
	runStringCases(t, []stringCase{
		// Fastly's digest.hmac_sha256 example ("secret-key", "hello
		// world") with the key Base64-encoded gives the same MAC.
		{name: "matches digest.hmac_sha256 example", fn: fn, args: []value.Value{vs("c2VjcmV0LWtleQ=="), vs("hello world")}, want: "0x095d5a21fe6d0646db223fdf3de6436bb8dfb2fab0b51677ecf6441fcf5f2a67"},
		// RFC 4231 test case 1: a 20-byte binary key of 0x0b.
		{name: "RFC 4231 case 1", fn: fn, args: []value.Value{vs("CwsLCwsLCwsLCwsLCwsLCwsLCws="), vs("Hi There")}, want: "0xb0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
		// RFC 4231 test case 2: key "Jefe".
		{name: "RFC 4231 case 2", fn: fn, args: []value.Value{vs("SmVmZQ=="), vs("what do ya want for nothing?")}, want: "0x5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
		// A key holding NUL bytes (00 ff 00 ff 10), checked with OpenSSL.
		{name: "key with NUL bytes", fn: fn, args: []value.Value{vs("AP8A/xA="), vs("hello world")}, want: "0x25f06a5960e24fb745937498000797560914f8ba36b9b4430f57978eb2b5fe80"},
		{name: "lenient key decoding", fn: fn, args: []value.Value{vs("SmVm\nZQ"), vs("what do ya want for nothing?")}, want: "0x5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
		{name: "not-set message is empty", fn: fn, args: []value.Value{vs("SmVmZQ=="), value.NullString()}, want: "0x923598ca6d64af2a5dba79dcd021a8a0fe5c5f557519adaaf0ad532d4506dd30"},
		{name: "empty key is not set", fn: fn, args: []value.Value{vs(""), vs("input")}, notSet: true},
		{name: "not-set key is not set", fn: fn, args: []value.Value{value.NullString(), vs("input")}, notSet: true},
	})
}
