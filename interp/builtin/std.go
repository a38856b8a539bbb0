package builtin

import (
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"

	"github.com/vclide/vclide/interp/value"
)

// This file implements the std.* number and address conversions, std.collect,
// std.count, std.basename and std.dirname. The std.* string functions are in
// strings.go and std.time and std.integer2time in time.go.

func init() {
	register("std.atoi", stdAtoi)
	register("std.atof", stdAtof)
	register("std.strtol", stdStrtol)
	register("std.strtof", stdStrtof)
	register("std.itoa", stdItoa)
	register("std.itoa_charset", stdItoaCharset)
	register("std.str2ip", stdStr2ip)
	register("std.ip", stdStr2ip)
	register("std.anystr2ip", stdAnystr2ip)
	register("std.ip2str", stdIP2str)
	register("std.collect", stdCollect)
	register("std.count", stdCount)
	register("std.basename", stdBasename)
	register("std.dirname", stdDirname)
}

// parseStrtol follows C strtol: leading white space and trailing characters
// are ignored; base 0 detects a 0x (hex) or 0 (octal) prefix; base 16 accepts
// an optional 0x prefix. It returns the value, whether any digit was read and
// whether the value overflowed (then it is clamped, as strtol does).
func parseStrtol(s string, base int) (n int64, ok, overflow bool) {
	i := 0
	for i < len(s) && strings.IndexByte(" \t\n\v\f\r", s[i]) >= 0 {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	hasHexPrefix := i+1 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && i+2 < len(s) && digitVal(s[i+2]) < 16
	switch {
	case base == 0 && hasHexPrefix:
		base, i = 16, i+2
	case base == 0 && i < len(s) && s[i] == '0':
		base = 8
	case base == 0:
		base = 10
	case base == 16 && hasHexPrefix:
		i += 2
	}
	var mag uint64
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	for ; i < len(s); i++ {
		d := digitVal(s[i])
		if d >= base {
			break
		}
		ok = true
		if !overflow {
			if mag > (limit-uint64(d))/uint64(base) {
				overflow = true
			} else {
				mag = mag*uint64(base) + uint64(d)
			}
		}
	}
	switch {
	case overflow && neg:
		return math.MinInt64, ok, true
	case overflow:
		return math.MaxInt64, ok, true
	case neg:
		return -int64(mag), ok, false
	}
	return int64(mag), ok, false
}

// digitVal is the value of an alphanumeric digit in bases up to 36 (99 for
// anything else).
func digitVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'z':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		return int(c-'A') + 10
	}
	return 99
}

// strtol is std.strtol's behaviour. A base outside 2..36 (other than 0) or an
// overflowing value sets fastly.error to ERANGE. A string with no digits
// gives 0; the function page says EPARSENUM is set, but the fastly.error
// reference notes that EPARSENUM is "currently not possible", so none is set.
func strtol(env Env, s string, base int64) value.Value {
	if base != 0 && (base < 2 || base > 36) {
		setFastlyErr(env, "ERANGE")
		return value.Integer(0)
	}
	n, _, overflow := parseStrtol(s, int(base))
	if overflow {
		setFastlyErr(env, "ERANGE")
	}
	return value.Integer(n)
}

// stdStrtol implements std.strtol(s, base).
func stdStrtol(env Env, a []value.Value) (value.Value, error) {
	base, err := argInt("std.strtol", a, 1)
	if err != nil {
		return value.Value{}, err
	}
	return strtol(env, argStr(a, 0), base), nil
}

// stdAtoi implements std.atoi: std.strtol with base 10.
func stdAtoi(env Env, a []value.Value) (value.Value, error) {
	return strtol(env, argStr(a, 0), 10), nil
}

