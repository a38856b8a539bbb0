package builtin

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/vclide/vclide/interp/value"
)

// This file implements the date and time functions: std.time,
// std.integer2time, time.*, strftime and parse_time_delta. Every TIME is in
// GMT; the current time, where needed, comes from Env.Now.

func init() {
	register("std.time", stdTime)
	register("std.integer2time", stdInteger2time)
	register("time.add", timeAdd)
	register("time.sub", timeSub)
	register("time.is_after", timeIsAfter)
	register("time.hex_to_time", timeHexToTime)
	register("time.interval_elapsed_ratio", timeIntervalElapsedRatio)
	register("time.units", timeUnits)
	register("time.runits", timeRunits)
	register("strftime", strftime)
	register("parse_time_delta", parseTimeDelta)
}

// stdTimeLayouts are the date formats std.time accepts, all in GMT
// (reference: functions/date-and-time/std-time).
var stdTimeLayouts = []string{
	"Mon, 02 Jan 2006 15:04:05 GMT",    // RFC 822 and RFC 1123
	"Monday, 02-Jan-06 15:04:05 GMT",   // RFC 850
	"Mon Jan _2 15:04:05 2006",         // ANSI C asctime()
	"2006-01-02 15:04:05",              // ISO 8601 subset
	"Mon, 2 Jan 2006 15:04:05 GMT",     // RFC 1123 with a one-digit day
	"Monday, 2-Jan-06 15:04:05 GMT",    // RFC 850 with a one-digit day
	"Mon Jan 2 15:04:05 2006",          // asctime with a single space
	"Mon, 02 Jan 2006 15:04:05 +0000",  // numeric GMT zone
	"Monday, 02-Jan-2006 15:04:05 GMT", // RFC 850 with a 4-digit year
	"Mon, 02 Jan 2006 15:04:05 UTC",    // RFC 1123 naming the zone UTC (falco's default_values example relies on it)
}

// parseEpochSeconds parses "1136239445" or "1136239445.00".
func parseEpochSeconds(s string) (time.Time, bool) {
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || strings.Trim(whole, "0123456789") != "" || hasFrac && (frac == "" || strings.Trim(frac, "0123456789") != "") {
		return time.Time{}, false
	}
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	var ns int64
	if hasFrac {
		f := (frac + "000000000")[:9]
		ns, _ = strconv.ParseInt(f, 10, 64)
	}
	return time.Unix(sec, ns).UTC(), true
}

// stdTime implements std.time(s, fallback): s parsed as one of the formats
// above or as seconds since the epoch, otherwise fallback.
func stdTime(env Env, a []value.Value) (value.Value, error) {
	const fn = "std.time"
	s := strings.TrimSpace(argStr(a, 0))
	if !argNotSet(a, 0) {
		if t, ok := parseEpochSeconds(s); ok {
			return value.Time(t), nil
		}
		for _, l := range stdTimeLayouts {
			if t, err := time.Parse(l, s); err == nil {
				return value.Time(t.UTC()), nil
			}
		}
	}
	t, err := argTime(fn, a, 1)
	if err != nil {
		return value.Value{}, err
	}
	return value.Time(t), nil
}

// stdInteger2time implements std.integer2time: seconds since the epoch as a
// TIME. A negative value is out of bounds and renders as "datetime out of
// bounds" (reference: std.time's example with std.integer2time(-1)).
func stdInteger2time(env Env, a []value.Value) (value.Value, error) {
	n, err := argInt("std.integer2time", a, 0)
	if err != nil {
		return value.Value{}, err
	}
	return value.Time(time.Unix(n, 0).UTC()), nil
}

// timeShift implements time.add and time.sub.
func timeShift(fn string, sign time.Duration) Func {
	return func(env Env, a []value.Value) (value.Value, error) {
		t, err := argTime(fn, a, 0)
		if err != nil {
			return value.Value{}, err
		}
		d, err := argDur(fn, a, 1)
		if err != nil {
			return value.Value{}, err
		}
		return value.Time(t.Add(sign * d)), nil
	}
}

