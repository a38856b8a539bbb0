package value

// Fastly's conversions between VCL types. Every rule below names the page of
// Fastly's VCL reference (https://www.fastly.com/documentation/reference/vcl/)
// it follows; rules the reference does not state are marked "unverified" and
// describe the simulator's choice.

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/vclide/vclide/analysis/catalog"
)

// HTTPDateLayout is the RFC 1123 layout, with the zone always GMT, in which a
// TIME is rendered as a STRING (reference: types/time).
const HTTPDateLayout = "Mon, 02 Jan 2006 15:04:05 GMT"

// TimeOutOfBounds is the string form of a TIME that cannot be represented,
// for example std.integer2time(-1) (reference: functions/date-and-time/std-time
// and std-integer2time).
const TimeOutOfBounds = "datetime out of bounds"

// The fastly.error codes set by conversions and arithmetic (reference:
// variables/fastly-error).
const (
	// EDOM is a domain error: division by zero, or `%=` on an infinity.
	EDOM = "EDOM"
	// ERANGE is a result out of range (overflow).
	ERANGE = "ERANGE"
)

// ErrType reports a conversion or operation the VCL type system forbids.
var ErrType = errors.New("type mismatch")

func typeErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrType, fmt.Sprintf(format, a...))
}

// String renders v the way Fastly does when a value is used where a STRING is
// needed (assigned to a header, concatenated, logged):
//
//   - STRING: itself; a not-set STRING renders as "" (reference: types, "Not
//     set": concatenation renders it empty; some functions print "(null)").
//   - INTEGER: decimal (reference: types/integer).
//   - FLOAT: three decimal places, "NaN", "inf" and "-inf" (reference:
//     variables/math-constants-limits/math-nan, math-pos-infinity,
//     math-neg-infinity; the three places are unverified for finite values
//     and follow the RTIME rule).
//   - BOOL: "1" or "0" (reference: types/bool).
//   - TIME: RFC 1123 in GMT, "Thu, 01 Jan 1970 00:00:00 GMT" (reference:
//     types/time); a time before the epoch renders as "datetime out of
//     bounds" (reference: std.time example using std.integer2time(-1)).
//   - RTIME: seconds with three decimal places and no unit, 3.5d is
//     "302400.000" (reference: types/rtime).
//   - IP: the canonical numeric form (reference: std.ip2str); not set is "".
//   - BACKEND, ACL, ID, REGEX: the name or source text.
func (v Value) String() string {
	switch v.T {
	case catalog.TypeString:
		if v.NotSet {
			return ""
		}
		return v.Str
	case catalog.TypeInteger:
		return strconv.FormatInt(v.Int, 10)
	case catalog.TypeFloat:
		return FormatFloat(v.Float)
	case catalog.TypeBool:
		if v.Bool {
			return "1"
		}
		return "0"
	case catalog.TypeTime:
		return FormatTime(v.Time)
	case catalog.TypeRTime:
		return FormatRTime(v.Dur)
	case catalog.TypeIP:
		if v.NotSet || !v.IP.IsValid() {
			return ""
		}
		return v.IP.String()
	case catalog.TypeVoid:
		return ""
	default:
		return v.Str
	}
}

// FormatFloat renders a FLOAT as Fastly does: three decimal places, or NaN,
// inf and -inf.
func FormatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'f', 3, 64)
}

// FormatTime renders a TIME as an RFC 1123 date in GMT, or "datetime out of
// bounds" for times before the Unix epoch or after year 9999.
func FormatTime(t time.Time) string {
	if t.Unix() < 0 || t.UTC().Year() > 9999 {
		return TimeOutOfBounds
	}
	return t.UTC().Format(HTTPDateLayout)
}

// FormatRTime renders an RTIME as seconds with three decimal places, rounding
// half away from zero at the millisecond.
func FormatRTime(d time.Duration) string {
	neg := d < 0
	u := uint64(d)
	if neg {
		u = uint64(-(d + 1)) + 1 // magnitude without overflowing on MinInt64
	}
	ms := u / 1e6
	if u%1e6 >= 5e5 {
		ms++
	}
	s := fmt.Sprintf("%d.%03d", ms/1000, ms%1000)
	if neg && ms != 0 {
		return "-" + s
	}
	return s
}