// isFloatSyntax reports whether s is a VCL FLOAT literal in the given base
// (10 or 16), with an optional leading minus sign (reference: types/float).
func isFloatSyntax(s string, base int) bool {
	s = strings.TrimPrefix(s, "-")
	digits := func(s string, hex bool) (int, bool) {
		n := 0
		for n < len(s) && (s[n] >= '0' && s[n] <= '9' || hex && digitVal(s[n]) < 16) {
			n++
		}
		return n, n > 0
	}
	hex := base == 16
	expMark := "eE"
	if hex {
		if !strings.HasPrefix(s, "0x") && !strings.HasPrefix(s, "0X") {
			return false
		}
		s = s[2:]
		expMark = "pP"
	}
	n, ok := digits(s, hex)
	if !ok {
		return false
	}
	s = s[n:]
	if strings.HasPrefix(s, ".") {
		n, ok = digits(s[1:], hex)
		if !ok {
			return false
		}
		s = s[1+n:]
	}
	if s != "" && strings.IndexByte(expMark, s[0]) >= 0 {
		s = s[1:]
		if s != "" && (s[0] == '+' || s[0] == '-') {
			s = s[1:]
		}
		n, ok = digits(s, false)
		if !ok {
			return false
		}
		s = s[n:]
	}
	return s == ""
}

// strtof is std.strtof's behaviour: the whole string must be a FLOAT literal
// of the base (0 detects a 0x prefix; 10 forbids it and 16 requires it), or
// one of NaN, inf, +inf and -inf (case sensitive); no white space is allowed
// (reference: functions/strings/std-strtof). On error fastly.error is set
// (EPARSENUM for bad syntax, ERANGE for an unsupported base or an overflow,
// unverified codes) and 0 is returned.
func strtof(env Env, s string, base int64) value.Value {
	switch s {
	case "NaN":
		return value.Float(math.NaN())
	case "inf", "+inf":
		return value.Float(math.Inf(1))
	case "-inf":
		return value.Float(math.Inf(-1))
	}
	hexPrefix := strings.HasPrefix(strings.TrimPrefix(s, "-"), "0x") || strings.HasPrefix(strings.TrimPrefix(s, "-"), "0X")
	switch base {
	case 0:
		base = 10
		if hexPrefix {
			base = 16
		}
	case 10, 16:
	default:
		setFastlyErr(env, "ERANGE")
		return value.Float(0)
	}
	if !isFloatSyntax(s, int(base)) {
		setFastlyErr(env, "EPARSENUM")
		return value.Float(0)
	}
	lit := s
	if base == 16 && !strings.ContainsAny(s, "pP") {
		lit += "p0" // Go requires a binary exponent in hex floats
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		setFastlyErr(env, "ERANGE")
	}
	return value.Float(f)
}

// stdStrtof implements std.strtof(s, base).
func stdStrtof(env Env, a []value.Value) (value.Value, error) {
	base, err := argInt("std.strtof", a, 1)
	if err != nil {
		return value.Value{}, err
	}
	return strtof(env, argStr(a, 0), base), nil
}

// stdAtof implements std.atof: std.strtof with base 10.
func stdAtof(env Env, a []value.Value) (value.Value, error) {
	return strtof(env, argStr(a, 0), 10), nil
}

// stdItoa implements std.itoa(value[, base]): the integer in base 2 to 36
// (default 10) with lower-case digits and no prefix; another base sets
// fastly.error to EINVAL and returns not set.
func stdItoa(env Env, a []value.Value) (value.Value, error) {
	n, err := argInt("std.itoa", a, 0)
	if err != nil {
		return value.Value{}, err
	}
	base := int64(10)
	if len(a) == 2 {
		if base, err = argInt("std.itoa", a, 1); err != nil {
			return value.Value{}, err
		}
	}
	if base < 2 || base > 36 {
		setFastlyErr(env, "EINVAL")
		return value.NullString(), nil
	}
	return value.String(strconv.FormatInt(n, int(base))), nil
}