// timeAdd implements time.add(time, offset): the time plus a relative time.
var timeAdd = timeShift("time.add", 1)

// timeSub implements time.sub(time, offset): the time minus a relative time.
var timeSub = timeShift("time.sub", -1)

// timeIsAfter implements time.is_after(t1, t2): whether t1 is after t2.
func timeIsAfter(env Env, a []value.Value) (value.Value, error) {
	t1, err := argTime("time.is_after", a, 0)
	if err != nil {
		return value.Value{}, err
	}
	t2, err := argTime("time.is_after", a, 1)
	if err != nil {
		return value.Value{}, err
	}
	return value.Bool(t1.After(t2)), nil
}

// timeHexToTime implements time.hex_to_time(divisor, dividend): the
// hexadecimal dividend divided by divisor, as seconds since the epoch. A
// divisor of zero or less, or a dividend that is not hexadecimal, sets
// fastly.error (EDOM or EPARSENUM, unverified) and gives the epoch.
func timeHexToTime(env Env, a []value.Value) (value.Value, error) {
	const fn = "time.hex_to_time"
	div, err := argInt(fn, a, 0)
	if err != nil {
		return value.Value{}, err
	}
	if div <= 0 {
		setFastlyErr(env, "EDOM")
		return value.Time(time.Unix(0, 0).UTC()), nil
	}
	hex := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(argStr(a, 1)), "0x"), "0X")
	n, ok := new(big.Int).SetString(hex, 16)
	if !ok || n.Sign() < 0 {
		setFastlyErr(env, "EPARSENUM")
		return value.Time(time.Unix(0, 0).UTC()), nil
	}
	sec, rem := new(big.Int).QuoRem(n, big.NewInt(div), new(big.Int))
	if !sec.IsInt64() {
		setFastlyErr(env, "ERANGE")
		return value.Time(time.Unix(0, 0).UTC()), nil
	}
	ns := new(big.Int).Quo(rem.Mul(rem, big.NewInt(1e9)), big.NewInt(div))
	return value.Time(time.Unix(sec.Int64(), ns.Int64()).UTC()), nil
}

// timeIntervalElapsedRatio implements time.interval_elapsed_ratio(ref, start,
// end): the proportion of the interval from start to end elapsed at ref,
// between 0 and 1.
func timeIntervalElapsedRatio(env Env, a []value.Value) (value.Value, error) {
	const fn = "time.interval_elapsed_ratio"
	var t [3]time.Time
	for i := range t {
		var err error
		if t[i], err = argTime(fn, a, i); err != nil {
			return value.Value{}, err
		}
	}
	ref, start, end := t[0], t[1], t[2]
	switch {
	case !ref.After(start):
		return value.Float(0), nil
	case !ref.Before(end):
		return value.Float(1), nil
	}
	total := float64(end.Sub(start))
	return value.Float(math.Min(1, float64(ref.Sub(start))/total)), nil
}

// formatUnits renders a nanosecond count to the resolution of unit ("s",
// "ms", "us" or "ns"): whole seconds, then a point and three, six or nine
// digits. ok is false for another unit.
func formatUnits(ns *big.Int, unit string) (string, bool) {
	digits := map[string]int{"s": 0, "ms": 3, "us": 6, "ns": 9}
	d, ok := digits[unit]
	if !ok {
		return "", false
	}
	sign := ""
	mag := new(big.Int).Abs(ns)
	sec, frac := new(big.Int).QuoRem(mag, big.NewInt(1e9), new(big.Int))
	if ns.Sign() < 0 {
		sign = "-"
	}
	if d == 0 {
		if sec.Sign() == 0 {
			sign = ""
		}
		return sign + sec.String(), true
	}
	f := fmt.Sprintf("%09d", frac.Int64())[:d]
	return fmt.Sprintf("%s%s.%s", sign, sec.String(), f), true
}

