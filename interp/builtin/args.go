package builtin

import (
	"net/netip"
	"time"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/value"
)

// This file holds the helpers every builtin uses to read its arguments, the
// NameArgs table, and the fastly.error setter.

// NameArgs lists, for each builtin that acts on a variable or header rather
// than on its value, the indexes of the arguments the interpreter must pass
// as names (value.ID holding the name exactly as written, such as
// "req.http.Cookie" or "req.headers") instead of evaluating them.
//
// std.collect takes the header to combine and std.count the collection to
// count; the others take a header object, table, ratecounter, penaltybox or
// algorithm (the catalogue's ID parameters).
var NameArgs = map[string][]int{
	"std.collect":                     {0},
	"std.count":                       {0},
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

// maxStringBytes bounds the strings the simulator builds for functions such
// as std.strrep or std.strpad; Fastly fails such requests for lack of
// workspace memory, reported here as fastly.error ESESOOM.
const maxStringBytes = 1 << 20

// setFastlyErr sets fastly.error to code, as functions that report errors
// without failing the request do. An Env that cannot assign the variable is
// ignored: the function's documented result is still returned.
func setFastlyErr(env Env, code string) {
	_ = env.SetVariable("fastly.error", value.String(code))
}

// argNotSet reports whether argument i is missing or a not-set STRING or IP.
func argNotSet(a []value.Value, i int) bool { return i >= len(a) || a[i].NotSet }

// argStr returns argument i in its string form ("" when missing or not set).
func argStr(a []value.Value, i int) string {
	if i >= len(a) {
		return ""
	}
	return a[i].String()
}

// argInt returns argument i as an INTEGER.
func argInt(fn string, a []value.Value, i int) (int64, error) {
	n, err := value.ToInteger(a[i])
	if err != nil {
		return 0, argError(fn, i, "%v", err)
	}
	return n, nil
}

// argFloat returns argument i as a FLOAT.
func argFloat(fn string, a []value.Value, i int) (float64, error) {
	f, err := value.ToFloat(a[i])
	if err != nil {
		return 0, argError(fn, i, "%v", err)
	}
	return f, nil
}

// argTime returns argument i as a TIME.
func argTime(fn string, a []value.Value, i int) (time.Time, error) {
	t, err := value.ToTime(a[i])
	if err != nil {
		return time.Time{}, argError(fn, i, "%v", err)
	}
	return t, nil
}

// argDur returns argument i as an RTIME.
func argDur(fn string, a []value.Value, i int) (time.Duration, error) {
	d, err := value.ToRTime(a[i])
	if err != nil {
		return 0, argError(fn, i, "%v", err)
	}
	return d, nil
}

// argBool returns argument i as a BOOL.
func argBool(fn string, a []value.Value, i int) (bool, error) {
	b, err := value.ToBool(a[i])
	if err != nil {
		return false, argError(fn, i, "%v", err)
	}
	return b, nil
}

// argIP returns argument i as an IP; ok is false when it is not set.
func argIP(fn string, a []value.Value, i int) (ip netip.Addr, ok bool, err error) {
	v := a[i]
	if v.NotSet || (v.T == catalog.TypeIP && !v.IP.IsValid()) {
		return netip.Addr{}, false, nil
	}
	ip, err = value.ToIP(v)
	if err != nil {
		return netip.Addr{}, false, argError(fn, i, "%v", err)
	}
	return ip, true, nil
}

// argIntOrZero returns argument i as an INTEGER, 0 when it was left out or
// cannot be converted (arguments normally arrive already converted; see
// argInt for the form that reports a bad one).
func argIntOrZero(a []value.Value, i int) int64 {
	if i >= len(a) {
		return 0
	}
	if a[i].T == catalog.TypeInteger {
		return a[i].Int
	}
	n, _ := value.ToInteger(a[i])
	return n
}

// argBoolOrFalse returns argument i as a BOOL, false when it was left out or
// cannot be converted.
func argBoolOrFalse(a []value.Value, i int) bool {
	if i >= len(a) {
		return false
	}
	if a[i].T == catalog.TypeBool {
		return a[i].Bool
	}
	b, _ := value.ToBool(a[i])
	return b
}
