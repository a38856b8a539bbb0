package builtin

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"hash"

	"github.com/vclide/vclide/interp/value"
)

// This file implements the uuid.* builtins (RFC 4122 / RFC 9562). Random
// bits come from Env.Rand and timestamps from Env.Now, so runs are
// reproducible.

// The RFC 4122 namespace identifiers returned by uuid.dns, uuid.url,
// uuid.oid and uuid.x500.
const (
	uuidNamespaceDNS  = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
	uuidNamespaceURL  = "6ba7b811-9dad-11d1-80b4-00c04fd430c8"
	uuidNamespaceOID  = "6ba7b812-9dad-11d1-80b4-00c04fd430c8"
	uuidNamespaceX500 = "6ba7b814-9dad-11d1-80b4-00c04fd430c8"
)

// parseUUID parses the canonical 36-character textual form (hex digits of
// either case, hyphens at positions 8, 13, 18 and 23).
func parseUUID(s string) ([16]byte, bool) {
	var u [16]byte
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, false
	}
	digits := s[:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	if _, err := hex.Decode(u[:], []byte(digits)); err != nil {
		return u, false
	}
	return u, true
}

// formatUUID renders u in the canonical lower-case form.
func formatUUID(u [16]byte) string {
	h := hex.EncodeToString(u[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// stampUUID sets the version nibble and the RFC 4122 variant bits.
func stampUUID(u *[16]byte, version byte) {
	u[6] = u[6]&0x0f | version<<4
	u[8] = u[8]&0x3f | 0x80
}

// isRFC4122 reports whether u carries the RFC 4122 variant (binary 10).
func isRFC4122(u [16]byte) bool { return u[8]&0xc0 == 0x80 }

// uuidVersion returns the version nibble of u.
func uuidVersion(u [16]byte) byte { return u[6] >> 4 }

// nameUUIDFunc builds uuid.version3 (MD5) and uuid.version5 (SHA-1): the
// hash of the namespace's 16 bytes followed by the name (cut at its first
// NUL, as Fastly documents). A namespace that is not a UUID yields not set
// and fastly.error EINVAL.
func nameUUIDFunc(newHash func() hash.Hash, version byte) Func {
	return func(env Env, args []value.Value) (value.Value, error) {
		ns, ok := parseUUID(argStr(args, 0))
		if !ok {
			setFastlyErr(env, "EINVAL")
			return value.NullString(), nil
		}
		h := newHash()
		h.Write(ns[:])
		h.Write([]byte(truncateAtNUL(argStr(args, 1))))
		var u [16]byte
		copy(u[:], h.Sum(nil))
		stampUUID(&u, version)
		return value.String(formatUUID(u)), nil
	}
}

// uuidVersion4 implements uuid.version4: 122 random bits.
func uuidVersion4(env Env, a []value.Value) (value.Value, error) {
	var u [16]byte
	env.Rand().Read(u[:])
	stampUUID(&u, 4)
	return value.String(formatUUID(u)), nil
}

// uuidVersion7 implements uuid.version7: a 48-bit big-endian Unix time in
// milliseconds followed by random bits. With the request clock fixed within
// a subroutine, successive calls share the timestamp and differ in the
// random bits, as Fastly documents.
func uuidVersion7(env Env, a []value.Value) (value.Value, error) {
	var u [16]byte
	env.Rand().Read(u[6:])
	var ms [8]byte
	binary.BigEndian.PutUint64(ms[:], uint64(env.Now().UnixMilli()))
	copy(u[:6], ms[2:])
	stampUUID(&u, 7)
	return value.String(formatUUID(u)), nil
}

// uuidIsValid implements uuid.is_valid: the canonical textual form of the
// nil UUID or of an RFC 4122 variant UUID of a defined version (1 to 8).
func uuidIsValid(env Env, a []value.Value) (value.Value, error) {
	u, ok := parseUUID(argStr(a, 0))
	if !ok {
		return value.Bool(false), nil
	}
	if u == [16]byte{} {
		return value.Bool(true), nil
	}
	v := uuidVersion(u)
	return value.Bool(isRFC4122(u) && v >= 1 && v <= 8), nil
}

// uuidIsVersionFunc builds uuid.is_version3/4/5/7: a valid RFC 4122 variant
// UUID of exactly that version.
func uuidIsVersionFunc(version byte) Func {
	return func(env Env, a []value.Value) (value.Value, error) {
		u, ok := parseUUID(argStr(a, 0))
		return value.Bool(ok && isRFC4122(u) && uuidVersion(u) == version), nil
	}
}

// uuidConstant builds a builtin returning the fixed namespace string s.
func uuidConstant(s string) Func {
	return func(env Env, a []value.Value) (value.Value, error) { return value.String(s), nil }
}

func init() {
	register("uuid.dns", uuidConstant(uuidNamespaceDNS))
	register("uuid.url", uuidConstant(uuidNamespaceURL))
	register("uuid.oid", uuidConstant(uuidNamespaceOID))
	register("uuid.x500", uuidConstant(uuidNamespaceX500))
	register("uuid.version3", nameUUIDFunc(md5.New, 3))
	register("uuid.version4", uuidVersion4)
	register("uuid.version5", nameUUIDFunc(sha1.New, 5))
	register("uuid.version7", uuidVersion7)
	register("uuid.is_valid", uuidIsValid)
	register("uuid.is_version3", uuidIsVersionFunc(3))
	register("uuid.is_version4", uuidIsVersionFunc(4))
	register("uuid.is_version5", uuidIsVersionFunc(5))
	register("uuid.is_version7", uuidIsVersionFunc(7))
}
