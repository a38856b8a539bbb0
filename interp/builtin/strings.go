package builtin

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/vclide/vclide/interp/value"
)

// This file implements the std.* string functions and substr, subfield,
// urlencode, urldecode, cstr_escape, xml_escape, json.escape and utf8.*.
// Strings are byte strings, as in Fastly; only utf8.* and json.escape
// interpret UTF-8.

func init() {
	register("std.prefixof", stdPrefixof)
	register("std.suffixof", stdSuffixof)
	register("std.replace", stdReplace)
	register("std.replaceall", stdReplaceall)
	register("std.replace_prefix", stdReplacePrefix)
	register("std.replace_suffix", stdReplaceSuffix)
	register("std.strcasecmp", stdStrcasecmp)
	register("std.strlen", stdStrlen)
	register("std.strpad", stdStrpad)
	register("std.strrep", stdStrrep)
	register("std.strrev", stdStrrev)
	register("std.strstr", stdStrstr)
	register("std.tolower", stdTolower)
	register("std.toupper", stdToupper)
	register("substr", substr)
	register("subfield", subfield)
	register("urlencode", urlencode)
	register("urldecode", urldecode)
	register("cstr_escape", cstrEscape)
	register("xml_escape", xmlEscape)
	register("json.escape", jsonEscape)
	register("utf8.codepoint_count", utf8CodepointCount)
	register("utf8.is_valid", utf8IsValid)
	register("utf8.strpad", utf8Strpad)
	register("utf8.substr", utf8Substr)
}

// strFunc adapts a function of string arguments returning a string.
func strFunc(fn string, n int, f func(args []string) string) Func {
	return func(env Env, a []value.Value) (value.Value, error) {
		s := make([]string, n)
		for i := range s {
			s[i] = argStr(a, i)
		}
		return value.String(f(s)), nil
	}
}

// stdPrefixof implements std.prefixof(s, begins_with); an empty string is not
// a prefix.
func stdPrefixof(env Env, a []value.Value) (value.Value, error) {
	p := argStr(a, 1)
	return value.Bool(p != "" && strings.HasPrefix(argStr(a, 0), p)), nil
}

// stdSuffixof implements std.suffixof(s, ends_with); an empty string is not a
// suffix.
func stdSuffixof(env Env, a []value.Value) (value.Value, error) {
	p := argStr(a, 1)
	return value.Bool(p != "" && strings.HasSuffix(argStr(a, 0), p)), nil
}

// replaceFunc adapts the std.replace family: a not-set subject stays not set
// and an empty target returns the subject unchanged.
func replaceFunc(fn string, f func(s, target, repl string) string) Func {
	return func(env Env, a []value.Value) (value.Value, error) {
		if argNotSet(a, 0) {
			return value.NullString(), nil
		}
		s, target := argStr(a, 0), argStr(a, 1)
		if target == "" {
			return value.String(s), nil
		}
		return value.String(f(s, target, argStr(a, 2))), nil
	}
}

// stdReplace implements std.replace: the first occurrence of target replaced.
var stdReplace = replaceFunc("std.replace", func(s, t, r string) string {
	return strings.Replace(s, t, r, 1)
})

// stdReplaceall implements std.replaceall: every occurrence replaced, each
// search resuming after the previous replacement.
var stdReplaceall = replaceFunc("std.replaceall", func(s, t, r string) string {
	return strings.ReplaceAll(s, t, r)
})

// stdReplacePrefix implements std.replace_prefix: target replaced when s
// begins with it.
var stdReplacePrefix = replaceFunc("std.replace_prefix", func(s, t, r string) string {
	if strings.HasPrefix(s, t) {
		return r + s[len(t):]
	}
	return s
})

// stdReplaceSuffix implements std.replace_suffix: target replaced when s ends
// with it.
var stdReplaceSuffix = replaceFunc("std.replace_suffix", func(s, t, r string) string {
	if strings.HasSuffix(s, t) {
		return s[:len(s)-len(t)] + r
	}
	return s
})

// asciiLower lower-cases the ASCII letters of s, leaving other bytes alone.
func asciiLower(s string) string { return mapASCII(s, 'A', 'Z', 'a'-'A') }

