package builtin

import (
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/vclide/vclide/interp/value"
)

func init() {
	register("bin.base64_to_hex", binBase64ToHex)
	register("bin.hex_to_base64", binHexToBase64)
}

// binBase64ToHex implements bin.base64_to_hex: the bytes of a standard
// Base64 string as upper-case hex, NUL bytes included. A character outside
// the alphabet (padding excepted) yields not set and fastly.error EINVAL.
func binBase64ToHex(env Env, a []value.Value) (value.Value, error) {
	s := argStr(a, 0)
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
	raw, err := hex.DecodeString(argStr(a, 0))
	if err != nil {
		setFastlyErr(env, "EINVAL")
		return value.NullString(), nil
	}
	return value.String(base64.StdEncoding.EncodeToString(raw)), nil
}