// timeUnits implements time.units(unit, time): the time as seconds since the
// epoch at the resolution of unit; another unit sets fastly.error to EINVAL
// and gives not set.
func timeUnits(env Env, a []value.Value) (value.Value, error) {
	const fn = "time.units"
	t, err := argTime(fn, a, 1)
	if err != nil {
		return value.Value{}, err
	}
	ns := new(big.Int).Mul(big.NewInt(t.Unix()), big.NewInt(1e9))
	ns.Add(ns, big.NewInt(int64(t.Nanosecond())))
	s, ok := formatUnits(ns, argStr(a, 0))
	if !ok {
		setFastlyErr(env, "EINVAL")
		return value.NullString(), nil
	}
	return value.String(s), nil
}

// timeRunits implements time.runits(unit, rtime): the relative time in
// seconds at the resolution of unit; another unit sets fastly.error to EINVAL
// and gives not set.
func timeRunits(env Env, a []value.Value) (value.Value, error) {
	const fn = "time.runits"
	d, err := argDur(fn, a, 1)
	if err != nil {
		return value.Value{}, err
	}
	s, ok := formatUnits(big.NewInt(int64(d)), argStr(a, 0))
	if !ok {
		setFastlyErr(env, "EINVAL")
		return value.NullString(), nil
	}
	return value.String(s), nil
}

// parseTimeDelta implements parse_time_delta(specifier): a single delta such
// as "10d", "3h", "15m" or "20s" (upper-case units too; a bare number counts
// seconds) as whole seconds. Combined forms such as "10d11h" are not supported
// by Fastly; they and other malformed input give 0 and set fastly.error to
// EPARSENUM (unverified).
func parseTimeDelta(env Env, a []value.Value) (value.Value, error) {
	s := strings.TrimSpace(argStr(a, 0))
	mult := int64(1)
	if s != "" {
		switch s[len(s)-1] {
		case 'd', 'D':
			mult = 86400
		case 'h', 'H':
			mult = 3600
		case 'm', 'M':
			mult = 60
		case 's', 'S':
			mult = 1
		}
		if strings.IndexByte("dDhHmMsS", s[len(s)-1]) >= 0 {
			s = strings.TrimSpace(s[:len(s)-1])
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n > math.MaxInt64/mult || n < math.MinInt64/mult {
		setFastlyErr(env, "EPARSENUM")
		return value.Integer(0), nil
	}
	return value.Integer(n * mult), nil
}

var (
	sfWeekdays = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
	sfMonths   = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
)

// strftime implements strftime(format, time) with the POSIX conversions in
// the C locale and the GMT time zone. The GNU flags "-" (no padding), "_"
// (pad with spaces) and "0" (pad with zeros) are honoured; an unknown
// conversion is copied unchanged.
func strftime(env Env, a []value.Value) (value.Value, error) {
	const fn = "strftime"
	t, err := argTime(fn, a, 1)
	if err != nil {
		return value.Value{}, err
	}
	return value.String(formatStrftime(argStr(a, 0), t.UTC())), nil
}

// formatStrftime expands the conversions of format for t.
func formatStrftime(format string, t time.Time) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 >= len(format) {
			b.WriteByte(c)
			continue
		}
		j := i + 1
		flag := byte(0)
		if strings.IndexByte("-_0", format[j]) >= 0 && j+1 < len(format) {
			flag = format[j]
			j++
		}
		if s, ok := strftimeConv(format[j], flag, t); ok {
			b.WriteString(s)
		} else {
			b.WriteString(format[i : j+1])
		}
		i = j
	}
	return b.String()
}