// Truthy is the value of v used as an `if` condition: a STRING is true when it
// is set, even when empty (reference: functions/miscellaneous/if, whose
// example `if(req.http.foo, "present", "absent")` tests presence); a BOOL is
// its value; an IP is true when set. Fastly only accepts BOOL and STRING (and
// IP) in conditions; for other types (which the checker rejects) Truthy
// returns whether the value is non-zero.
func Truthy(v Value) bool {
	switch v.T {
	case catalog.TypeBool:
		return v.Bool
	case catalog.TypeString:
		return !v.NotSet
	case catalog.TypeIP:
		return !v.NotSet && v.IP.IsValid()
	case catalog.TypeInteger:
		return v.Int != 0
	case catalog.TypeFloat:
		return v.Float != 0 && !math.IsNaN(v.Float)
	case catalog.TypeRTime:
		return v.Dur != 0
	case catalog.TypeTime:
		return !v.Time.IsZero()
	case catalog.TypeVoid, catalog.TypeUnknown:
		return false
	default:
		return v.Str != ""
	}
}

// ToBool converts v for a BOOL context. BOOL is itself and a STRING (or IP)
// tests presence as in Truthy; no other type converts to BOOL: integer
// literals may not be assigned to a BOOL (reference: types/bool).
func ToBool(v Value) (bool, error) {
	switch v.T {
	case catalog.TypeBool, catalog.TypeString, catalog.TypeIP:
		return Truthy(v), nil
	}
	return false, typeErr("%s cannot be used as BOOL", v.T)
}

// ToInteger converts v to an INTEGER. FLOAT truncates towards zero (an error
// when NaN, infinite or out of range), RTIME gives whole seconds, TIME gives
// Unix seconds and a STRING must hold a decimal integer. BOOL is an error:
// there is no implicit conversion from BOOL to INTEGER (reference:
// types/bool).
func ToInteger(v Value) (int64, error) {
	switch v.T {
	case catalog.TypeInteger:
		return v.Int, nil
	case catalog.TypeFloat:
		if math.IsNaN(v.Float) || v.Float >= 9223372036854775808.0 || v.Float < -9223372036854775808.0 {
			return 0, fmt.Errorf("FLOAT %s out of INTEGER range", FormatFloat(v.Float))
		}
		return int64(v.Float), nil
	case catalog.TypeRTime:
		return int64(v.Dur / time.Second), nil
	case catalog.TypeTime:
		return v.Time.Unix(), nil
	case catalog.TypeString:
		if v.NotSet {
			return 0, errors.New("not set STRING is not an INTEGER")
		}
		return strconv.ParseInt(strings.TrimSpace(v.Str), 10, 64)
	}
	return 0, typeErr("%s cannot be converted to INTEGER", v.T)
}

// ToFloat converts v to a FLOAT: INTEGER exactly (reference: types/float,
// integer literals convert to FLOAT), RTIME as seconds, TIME as Unix seconds
// and a STRING holding a decimal number.
func ToFloat(v Value) (float64, error) {
	switch v.T {
	case catalog.TypeFloat:
		return v.Float, nil
	case catalog.TypeInteger:
		return float64(v.Int), nil
	case catalog.TypeRTime:
		return v.Dur.Seconds(), nil
	case catalog.TypeTime:
		return float64(v.Time.UnixNano()) / 1e9, nil
	case catalog.TypeString:
		if v.NotSet {
			return 0, errors.New("not set STRING is not a FLOAT")
		}
		return strconv.ParseFloat(strings.TrimSpace(v.Str), 64)
	}
	return 0, typeErr("%s cannot be converted to FLOAT", v.T)
}

// ToRTime converts v to an RTIME: INTEGER and FLOAT count seconds and a
// STRING must be a duration literal such as "5m" (see ParseRTimeLiteral).
func ToRTime(v Value) (time.Duration, error) {
	switch v.T {
	case catalog.TypeRTime:
		return v.Dur, nil
	case catalog.TypeInteger:
		return clampMul(big.NewInt(v.Int), big.NewInt(int64(time.Second))), nil
	case catalog.TypeFloat:
		if math.IsNaN(v.Float) {
			return 0, errors.New("NaN is not an RTIME")
		}
		return clampFloatNanos(v.Float * 1e9), nil
	case catalog.TypeString:
		if v.NotSet {
			return 0, errors.New("not set STRING is not an RTIME")
		}
		return ParseRTimeLiteral(v.Str)
	}
	return 0, typeErr("%s cannot be converted to RTIME", v.T)
}