// stdItoaCharset implements std.itoa_charset(value, charset): the integer
// written with the bytes of charset as digits, the charset's length being the
// base. A charset that is not set or shorter than two characters sets
// fastly.error to EINVAL and returns not set. A negative value is written
// with a leading "-" (unverified).
func stdItoaCharset(env Env, a []value.Value) (value.Value, error) {
	n, err := argInt("std.itoa_charset", a, 0)
	if err != nil {
		return value.Value{}, err
	}
	cs := argStr(a, 1)
	if argNotSet(a, 1) || len(cs) < 2 {
		setFastlyErr(env, "EINVAL")
		return value.NullString(), nil
	}
	base := uint64(len(cs))
	mag := uint64(n)
	if n < 0 {
		mag = -mag
	}
	var out []byte
	for {
		out = append(out, cs[mag%base])
		mag /= base
		if mag == 0 {
			break
		}
	}
	if n < 0 {
		out = append(out, '-')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return value.String(string(out)), nil
}

// parseNumericIP accepts a numeric IPv4 or IPv6 address in standard form
// (no zone, no host names).
func parseNumericIP(s string) (netip.Addr, bool) {
	ip, err := netip.ParseAddr(s)
	if err != nil || ip.Zone() != "" {
		return netip.Addr{}, false
	}
	return ip, true
}

// ipWithFallback returns the address in a[0] parsed by parse, or else the
// fallback a[1] in standard form. An unusable fallback is an error (Fastly
// rejects it when compiling).
func ipWithFallback(fn string, a []value.Value, parse func(string) (netip.Addr, bool)) (value.Value, error) {
	if !argNotSet(a, 0) {
		if ip, ok := parse(argStr(a, 0)); ok {
			return value.IP(ip), nil
		}
	}
	ip, ok := parseNumericIP(argStr(a, 1))
	if !ok {
		return value.Value{}, argError(fn, 1, "fallback %q is not an IP address", argStr(a, 1))
	}
	return value.IP(ip), nil
}

// stdStr2ip implements std.str2ip(addr, fallback) and its alias std.ip: addr
// as an IPv4 or IPv6 address in standard numeric form, or fallback.
func stdStr2ip(env Env, a []value.Value) (value.Value, error) {
	return ipWithFallback("std.str2ip", a, parseNumericIP)
}

// parseAnyIPv4 parses the inet_aton forms: one to four numbers separated by
// dots, each decimal, octal (leading 0) or hexadecimal (0x), the last one
// filling the remaining bytes (reference: std.anystr2ip, "0x8.010.2056" is
// 8.8.8.8).
func parseAnyIPv4(s string) (netip.Addr, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		base := 10
		switch {
		case len(p) > 2 && (p[:2] == "0x" || p[:2] == "0X"):
			base, p = 16, p[2:]
		case len(p) > 1 && p[0] == '0':
			base, p = 8, p[1:]
		}
		n, err := strconv.ParseUint(p, base, 32)
		if err != nil || p == "" || p[0] == '+' {
			return netip.Addr{}, false
		}
		nums[i] = n
	}
	var b [4]byte
	for i := 0; i < len(nums)-1; i++ {
		if nums[i] > 255 {
			return netip.Addr{}, false
		}
		b[i] = byte(nums[i])
	}
	last := nums[len(nums)-1]
	rest := 4 - (len(nums) - 1)
	if rest < 4 && last >= 1<<(8*uint(rest)) {
		return netip.Addr{}, false
	}
	for i := 3; i >= len(nums)-1; i-- {
		b[i] = byte(last)
		last >>= 8
	}
	return netip.AddrFrom4(b), true
}

// stdAnystr2ip implements std.anystr2ip(addr, fallback): like std.str2ip but
// IPv4 addresses may use hexadecimal or octal numbers and fewer than four
// parts.
func stdAnystr2ip(env Env, a []value.Value) (value.Value, error) {
	return ipWithFallback("std.anystr2ip", a, func(s string) (netip.Addr, bool) {
		if strings.Contains(s, ":") {
			return parseNumericIP(s)
		}
		return parseAnyIPv4(s)
	})
}

// stdIP2str implements std.ip2str: the address in numeric form.
func stdIP2str(env Env, a []value.Value) (value.Value, error) {
	ip, ok, err := argIP("std.ip2str", a, 0)
	if err != nil {
		return value.Value{}, err
	}
	if !ok {
		return value.NullString(), nil
	}
	return value.String(ip.String()), nil
}

