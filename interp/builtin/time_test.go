package builtin

import (
	"testing"
	"time"

	"github.com/vclide/vclide/interp/value"
)

// tv and rt are test shorthands for TIME and RTIME values.
func tv(t time.Time) value.Value       { return value.Time(t) }
func rt(d time.Duration) value.Value   { return value.RTime(d) }
func unix(sec int64) value.Value       { return value.Time(time.Unix(sec, 0).UTC()) }
func unixNano(sec, ns int64) time.Time { return time.Unix(sec, ns).UTC() }

func TestStdTime(t *testing.T) {
	const doc = 1136239445 // Mon, 02 Jan 2006 22:04:05 GMT
	now := tv(fakeNow)
	runCases(t, []builtinCase{
		// Examples and formats from the std.time reference page.
		{"rfc1123 (doc example)", "std.time", []value.Value{vs("Mon, 02 Jan 2006 22:04:05 GMT"), now}, unix(doc), "", false},
		{"epoch seconds (doc example)", "std.time", []value.Value{vs("1136239445"), value.Time(time.Unix(0, 0))}, unix(doc), "", false},
		{"not a date (doc example)", "std.time", []value.Value{vs("Not a date"), unix(-1)}, unix(-1), "", false},
		{"rfc850", "std.time", []value.Value{vs("Monday, 02-Jan-06 22:04:05 GMT"), now}, unix(doc), "", false},
		{"asctime", "std.time", []value.Value{vs("Mon Jan  2 22:04:05 2006"), now}, unix(doc), "", false},
		{"iso subset", "std.time", []value.Value{vs("2006-01-02 22:04:05"), now}, unix(doc), "", false},
		{"epoch with fraction", "std.time", []value.Value{vs("1136239445.00"), now}, unix(doc), "", false},
		{"other zone rejected", "std.time", []value.Value{vs("Mon, 02 Jan 2006 22:04:05 PST"), now}, now, "", false},
		{"not set uses fallback", "std.time", []value.Value{value.NullString(), now}, now, "", false},
		// std.integer2time (reference example).
		{"integer2time", "std.integer2time", []value.Value{vi(doc)}, unix(doc), "", false},
		{"integer2time zero", "std.integer2time", []value.Value{vi(0)}, unix(0), "", false},
	})
	e := newEnv()
	got, _ := call(t, e, "std.integer2time", vi(-1))
	if got.String() != "datetime out of bounds" {
		t.Errorf("std.integer2time(-1) renders %q, want \"datetime out of bounds\"", got.String())
	}
}