// ToTime converts v to a TIME: INTEGER and FLOAT count seconds since the Unix
// epoch and a STRING must be an HTTP date (RFC 1123, GMT).
func ToTime(v Value) (time.Time, error) {
	switch v.T {
	case catalog.TypeTime:
		return v.Time, nil
	case catalog.TypeInteger:
		return time.Unix(v.Int, 0).UTC(), nil
	case catalog.TypeFloat:
		if math.IsNaN(v.Float) || math.IsInf(v.Float, 0) {
			return time.Time{}, errors.New("FLOAT is not a TIME")
		}
		sec, frac := math.Modf(v.Float)
		return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
	case catalog.TypeString:
		if v.NotSet {
			return time.Time{}, errors.New("not set STRING is not a TIME")
		}
		return time.Parse(HTTPDateLayout, v.Str)
	}
	return time.Time{}, typeErr("%s cannot be converted to TIME", v.T)
}

// ToIP converts v to an IP; a STRING must be a numeric IPv4 or IPv6 address.
func ToIP(v Value) (netip.Addr, error) {
	switch v.T {
	case catalog.TypeIP:
		if v.NotSet || !v.IP.IsValid() {
			return netip.Addr{}, errors.New("IP is not set")
		}
		return v.IP, nil
	case catalog.TypeString:
		if v.NotSet {
			return netip.Addr{}, errors.New("not set STRING is not an IP")
		}
		return netip.ParseAddr(strings.TrimSpace(v.Str))
	}
	return netip.Addr{}, typeErr("%s cannot be converted to IP", v.T)
}

// Convert converts v for assignment to a variable or header of type to, as
// `set` does. Allowed:
//
//   - anything to STRING, by its string form (reference: types, "These types
//     all have implicit conversions to strings"); a not-set STRING or IP stays
//     not set;
//   - INTEGER to FLOAT (reference: types/float);
//   - STRING to IP when it holds a numeric address (unverified);
//   - ID to BACKEND or ACL (a bare name);
//   - TypeUnknown or TypeAny targets accept anything.
//
// Everything else is rejected with ErrType: no string literal or INTEGER may
// be assigned to a BOOL (reference: types/bool), and the simulator applies
// the same static typing to the other scalar types (`set var.i = "12"` fails).
func Convert(v Value, to catalog.Type) (Value, error) {
	if v.T == to || to == catalog.TypeUnknown || to == catalog.TypeAny {
		return v, nil
	}
	switch to {
	case catalog.TypeString:
		if (v.T == catalog.TypeIP || v.T == catalog.TypeString) && (v.NotSet || (v.T == catalog.TypeIP && !v.IP.IsValid())) {
			return NullString(), nil
		}
		return String(v.String()), nil
	case catalog.TypeFloat:
		if v.T == catalog.TypeInteger {
			return Float(float64(v.Int)), nil
		}
	case catalog.TypeIP:
		if v.T == catalog.TypeString {
			if v.NotSet {
				return Value{T: catalog.TypeIP, NotSet: true}, nil
			}
			a, err := netip.ParseAddr(strings.TrimSpace(v.Str))
			if err != nil {
				return Value{}, fmt.Errorf("%q is not an IP address", v.Str)
			}
			return IP(a), nil
		}
	case catalog.TypeBackend, catalog.TypeACL:
		if v.T == catalog.TypeID || v.T == catalog.TypeBackend || v.T == catalog.TypeACL {
			return Value{T: to, Str: v.Str}, nil
		}
	}
	return Value{}, typeErr("cannot assign %s to %s", v.T, to)
}