// sfPad formats n in width digits, padded with zeros or, for the "_" flag,
// spaces ("-" suppresses padding); def is the default padding character.
func sfPad(n, width int, flag, def byte) string {
	s := strconv.Itoa(n)
	p := def
	switch flag {
	case '-':
		return s
	case '_':
		p = ' '
	case '0':
		p = '0'
	}
	if n < 0 {
		return s
	}
	for len(s) < width {
		s = string(p) + s
	}
	return s
}

// sfISOWeek returns the ISO 8601 week-based year and week number of t.
func sfISOWeek(t time.Time) (int, int) { return t.ISOWeek() }

// strftimeConv expands one conversion character.
func strftimeConv(c, flag byte, t time.Time) (string, bool) {
	hour12 := t.Hour() % 12
	if hour12 == 0 {
		hour12 = 12
	}
	switch c {
	case 'a':
		return sfWeekdays[t.Weekday()][:3], true
	case 'A':
		return sfWeekdays[t.Weekday()], true
	case 'b', 'h':
		return sfMonths[t.Month()-1][:3], true
	case 'B':
		return sfMonths[t.Month()-1], true
	case 'c':
		return formatStrftime("%a %b %e %H:%M:%S %Y", t), true
	case 'C':
		return sfPad(t.Year()/100, 2, flag, '0'), true
	case 'd':
		return sfPad(t.Day(), 2, flag, '0'), true
	case 'D':
		return formatStrftime("%m/%d/%y", t), true
	case 'e':
		return sfPad(t.Day(), 2, flag, ' '), true
	case 'F':
		return formatStrftime("%Y-%m-%d", t), true
	case 'G':
		y, _ := sfISOWeek(t)
		return strconv.Itoa(y), true
	case 'g':
		y, _ := sfISOWeek(t)
		return sfPad(y%100, 2, flag, '0'), true
	case 'H':
		return sfPad(t.Hour(), 2, flag, '0'), true
	case 'I':
		return sfPad(hour12, 2, flag, '0'), true
	case 'j':
		return sfPad(t.YearDay(), 3, flag, '0'), true
	case 'k':
		return sfPad(t.Hour(), 2, flag, ' '), true
	case 'l':
		return sfPad(hour12, 2, flag, ' '), true
	case 'm':
		return sfPad(int(t.Month()), 2, flag, '0'), true
	case 'M':
		return sfPad(t.Minute(), 2, flag, '0'), true
	case 'n':
		return "\n", true
	case 'p':
		if t.Hour() < 12 {
			return "AM", true
		}
		return "PM", true
	case 'P':
		if t.Hour() < 12 {
			return "am", true
		}
		return "pm", true
	case 'r':
		return formatStrftime("%I:%M:%S %p", t), true
	case 'R':
		return formatStrftime("%H:%M", t), true
	case 's':
		return strconv.FormatInt(t.Unix(), 10), true
	case 'S':
		return sfPad(t.Second(), 2, flag, '0'), true
	case 't':
		return "\t", true
	case 'T':
		return formatStrftime("%H:%M:%S", t), true
	case 'u':
		wd := int(t.Weekday())
		if wd == 0 {
			wd = 7
		}
		return strconv.Itoa(wd), true
	case 'U':
		return sfPad((t.YearDay()+6-int(t.Weekday()))/7, 2, flag, '0'), true
	case 'V':
		_, w := sfISOWeek(t)
		return sfPad(w, 2, flag, '0'), true
	case 'w':
		return strconv.Itoa(int(t.Weekday())), true
	case 'W':
		return sfPad((t.YearDay()+6-(int(t.Weekday())+6)%7)/7, 2, flag, '0'), true
	case 'x':
		return formatStrftime("%m/%d/%y", t), true
	case 'X':
		return formatStrftime("%H:%M:%S", t), true
	case 'y':
		return sfPad(t.Year()%100, 2, flag, '0'), true
	case 'Y':
		return strconv.Itoa(t.Year()), true
	case 'z':
		return "+0000", true
	case 'Z':
		return "GMT", true
	case '%':
		return "%", true
	}
	return "", false
}