// asciiUpper upper-cases the ASCII letters of s, leaving other bytes alone.
func asciiUpper(s string) string { return mapASCII(s, 'a', 'z', 'A'-'a') }

func mapASCII(s string, lo, hi byte, delta int) string {
	b := []byte(s)
	for i, c := range b {
		if c >= lo && c <= hi {
			b[i] = byte(int(c) + delta)
		}
	}
	return string(b)
}

// stdStrcasecmp implements std.strcasecmp: equality ignoring ASCII case only
// (UTF-8 letters are compared as bytes); false when either is not set.
func stdStrcasecmp(env Env, a []value.Value) (value.Value, error) {
	if argNotSet(a, 0) || argNotSet(a, 1) {
		return value.Bool(false), nil
	}
	return value.Bool(asciiLower(argStr(a, 0)) == asciiLower(argStr(a, 1))), nil
}

// stdStrlen implements std.strlen: the length in bytes.
func stdStrlen(env Env, a []value.Value) (value.Value, error) {
	return value.Integer(int64(len(argStr(a, 0)))), nil
}

// padding repeats unit until n elements are produced, cutting the last copy short.
func padding[T any](unit []T, n int) []T {
	out := make([]T, 0, n)
	for len(out) < n {
		out = append(out, unit[:min(len(unit), n-len(out))]...)
	}
	return out
}

// stdStrpad implements std.strpad(s, width, pad): s padded with repetitions
// of pad, cut short at the width in bytes; a negative width pads on the right,
// a positive one on the left; no padding when the width does not exceed the
// length of s or pad is empty.
func stdStrpad(env Env, a []value.Value) (value.Value, error) {
	const fn = "std.strpad"
	width, err := argInt(fn, a, 1)
	if err != nil {
		return value.Value{}, err
	}
	s, pad := argStr(a, 0), argStr(a, 2)
	w := absWidth(width)
	if pad == "" || w <= int64(len(s)) {
		return value.String(s), nil
	}
	if w > maxStringBytes {
		setFastlyErr(env, "ESESOOM")
		return value.NullString(), nil
	}
	p := string(padding([]byte(pad), int(w)-len(s)))
	if width < 0 {
		return value.String(s + p), nil
	}
	return value.String(p + s), nil
}

func absWidth(w int64) int64 {
	if w == math.MinInt64 {
		return math.MaxInt64
	}
	if w < 0 {
		return -w
	}
	return w
}

// stdStrrep implements std.strrep(s, n): s repeated n times (a negative n is
// zero).
func stdStrrep(env Env, a []value.Value) (value.Value, error) {
	const fn = "std.strrep"
	n, err := argInt(fn, a, 1)
	if err != nil {
		return value.Value{}, err
	}
	s := argStr(a, 0)
	if n <= 0 || s == "" {
		return value.String(""), nil
	}
	if n > maxStringBytes/int64(len(s)) {
		setFastlyErr(env, "ESESOOM")
		return value.NullString(), nil
	}
	return value.String(strings.Repeat(s, int(n))), nil
}