// Compare evaluates a comparison operator (==, !=, <, >, <=, >=) between a and
// b. Rules:
//
//   - STRING with STRING: == and != only, byte-wise; a not-set STRING is not
//     equal to anything, not even another not-set STRING (reference:
//     functions/strings/std-strcasecmp: "If either string is not-set, [it]
//     will return false. This matches the behavior for the == operator.").
//   - INTEGER and FLOAT compare numerically with each other; NaN is unordered.
//   - RTIME with RTIME, TIME with TIME: all six operators.
//   - BOOL with BOOL, BACKEND with BACKEND: == and != only.
//   - IP with IP, or with a STRING holding an address: == and != only.
//
// Other pairs are a type error.
func Compare(op string, a, b Value) (bool, error) {
	switch op {
	case "==", "!=", "<", ">", "<=", ">=":
	default:
		return false, fmt.Errorf("unknown comparison operator %q", op)
	}
	eqOnly := func(eq bool, t catalog.Type) (bool, error) {
		switch op {
		case "==":
			return eq, nil
		case "!=":
			return !eq, nil
		}
		return false, typeErr("operator %s is not defined on %s", op, t)
	}
	ta, tb := a.T, b.T
	switch {
	case ta == catalog.TypeString && tb == catalog.TypeString:
		return eqOnly(!a.NotSet && !b.NotSet && a.Str == b.Str, ta)
	case isNumber(ta) && isNumber(tb):
		if ta == catalog.TypeInteger && tb == catalog.TypeInteger {
			return ordered(op, cmpInt(a.Int, b.Int)), nil
		}
		x, _ := ToFloat(a)
		y, _ := ToFloat(b)
		if math.IsNaN(x) || math.IsNaN(y) {
			return op == "!=", nil
		}
		return ordered(op, cmpFloat(x, y)), nil
	case ta == catalog.TypeRTime && tb == catalog.TypeRTime:
		return ordered(op, cmpInt(int64(a.Dur), int64(b.Dur))), nil
	case ta == catalog.TypeTime && tb == catalog.TypeTime:
		return ordered(op, a.Time.Compare(b.Time)), nil
	case ta == catalog.TypeBool && tb == catalog.TypeBool:
		return eqOnly(a.Bool == b.Bool, ta)
	case isName(ta) && isName(tb):
		return eqOnly(a.Str == b.Str, ta)
	case ta == catalog.TypeIP || tb == catalog.TypeIP:
		if (ta != catalog.TypeIP && ta != catalog.TypeString) || (tb != catalog.TypeIP && tb != catalog.TypeString) {
			break
		}
		x, errA := ToIP(a)
		y, errB := ToIP(b)
		return eqOnly(errA == nil && errB == nil && x == y, catalog.TypeIP)
	}
	return false, typeErr("cannot compare %s with %s", ta, tb)
}

func isNumber(t catalog.Type) bool { return t == catalog.TypeInteger || t == catalog.TypeFloat }