func TestTimeFunctions(t *testing.T) {
	now := tv(fakeNow)
	null := value.NullString()
	runCases(t, []builtinCase{
		// time.add / time.sub (reference example: time.add(now, 1d)).
		{"add one day", "time.add", []value.Value{now, rt(24 * time.Hour)}, tv(fakeNow.Add(24 * time.Hour)), "", false},
		{"add negative", "time.add", []value.Value{now, rt(-time.Second)}, tv(fakeNow.Add(-time.Second)), "", false},
		{"sub one day", "time.sub", []value.Value{now, rt(24 * time.Hour)}, tv(fakeNow.Add(-24 * time.Hour)), "", false},
		// time.is_after.
		{"is_after true", "time.is_after", []value.Value{now, unix(0)}, vb(true), "", false},
		{"is_after equal", "time.is_after", []value.Value{now, now}, vb(false), "", false},
		{"is_after false", "time.is_after", []value.Value{unix(0), now}, vb(false), "", false},
		// time.hex_to_time (reference example).
		{"hex_to_time (doc example)", "time.hex_to_time", []value.Value{vi(1), vs("43b9a355")}, unix(1136239445), "", false},
		{"hex_to_time micro", "time.hex_to_time", []value.Value{vi(1000000), vs("409675c81a180")}, tv(unixNano(1136239445, 123456000)), "", false},
		{"hex_to_time zero divisor", "time.hex_to_time", []value.Value{vi(0), vs("1")}, unix(0), "EDOM", false},
		{"hex_to_time bad hex", "time.hex_to_time", []value.Value{vi(1), vs("xyz")}, unix(0), "EPARSENUM", false},
		// time.interval_elapsed_ratio.
		{"ratio quarter", "time.interval_elapsed_ratio", []value.Value{unix(25), unix(0), unix(100)}, vf(0.25), "", false},
		{"ratio before", "time.interval_elapsed_ratio", []value.Value{unix(-5), unix(0), unix(100)}, vf(0), "", false},
		{"ratio after", "time.interval_elapsed_ratio", []value.Value{unix(500), unix(0), unix(100)}, vf(1), "", false},
		{"ratio year (doc example shape)", "time.interval_elapsed_ratio", []value.Value{now,
			tv(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)), tv(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))}, vf(0.42492967010726573), "", false},
		// time.units / time.runits (reference tables).
		{"units s", "time.units", []value.Value{vs("s"), tv(unixNano(1136239445, 123456789))}, vs("1136239445"), "", false},
		{"units ms", "time.units", []value.Value{vs("ms"), tv(unixNano(1136239445, 123456789))}, vs("1136239445.123"), "", false},
		{"units us", "time.units", []value.Value{vs("us"), tv(unixNano(1136239445, 123456789))}, vs("1136239445.123456"), "", false},
		{"units ns", "time.units", []value.Value{vs("ns"), tv(unixNano(1136239445, 123456789))}, vs("1136239445.123456789"), "", false},
		{"units bad", "time.units", []value.Value{vs("m"), now}, null, "EINVAL", false},
		{"runits ms", "time.runits", []value.Value{vs("ms"), rt(1500 * time.Millisecond)}, vs("1.500"), "", false},
		{"runits ns", "time.runits", []value.Value{vs("ns"), rt(2*time.Second + 5)}, vs("2.000000005"), "", false},
		{"runits s truncates", "time.runits", []value.Value{vs("s"), rt(1900 * time.Millisecond)}, vs("1"), "", false},
		{"runits negative", "time.runits", []value.Value{vs("ms"), rt(-1500 * time.Millisecond)}, vs("-1.500"), "", false},
		{"runits bad", "time.runits", []value.Value{vs("h"), rt(time.Second)}, null, "EINVAL", false},
		// parse_time_delta (reference: d/D, h/H, m/M, s/S, single deltas).
		{"delta days", "parse_time_delta", []value.Value{vs("10d")}, vi(864000), "", false},
		{"delta upper hours", "parse_time_delta", []value.Value{vs("3H")}, vi(10800), "", false},
		{"delta minutes", "parse_time_delta", []value.Value{vs("15m")}, vi(900), "", false},
		{"delta seconds", "parse_time_delta", []value.Value{vs("20S")}, vi(20), "", false},
		{"delta bare number", "parse_time_delta", []value.Value{vs("3600")}, vi(3600), "", false},
		{"delta combined unsupported", "parse_time_delta", []value.Value{vs("10d11h3m2s")}, vi(0), "EPARSENUM", false},
		{"delta empty", "parse_time_delta", []value.Value{vs("")}, vi(0), "EPARSENUM", false},
	})
}

func TestStrftime(t *testing.T) {
	doc := unix(1136239445) // Mon, 02 Jan 2006 22:04:05 GMT
	runCases(t, []builtinCase{
		{"iso date time", "strftime", []value.Value{vs("%Y-%m-%d %H:%M:%S"), doc}, vs("2006-01-02 22:04:05"), "", false},
		{"http date", "strftime", []value.Value{vs("%a, %d %b %Y %T %Z"), doc}, vs("Mon, 02 Jan 2006 22:04:05 GMT"), "", false},
		{"names", "strftime", []value.Value{vs("%A %B %h"), doc}, vs("Monday January Jan"), "", false},
		{"c locale", "strftime", []value.Value{vs("%c"), doc}, vs("Mon Jan  2 22:04:05 2006"), "", false},
		{"D F x X", "strftime", []value.Value{vs("%D|%F|%x|%X"), doc}, vs("01/02/06|2006-01-02|01/02/06|22:04:05"), "", false},
		{"e k l I p P", "strftime", []value.Value{vs("[%e][%k][%l][%I][%p][%P]"), doc}, vs("[ 2][22][10][10][PM][pm]"), "", false},
		{"j C y", "strftime", []value.Value{vs("%j %C %y"), doc}, vs("002 20 06"), "", false},
		{"epoch s", "strftime", []value.Value{vs("%s"), doc}, vs("1136239445"), "", false},
		{"weeks", "strftime", []value.Value{vs("%u %w %U %W %V %G %g"), doc}, vs("1 1 01 01 01 2006 06"), "", false},
		{"iso week year boundary", "strftime", []value.Value{vs("%G-W%V-%u"), tv(time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC))}, vs("2004-W53-6"), "", false},
		{"r R z", "strftime", []value.Value{vs("%r %R %z"), doc}, vs("10:04:05 PM 22:04 +0000"), "", false},
		{"flags", "strftime", []value.Value{vs("%-d|%_m|%0e"), doc}, vs("2| 1|02"), "", false},
		{"literal percent and unknown", "strftime", []value.Value{vs("100%% %Q%"), doc}, vs("100% %Q%"), "", false},
		{"tab newline", "strftime", []value.Value{vs("a%tb%nc"), doc}, vs("a\tb\nc"), "", false},
		{"now", "strftime", []value.Value{vs("%Y-%m-%d %H:%M"), tv(fakeNow)}, vs("2024-06-04 12:34"), "", false},
	})
}