// stdStrrev implements std.strrev: the bytes in reverse order. A string with
// non-ASCII (UTF-8 encoded) characters is not supported by Fastly: it sets
// fastly.error to EUTF8 and the result is not set.
func stdStrrev(env Env, a []value.Value) (value.Value, error) {
	b := []byte(argStr(a, 0))
	for _, c := range b {
		if c >= 0x80 {
			setFastlyErr(env, "EUTF8")
			return value.NullString(), nil
		}
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return value.String(string(b)), nil
}

// stdStrstr implements std.strstr(haystack, needle): haystack from the first
// occurrence of needle, or not set when it does not occur.
func stdStrstr(env Env, a []value.Value) (value.Value, error) {
	if argNotSet(a, 0) {
		return value.NullString(), nil
	}
	h := argStr(a, 0)
	i := strings.Index(h, argStr(a, 1))
	if i < 0 {
		return value.NullString(), nil
	}
	return value.String(h[i:]), nil
}

// stdTolower implements std.tolower (ASCII letters only).
var stdTolower = strFunc("std.tolower", 1, func(s []string) string { return asciiLower(s[0]) })

// stdToupper implements std.toupper (ASCII letters only).
var stdToupper = strFunc("std.toupper", 1, func(s []string) string { return asciiUpper(s[0]) })

// substrRange computes the [start, end) range substr selects in a string of n
// units (bytes or code points), and whether it is "completely outside" (the
// result is then not set). A negative offset counts back from the end; a
// missing length means to the end; a negative length ends that many units
// before the end (reference: functions/strings/substr).
func substrRange(n, off int64, length *int64) (start, end int64, ok bool) {
	const lim = 1 << 40 // far beyond any string; avoids overflow
	if off > lim || off < -lim || length != nil && (*length > lim || *length < -lim) {
		return 0, 0, false
	}
	start = off
	if start < 0 {
		start += n
	}
	switch {
	case length == nil:
		end = n
	case *length < 0:
		end = n + *length
	default:
		end = start + *length
	}
	if start > n || end < 0 || end < start {
		return 0, 0, false
	}
	return max(start, 0), min(end, n), true
}

// substrArgs reads substr's offset and optional length.
func substrArgs(fn string, a []value.Value) (off int64, length *int64, err error) {
	if off, err = argInt(fn, a, 1); err != nil {
		return 0, nil, err
	}
	if len(a) == 3 {
		l, err := argInt(fn, a, 2)
		if err != nil {
			return 0, nil, err
		}
		length = &l
	}
	return off, length, nil
}

// substr implements substr(s, offset[, length]) on bytes.
func substr(env Env, a []value.Value) (value.Value, error) {
	off, length, err := substrArgs("substr", a)
	if err != nil {
		return value.Value{}, err
	}
	s := argStr(a, 0)
	start, end, ok := substrRange(int64(len(s)), off, length)
	if !ok || argNotSet(a, 0) {
		return value.NullString(), nil
	}
	return value.String(s[start:end]), nil
}

// utf8Substr implements utf8.substr: substr counting Unicode code points; a
// string that is not valid UTF-8 gives not set.
func utf8Substr(env Env, a []value.Value) (value.Value, error) {
	off, length, err := substrArgs("utf8.substr", a)
	if err != nil {
		return value.Value{}, err
	}
	s := argStr(a, 0)
	if argNotSet(a, 0) || !utf8.ValidString(s) {
		return value.NullString(), nil
	}
	r := []rune(s)
	start, end, ok := substrRange(int64(len(r)), off, length)
	if !ok {
		return value.NullString(), nil
	}
	return value.String(string(r[start:end])), nil
}

// subfield implements subfield(subject, fieldname[, separator]): the value of
// the key=value field named fieldname (matched case-insensitively) in subject,
// fields being separated by the one-character separator (default ","), with
// white space around fields trimmed. A field present without "=" gives "" (so
// it tests true); an absent one gives not set.
func subfield(env Env, a []value.Value) (value.Value, error) {
	const fn = "subfield"
	sep := ","
	if len(a) == 3 && argStr(a, 2) != "" {
		sep = argStr(a, 2)[:1]
	}
	if argNotSet(a, 0) {
		return value.NullString(), nil
	}
	name := argStr(a, 1)
	for _, f := range strings.Split(argStr(a, 0), sep) {
		k, v, hasValue := strings.Cut(strings.TrimSpace(f), "=")
		if !strings.EqualFold(strings.TrimSpace(k), name) {
			continue
		}
		if !hasValue {
			return value.String(""), nil
		}
		return value.String(strings.TrimSpace(v)), nil
	}
	return value.NullString(), nil
}

// urlencode implements urlencode: percent-encoding of every byte except the
// RFC 3986 unreserved characters (letters, digits, "-", ".", "_", "~"), with
// upper-case hex digits.
var urlencode = strFunc("urlencode", 1, func(s []string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s[0]); i++ {
		c := s[0][i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
})

// urldecode implements urldecode: %XX sequences decoded and "+" turned into a
// space (reference example: "hello%20world+!" gives "hello world !"); an
// invalid % sequence is kept; the result ends at the first NUL byte.
var urldecode = strFunc("urldecode", 1, func(s []string) string {
	in := s[0]
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); i++ {
		switch c := in[i]; {
		case c == '+':
			out = append(out, ' ')
		case c == '%' && i+2 < len(in) && digitVal(in[i+1]) < 16 && digitVal(in[i+2]) < 16:
			out = append(out, byte(digitVal(in[i+1])<<4|digitVal(in[i+2])))
			i += 2
		default:
			out = append(out, c)
		}
	}
	if i := strings.IndexByte(string(out), 0); i >= 0 {
		out = out[:i]
	}
	return string(out)
})

// cstrEscape implements cstr_escape: C-style escapes for ", \, \b, \t, \n,
// \v and \r, \xHH for other bytes up to 0x1F and from 0x7F.
var cstrEscape = strFunc("cstr_escape", 1, func(s []string) string {
	var b strings.Builder
	for i := 0; i < len(s[0]); i++ {
		switch c := s[0][i]; c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\v':
			b.WriteString(`\v`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if c <= 0x1f || c >= 0x7f {
				fmt.Fprintf(&b, `\x%02X`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	return b.String()
})

// xmlEscape implements xml_escape: &, <, >, ' and " replaced by &amp;, &lt;,
// &gt;, &apos; and &quot;, byte by byte.
var xmlEscape = strFunc("xml_escape", 1, func(s []string) string {
	return xmlEscaper.Replace(s[0])
})

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "'", "&apos;", `"`, "&quot;")

// jsonEscape implements json.escape: JSON escapes for ", \, \b, \t, \n, \f
// and \r; \uHHHH for other code points up to U+001F and for U+007F, U+2028
// and U+2029; code points beyond U+FFFF as a \uHHHH\uHHHH surrogate pair (the
// reference's rule 5; its later example passing U+1F602 through contradicts
// it); other valid UTF-8 unchanged. Input that is not valid UTF-8 sets
// fastly.error to EUTF8 and gives not set (unverified).
func jsonEscape(env Env, a []value.Value) (value.Value, error) {
	s := argStr(a, 0)
	if !utf8.ValidString(s) {
		setFastlyErr(env, "EUTF8")
		return value.NullString(), nil
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		default:
			switch {
			case r <= 0x1f || r == 0x7f || r == 0x2028 || r == 0x2029:
				fmt.Fprintf(&b, `\u%04X`, r)
			case r > 0xffff:
				r -= 0x10000
				fmt.Fprintf(&b, `\u%04X\u%04X`, 0xd800+(r>>10), 0xdc00+(r&0x3ff))
			default:
				b.WriteRune(r)
			}
		}
	}
	return value.String(b.String()), nil
}

// utf8CodepointCount implements utf8.codepoint_count: the number of code
// points, or 0 when the string is not valid UTF-8.
func utf8CodepointCount(env Env, a []value.Value) (value.Value, error) {
	s := argStr(a, 0)
	if !utf8.ValidString(s) {
		return value.Integer(0), nil
	}
	return value.Integer(int64(utf8.RuneCountInString(s))), nil
}

// utf8IsValid implements utf8.is_valid: whether the string is valid UTF-8.
func utf8IsValid(env Env, a []value.Value) (value.Value, error) {
	return value.Bool(utf8.ValidString(argStr(a, 0))), nil
}

// utf8Strpad implements utf8.strpad: std.strpad counting code points. Input
// that is not valid UTF-8 sets fastly.error to EUTF8 and gives not set.
func utf8Strpad(env Env, a []value.Value) (value.Value, error) {
	const fn = "utf8.strpad"
	count, err := argInt(fn, a, 1)
	if err != nil {
		return value.Value{}, err
	}
	s, pad := argStr(a, 0), argStr(a, 2)
	if !utf8.ValidString(s) || !utf8.ValidString(pad) {
		setFastlyErr(env, "EUTF8")
		return value.NullString(), nil
	}
	w, n := absWidth(count), int64(utf8.RuneCountInString(s))
	if pad == "" || w <= n {
		return value.String(s), nil
	}
	if w > maxStringBytes {
		setFastlyErr(env, "ESESOOM")
		return value.NullString(), nil
	}
	p := string(padding([]rune(pad), int(w-n)))
	if count < 0 {
		return value.String(s + p), nil
	}
	return value.String(p + s), nil
}

// truncateAtNUL cuts s at its first NUL byte, as Fastly does when binary
// data becomes a VCL STRING.
func truncateAtNUL(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}