func isName(t catalog.Type) bool {
	return t == catalog.TypeBackend || t == catalog.TypeID || t == catalog.TypeACL
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func ordered(op string, c int) bool {
	switch op {
	case "==":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case ">":
		return c > 0
	case "<=":
		return c <= 0
	}
	return c >= 0
}

// AssignOps lists the compound assignment operators ApplyAssign implements.
var AssignOps = []string{"+=", "-=", "*=", "/=", "%=", "|=", "&=", "^=", "<<=", ">>=", "rol=", "ror=", "&&=", "||="}

// ApplyAssign computes `lhs op rhs` for a compound assignment such as
// `set var.i += 1;`. It returns the new value and, when the operation hits a
// numeric error, the fastly.error code to set (EDOM or ERANGE; "" otherwise).
// A type the operator does not accept is an ErrType error.
//
// Operand rules:
//
//   - INTEGER: all arithmetic and bitwise operators with an INTEGER right side
//     (a BOOL right side is invalid, reference: types/bool). Division or
//     remainder by zero sets EDOM (reference: variables/fastly-error) and
//     leaves lhs unchanged; an overflowing result sets ERANGE and leaves lhs
//     unchanged (unverified). Shifts by a negative count set ERANGE; counts of
//     64 or more shift every bit out (unverified); rol/ror rotate the 64-bit
//     pattern.
//   - FLOAT: + - * / % with a FLOAT or INTEGER right side, IEEE 754 results.
//     EDOM when dividing by zero, on `%=` with an infinite left side or a zero
//     right side (reference: variables/fastly-error) and when a NaN is produced
//     from non-NaN operands; ERANGE when finite operands overflow to infinity.
//   - RTIME: += and -= with an RTIME; *=, /= and %= with an INTEGER or FLOAT;
//     results saturate at the 64-bit nanosecond range with ERANGE (reference:
//     types/rtime clamps out-of-range values).
//   - TIME: += and -= with an RTIME (TIME += RTIME).
//   - STRING: += appends the right side's string form.
//   - BOOL: &&= and ||= with a BOOL.
func ApplyAssign(op string, lhs, rhs Value) (Value, string, error) {
	switch lhs.T {
	case catalog.TypeInteger:
		return intAssign(op, lhs, rhs)
	case catalog.TypeFloat:
		return floatAssign(op, lhs, rhs)
	case catalog.TypeRTime:
		return rtimeAssign(op, lhs, rhs)
	case catalog.TypeTime:
		if (op == "+=" || op == "-=") && rhs.T == catalog.TypeRTime {
			d := rhs.Dur
			if op == "-=" {
				if d == math.MinInt64 {
					return lhs, ERANGE, nil
				}
				d = -d
			}
			return Time(lhs.Time.Add(d)), "", nil
		}
	case catalog.TypeString:
		if op == "+=" {
			s := ""
			if !lhs.NotSet {
				s = lhs.Str
			}
			return String(s + rhs.String()), "", nil
		}
	case catalog.TypeBool:
		if rhs.T == catalog.TypeBool {
			switch op {
			case "&&=":
				return Bool(lhs.Bool && rhs.Bool), "", nil
			case "||=":
				return Bool(lhs.Bool || rhs.Bool), "", nil
			}
		}
	}
	return lhs, "", typeErr("operator %s is not defined for %s and %s", op, lhs.T, rhs.T)
}

func intAssign(op string, lhs, rhs Value) (Value, string, error) {
	if rhs.T != catalog.TypeInteger {
		return lhs, "", typeErr("operator %s needs an INTEGER right side, not %s", op, rhs.T)
	}
	a, b := lhs.Int, rhs.Int
	var r int64
	switch op {
	case "+=":
		r = a + b
		if (b > 0 && r < a) || (b < 0 && r > a) {
			return lhs, ERANGE, nil
		}
	case "-=":
		r = a - b
		if (b > 0 && r > a) || (b < 0 && r < a) {
			return lhs, ERANGE, nil
		}
	case "*=":
		r = a * b
		if a != 0 && (r/a != b || (a == -1 && b == math.MinInt64)) {
			return lhs, ERANGE, nil
		}
	case "/=", "%=":
		if b == 0 {
			return lhs, EDOM, nil
		}
		if a == math.MinInt64 && b == -1 {
			if op == "%=" {
				return Integer(0), "", nil
			}
			return lhs, ERANGE, nil
		}
		if op == "/=" {
			r = a / b
		} else {
			r = a % b
		}
	case "|=":
		r = a | b
	case "&=":
		r = a & b
	case "^=":
		r = a ^ b
	case "<<=", ">>=":
		if b < 0 {
			return lhs, ERANGE, nil
		}
		if b > 63 {
			b = 64
		}
		if op == "<<=" {
			r = a << uint(b)
		} else {
			r = a >> uint(b)
		}
	case "rol=", "ror=":
		k := int(b % 64)
		if op == "ror=" {
			k = -k
		}
		r = int64(bits.RotateLeft64(uint64(a), k))
	default:
		return lhs, "", typeErr("operator %s is not defined for INTEGER", op)
	}
	return Integer(r), "", nil
}

func floatAssign(op string, lhs, rhs Value) (Value, string, error) {
	if !isNumber(rhs.T) {
		return lhs, "", typeErr("operator %s needs a FLOAT or INTEGER right side, not %s", op, rhs.T)
	}
	a := lhs.Float
	b, _ := ToFloat(rhs)
	var r float64
	code := ""
	switch op {
	case "+=":
		r = a + b
	case "-=":
		r = a - b
	case "*=":
		r = a * b
	case "/=":
		if b == 0 {
			code = EDOM
		}
		r = a / b
	case "%=":
		if b == 0 || math.IsInf(a, 0) {
			code = EDOM
		}
		r = math.Mod(a, b)
	default:
		return lhs, "", typeErr("operator %s is not defined for FLOAT", op)
	}
	if code == "" {
		switch {
		case math.IsNaN(r) && !math.IsNaN(a) && !math.IsNaN(b):
			code = EDOM
		case math.IsInf(r, 0) && !math.IsInf(a, 0) && !math.IsInf(b, 0):
			code = ERANGE
		}
	}
	return Float(r), code, nil
}

func rtimeAssign(op string, lhs, rhs Value) (Value, string, error) {
	a := big.NewInt(int64(lhs.Dur))
	switch op {
	case "+=", "-=":
		if rhs.T != catalog.TypeRTime {
			return lhs, "", typeErr("operator %s needs an RTIME right side, not %s", op, rhs.T)
		}
		b := big.NewInt(int64(rhs.Dur))
		if op == "+=" {
			a.Add(a, b)
		} else {
			a.Sub(a, b)
		}
		return clampBig(a)
	case "*=", "/=", "%=":
	default:
		return lhs, "", typeErr("operator %s is not defined for RTIME", op)
	}
	switch rhs.T {
	case catalog.TypeInteger:
		b := big.NewInt(rhs.Int)
		switch op {
		case "*=":
			return clampBig(a.Mul(a, b))
		case "/=":
			if rhs.Int == 0 {
				return lhs, EDOM, nil
			}
			return clampBig(a.Quo(a, b))
		default:
			if rhs.Int == 0 {
				return lhs, EDOM, nil
			}
			return clampBig(a.Rem(a, b))
		}
	case catalog.TypeFloat:
		x, b := float64(lhs.Dur), rhs.Float
		var r float64
		switch op {
		case "*=":
			r = x * b
		case "/=":
			if b == 0 {
				return lhs, EDOM, nil
			}
			r = x / b
		default:
			if b == 0 {
				return lhs, EDOM, nil
			}
			r = math.Mod(x, b)
		}
		if math.IsNaN(r) {
			return lhs, EDOM, nil
		}
		d := clampFloatNanos(r)
		if r >= 9223372036854775807.0 || r < -9223372036854775808.0 {
			return RTime(d), ERANGE, nil
		}
		return RTime(d), "", nil
	}
	return lhs, "", typeErr("operator %s needs an INTEGER or FLOAT right side, not %s", op, rhs.T)
}

var (
	minNanos = big.NewInt(math.MinInt64)
	maxNanos = big.NewInt(math.MaxInt64)
)

func clampBig(n *big.Int) (Value, string, error) {
	switch {
	case n.Cmp(maxNanos) > 0:
		return RTime(math.MaxInt64), ERANGE, nil
	case n.Cmp(minNanos) < 0:
		return RTime(math.MinInt64), ERANGE, nil
	}
	return RTime(time.Duration(n.Int64())), "", nil
}

func clampMul(a, b *big.Int) time.Duration {
	v, _, _ := clampBig(new(big.Int).Mul(a, b))
	return v.Dur
}

func clampFloatNanos(f float64) time.Duration {
	switch {
	case f >= 9223372036854775807.0:
		return math.MaxInt64
	case f <= -9223372036854775808.0:
		return math.MinInt64
	}
	return time.Duration(f)
}

// rtimeUnits maps each RTIME literal suffix to its length in nanoseconds
// (reference: types/rtime: ms, s, m, h, d, w and y; a year is taken as 365
// days).
var rtimeUnits = map[string]int64{
	"ms": int64(time.Millisecond),
	"s":  int64(time.Second),
	"m":  int64(time.Minute),
	"h":  int64(time.Hour),
	"d":  24 * int64(time.Hour),
	"w":  7 * 24 * int64(time.Hour),
	"y":  365 * 24 * int64(time.Hour),
}

// ParseRTimeLiteral parses an RTIME literal such as "10s", "-2s", "5.3d" or
// "5 m": an optional minus sign, a decimal number with an optional fraction,
// optional whitespace and one of the units ms, s, m, h, d, w, y (reference:
// types/rtime). A value beyond the 64-bit nanosecond range is clamped to the
// minimum or maximum, as Fastly does.
func ParseRTimeLiteral(s string) (time.Duration, error) {
	src := s
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	num := s[:i]
	unit := strings.TrimLeft(s[i:], " \t")
	ns, ok := rtimeUnits[unit]
	if !ok || num == "" || strings.Count(num, ".") > 1 || strings.HasPrefix(num, ".") || strings.HasSuffix(num, ".") {
		return 0, fmt.Errorf("invalid RTIME literal %q", src)
	}
	r, ok := new(big.Rat).SetString(num)
	if !ok {
		return 0, fmt.Errorf("invalid RTIME literal %q", src)
	}
	r.Mul(r, new(big.Rat).SetInt64(ns))
	if neg {
		r.Neg(r)
	}
	n := new(big.Int).Quo(r.Num(), r.Denom()) // truncates towards zero
	v, _, _ := clampBig(n)
	return v.Dur, nil
}