// splitHeaderName splits a header variable name such as "req.http.Cookie"
// into its object ("req") and header name ("Cookie").
func splitHeaderName(name string) (object, header string, ok bool) {
	i := strings.Index(name, ".http.")
	if i <= 0 || i+len(".http.") >= len(name) {
		return "", "", false
	}
	return name[:i], name[i+len(".http."):], true
}

// stdCollect implements std.collect(header[, separator]): it combines every
// instance of the header (its argument arrives as the name, see NameArgs)
// into one, joined by the separator (default ",") followed by a space.
func stdCollect(env Env, a []value.Value) (value.Value, error) {
	const fn = "std.collect"
	obj, name, ok := splitHeaderName(a[0].Str)
	if !ok {
		return value.Value{}, argError(fn, 0, "%q is not a header", a[0].Str)
	}
	h := env.Headers(obj)
	if h == nil {
		return value.Value{}, fmt.Errorf("%s: %s is not available in this subroutine", fn, obj)
	}
	sep := ","
	if len(a) == 2 {
		sep = argStr(a, 1)
	}
	var vals []string
	var keys []string
	for k, v := range h {
		if strings.EqualFold(k, name) {
			keys = append(keys, k)
			vals = append(vals, v...)
		}
	}
	if len(vals) <= 1 && len(keys) <= 1 {
		return value.Void(), nil
	}
	for _, k := range keys {
		delete(h, k)
	}
	h[keys[0]] = []string{strings.Join(vals, sep+" ")}
	return value.Void(), nil
}

// stdCount implements std.count(collection): the number of objects in the
// collection named by its argument (see NameArgs). The simulator counts the
// header collections req.headers, bereq.headers, beresp.headers, obj.headers
// and resp.headers (each instance of a repeated header counts); other
// collections are not supported.
func stdCount(env Env, a []value.Value) (value.Value, error) {
	const fn = "std.count"
	name := a[0].Str
	obj, ok := strings.CutSuffix(name, ".headers")
	switch {
	case !ok:
		return value.Value{}, fmt.Errorf("%s: counting %q: %w", fn, name, ErrNotSupported)
	case obj != "req" && obj != "bereq" && obj != "beresp" && obj != "obj" && obj != "resp":
		return value.Value{}, argError(fn, 0, "%q is not a collection", name)
	}
	h := env.Headers(obj)
	if h == nil {
		return value.Value{}, fmt.Errorf("%s: %s is not available in this subroutine", fn, obj)
	}
	n := 0
	for _, v := range h {
		n += len(v)
	}
	return value.Integer(int64(n)), nil
}

// trimTrailingSlashes removes trailing slashes, keeping a lone "/".
func trimTrailingSlashes(p string) string {
	t := strings.TrimRight(p, "/")
	if t == "" && p != "" {
		return "/"
	}
	return t
}

// stdBasename implements std.basename with POSIX basename semantics: "" and
// not set give ".", only slashes give "/", otherwise the last component
// ignoring trailing slashes.
func stdBasename(env Env, a []value.Value) (value.Value, error) {
	p := argStr(a, 0)
	if p == "" {
		return value.String("."), nil
	}
	p = trimTrailingSlashes(p)
	if p == "/" {
		return value.String("/"), nil
	}
	return value.String(p[strings.LastIndexByte(p, '/')+1:]), nil
}

// stdDirname implements std.dirname with POSIX dirname semantics: "" and not
// set give ".", a path without a slash gives ".", otherwise everything before
// the last component with trailing slashes removed ("/" at the root).
func stdDirname(env Env, a []value.Value) (value.Value, error) {
	p := argStr(a, 0)
	if p == "" {
		return value.String("."), nil
	}
	p = trimTrailingSlashes(p)
	if p == "/" {
		return value.String("/"), nil
	}
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return value.String("."), nil
	}
	return value.String(trimTrailingSlashes(p[:i+1])), nil
}
