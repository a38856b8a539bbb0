package builtin

import (
	"errors"
	"math"
	"net/http"
	"net/netip"
	"testing"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/value"
)

// fastlyError returns the fastly.error the function set ("" when none).
func fastlyError(e *fakeEnv) string {
	if v, ok := e.vars["fastly.error"]; ok {
		return v.Str
	}
	return ""
}

// ipv is a test shorthand for an IP value.
func ipv(s string) value.Value { return value.IP(netip.MustParseAddr(s)) }

// builtinCase is one call of a builtin with its expected result and
// fastly.error.
type builtinCase struct {
	name    string
	fn      string
	args    []value.Value
	want    value.Value
	errCode string
	wantErr bool
}

// runCases calls each case's builtin in a fresh fakeEnv and compares the
// result (by type, not-set flag and string form) and fastly.error.
func runCases(t *testing.T, cases []builtinCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv()
			got, err := call(t, e, tc.fn, tc.args...)
			if (err != nil) != tc.wantErr {
				t.Fatalf("%s: err = %v, want error %v", tc.fn, err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if got.T != tc.want.T || got.NotSet != tc.want.NotSet || got.String() != tc.want.String() {
				t.Errorf("%s = %s %q (not set %v), want %s %q (not set %v)", tc.fn,
					got.T, got.String(), got.NotSet, tc.want.T, tc.want.String(), tc.want.NotSet)
			}
			if code := fastlyError(e); code != tc.errCode {
				t.Errorf("fastly.error = %q, want %q", code, tc.errCode)
			}
		})
	}
}

func TestStdNumbers(t *testing.T) {
	runCases(t, []builtinCase{
		// std.atoi / std.strtol (reference: std-atoi, std-strtol).
		{"atoi 42 (doc example)", "std.atoi", []value.Value{vs("42")}, vi(42), "", false},
		{"atoi leading space trailing chars", "std.atoi", []value.Value{vs("  -17abc")}, vi(-17), "", false},
		{"atoi no digits", "std.atoi", []value.Value{vs("abc")}, vi(0), "", false},
		{"strtol hex 42 (doc example)", "std.strtol", []value.Value{vs("2a"), vi(16)}, vi(42), "", false},
		{"strtol hex with prefix", "std.strtol", []value.Value{vs("0x2A"), vi(16)}, vi(42), "", false},
		{"strtol base 0 hex", "std.strtol", []value.Value{vs("0xABC"), vi(0)}, vi(0xABC), "", false},
		{"strtol base 0 negative hex zero", "std.strtol", []value.Value{vs("-0x0"), vi(0)}, vi(0), "", false},
		{"strtol base 0 octal", "std.strtol", []value.Value{vs("0123"), vi(0)}, vi(0123), "", false},
		{"strtol base 0 decimal", "std.strtol", []value.Value{vs("123"), vi(0)}, vi(123), "", false},
		{"strtol base 0 lone zero", "std.strtol", []value.Value{vs("0"), vi(0)}, vi(0), "", false},
		{"strtol base 36 case insensitive", "std.strtol", []value.Value{vs("Zz"), vi(36)}, vi(35*36 + 35), "", false},
		{"strtol binary", "std.strtol", []value.Value{vs("1011"), vi(2)}, vi(11), "", false},
		{"strtol bad base", "std.strtol", []value.Value{vs("10"), vi(37)}, vi(0), "ERANGE", false},
		{"strtol base 1", "std.strtol", []value.Value{vs("10"), vi(1)}, vi(0), "ERANGE", false},
		{"strtol overflow", "std.strtol", []value.Value{vs("9223372036854775808"), vi(10)}, vi(math.MaxInt64), "ERANGE", false},
		{"strtol min", "std.strtol", []value.Value{vs("-9223372036854775808"), vi(10)}, vi(math.MinInt64), "", false},
		{"strtol underflow", "std.strtol", []value.Value{vs("-9223372036854775809"), vi(10)}, vi(math.MinInt64), "ERANGE", false},
		// std.atof / std.strtof (reference: std-atof, std-strtof).
		{"atof 21.82", "std.atof", []value.Value{vs("21.82")}, vf(21.82), "", false},
		{"strtof 1.2", "std.strtof", []value.Value{vs("1.2"), vi(10)}, vf(1.2), "", false},
		{"strtof -1.2e-3", "std.strtof", []value.Value{vs("-1.2e-3"), vi(10)}, vf(-0.0012), "", false},
		{"strtof pi (doc example)", "std.strtof", []value.Value{vs("3.1415"), vi(10)}, vf(3.1415), "", false},
		{"strtof integer syntax", "std.strtof", []value.Value{vs("7"), vi(10)}, vf(7), "", false},
		{"strtof hex 0xA.B", "std.strtof", []value.Value{vs("0xA.B"), vi(16)}, vf(10.6875), "", false},
		{"strtof hex 0xA.Bp-3", "std.strtof", []value.Value{vs("0xA.Bp-3"), vi(16)}, vf(10.6875 / 8), "", false},
		{"strtof base 0 detects hex", "std.strtof", []value.Value{vs("0x10"), vi(0)}, vf(16), "", false},
		{"strtof base 10 rejects hex", "std.strtof", []value.Value{vs("0x10"), vi(10)}, vf(0), "EPARSENUM", false},
		{"strtof base 16 requires prefix", "std.strtof", []value.Value{vs("10"), vi(16)}, vf(0), "EPARSENUM", false},
		{"strtof NaN", "std.strtof", []value.Value{vs("NaN"), vi(10)}, vf(math.NaN()), "", false},
		{"strtof inf", "std.strtof", []value.Value{vs("inf"), vi(10)}, vf(math.Inf(1)), "", false},
		{"strtof +inf", "std.strtof", []value.Value{vs("+inf"), vi(10)}, vf(math.Inf(1)), "", false},
		{"strtof -inf", "std.strtof", []value.Value{vs("-inf"), vi(10)}, vf(math.Inf(-1)), "", false},
		{"strtof case sensitive", "std.strtof", []value.Value{vs("nan"), vi(10)}, vf(0), "EPARSENUM", false},
		{"strtof no whitespace", "std.strtof", []value.Value{vs(" 1.5"), vi(10)}, vf(0), "EPARSENUM", false},
		{"strtof trailing junk", "std.strtof", []value.Value{vs("1.5x"), vi(10)}, vf(0), "EPARSENUM", false},
		{"strtof bad base", "std.strtof", []value.Value{vs("1.5"), vi(8)}, vf(0), "ERANGE", false},
		{"strtof overflow", "std.strtof", []value.Value{vs("1e400"), vi(10)}, vf(math.Inf(1)), "ERANGE", false},
		// std.itoa (reference: std-itoa).
		{"itoa decimal (doc example)", "std.itoa", []value.Value{vi(-10)}, vs("-10"), "", false},
		{"itoa hex (doc example)", "std.itoa", []value.Value{vi(42), vi(16)}, vs("2a"), "", false},
		{"itoa base 36", "std.itoa", []value.Value{vi(35), vi(36)}, vs("z"), "", false},
		{"itoa bad base", "std.itoa", []value.Value{vi(1), vi(1)}, value.NullString(), "EINVAL", false},
		{"itoa base 37", "std.itoa", []value.Value{vi(1), vi(37)}, value.NullString(), "EINVAL", false},
		// std.itoa_charset (reference: std-itoa-charset).
		{"itoa_charset sheep (doc example)", "std.itoa_charset", []value.Value{vi(8), vs("ab")}, vs("baaa"), "", false},
		{"itoa_charset upper hex (doc example)", "std.itoa_charset", []value.Value{vi(0xdeadbeef), vs("0123456789ABCDEF")}, vs("DEADBEEF"), "", false},
		{"itoa_charset base62 (doc example)", "std.itoa_charset", []value.Value{vi(4825434263756878946), vs("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")}, vs("5KsxueeBfd8"), "", false},
		{"itoa_charset zero", "std.itoa_charset", []value.Value{vi(0), vs("xy")}, vs("x"), "", false},
		{"itoa_charset negative", "std.itoa_charset", []value.Value{vi(-2), vs("01")}, vs("-10"), "", false},
		{"itoa_charset short", "std.itoa_charset", []value.Value{vi(8), vs("a")}, value.NullString(), "EINVAL", false},
		{"itoa_charset not set", "std.itoa_charset", []value.Value{vi(8), value.NullString()}, value.NullString(), "EINVAL", false},
		{"strtol arity", "std.strtol", []value.Value{vs("1")}, value.Value{}, "", true},
	})
}

func TestStdIP(t *testing.T) {
	runCases(t, []builtinCase{
		// std.str2ip / std.ip (reference: std-str2ip, std-ip).
		{"str2ip (doc example)", "std.str2ip", []value.Value{vs("192.0.2.1"), vs("192.0.2.2")}, ipv("192.0.2.1"), "", false},
		{"str2ip ipv6", "std.str2ip", []value.Value{vs("2001:db8::1"), vs("192.0.2.2")}, ipv("2001:db8::1"), "", false},
		{"str2ip fallback", "std.str2ip", []value.Value{vs("example.com"), vs("192.0.2.2")}, ipv("192.0.2.2"), "", false},
		{"str2ip hex not accepted", "std.str2ip", []value.Value{vs("0xc0.0.2.1"), vs("192.0.2.2")}, ipv("192.0.2.2"), "", false},
		{"str2ip not set", "std.str2ip", []value.Value{value.NullString(), vs("192.0.2.2")}, ipv("192.0.2.2"), "", false},
		{"str2ip bad fallback", "std.str2ip", []value.Value{vs("x"), vs("y")}, value.Value{}, "", true},
		{"ip alias", "std.ip", []value.Value{vs("10.0.0.1"), vs("192.0.2.2")}, ipv("10.0.0.1"), "", false},
		// std.anystr2ip (reference: std-anystr2ip).
		{"anystr2ip 8.8.8.8 (doc text)", "std.anystr2ip", []value.Value{vs("0x8.010.2056"), vs("192.0.2.2")}, ipv("8.8.8.8"), "", false},
		{"anystr2ip (doc example)", "std.anystr2ip", []value.Value{vs("0xc0.0.01001"), vs("192.0.2.2")}, ipv("192.0.2.1"), "", false},
		{"anystr2ip single number", "std.anystr2ip", []value.Value{vs("3232235777"), vs("192.0.2.2")}, ipv("192.168.1.1"), "", false},
		{"anystr2ip dotted", "std.anystr2ip", []value.Value{vs("10.1.2.3"), vs("192.0.2.2")}, ipv("10.1.2.3"), "", false},
		{"anystr2ip ipv6", "std.anystr2ip", []value.Value{vs("::1"), vs("192.0.2.2")}, ipv("::1"), "", false},
		{"anystr2ip part too big", "std.anystr2ip", []value.Value{vs("256.1.1.1"), vs("192.0.2.2")}, ipv("192.0.2.2"), "", false},
		{"anystr2ip last too big", "std.anystr2ip", []value.Value{vs("1.2.65536"), vs("192.0.2.2")}, ipv("192.0.2.2"), "", false},
		{"anystr2ip bad octal", "std.anystr2ip", []value.Value{vs("09.1.1.1"), vs("192.0.2.2")}, ipv("192.0.2.2"), "", false},
		// std.ip2str (reference: std-ip2str).
		{"ip2str v4", "std.ip2str", []value.Value{ipv("192.0.2.2")}, vs("192.0.2.2"), "", false},
		{"ip2str v6", "std.ip2str", []value.Value{ipv("2001:0db8::0001")}, vs("2001:db8::1"), "", false},
		{"ip2str of str2ip (doc example)", "std.ip2str", []value.Value{ipv("192.0.2.2")}, vs("192.0.2.2"), "", false},
		{"ip2str not set", "std.ip2str", []value.Value{{T: catalog.TypeIP, NotSet: true}}, value.NullString(), "", false},
	})
}

func TestStdPaths(t *testing.T) {
	runCases(t, []builtinCase{
		// Examples from the std.basename and std.dirname reference pages.
		{"basename usual", "std.basename", []value.Value{vs("/foo/bar/foobar")}, vs("foobar"), "", false},
		{"basename no slash", "std.basename", []value.Value{vs("foo")}, vs("foo"), "", false},
		{"basename root", "std.basename", []value.Value{vs("/")}, vs("/"), "", false},
		{"basename empty", "std.basename", []value.Value{vs("")}, vs("."), "", false},
		{"basename not set", "std.basename", []value.Value{value.NullString()}, vs("."), "", false},
		{"basename trailing slash", "std.basename", []value.Value{vs("/usr/")}, vs("usr"), "", false},
		{"basename usr lib", "std.basename", []value.Value{vs("/usr/lib")}, vs("lib"), "", false},
		{"basename slashes", "std.basename", []value.Value{vs("///")}, vs("/"), "", false},
		{"basename of fastly.com/api", "std.basename", []value.Value{vs("fastly.com/api")}, vs("api"), "", false},
		{"dirname usual", "std.dirname", []value.Value{vs("/foo/bar/foobar")}, vs("/foo/bar"), "", false},
		{"dirname no slash", "std.dirname", []value.Value{vs("foo")}, vs("."), "", false},
		{"dirname root", "std.dirname", []value.Value{vs("/")}, vs("/"), "", false},
		{"dirname empty", "std.dirname", []value.Value{vs("")}, vs("."), "", false},
		{"dirname not set", "std.dirname", []value.Value{value.NullString()}, vs("."), "", false},
		{"dirname usr lib", "std.dirname", []value.Value{vs("/usr/lib")}, vs("/usr"), "", false},
		{"dirname usr slash", "std.dirname", []value.Value{vs("/usr/")}, vs("/"), "", false},
		{"dirname of fastly.com/api", "std.dirname", []value.Value{vs("fastly.com/api")}, vs("fastly.com"), "", false},
		{"dirname relative", "std.dirname", []value.Value{vs("a//b")}, vs("a"), "", false},
	})
}

func TestStdCollect(t *testing.T) {
	tests := []struct {
		name    string
		headers http.Header
		args    []value.Value
		want    []string
		wantErr bool
	}{
		{"cookie with semicolon (doc example)", http.Header{"Cookie": {"name1=value1", "name2=value2"}},
			[]value.Value{value.ID("req.http.Cookie"), vs(";")}, []string{"name1=value1; name2=value2"}, false},
		{"default comma", http.Header{"X-A": {"1", "2", "3"}},
			[]value.Value{value.ID("req.http.X-A")}, []string{"1, 2, 3"}, false},
		{"name case insensitive", http.Header{"X-A": {"1", "2"}},
			[]value.Value{value.ID("req.http.x-a")}, []string{"1, 2"}, false},
		{"single instance unchanged", http.Header{"X-A": {"1"}},
			[]value.Value{value.ID("req.http.X-A")}, []string{"1"}, false},
		{"absent stays absent", http.Header{},
			[]value.Value{value.ID("req.http.X-A")}, nil, false},
		{"not a header", http.Header{},
			[]value.Value{value.ID("req.url")}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv()
			e.headers["req"] = tt.headers
			got, err := call(t, e, "std.collect", tt.args...)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if got.T != catalog.TypeVoid {
				t.Errorf("result type %s, want VOID", got.T)
			}
			name := tt.args[0].Str[len("req.http."):]
			if v := headerValues(e.headers["req"], name); len(v) != len(tt.want) || len(v) > 0 && v[0] != tt.want[0] {
				t.Errorf("header = %q, want %q", v, tt.want)
			}
		})
	}
}

func TestStdCount(t *testing.T) {
	e := newEnv()
	e.headers["req"] = http.Header{"Host": {"example.com"}, "Cookie": {"a=1", "b=2"}, "Accept": {"*/*"}}
	got, err := call(t, e, "std.count", value.ID("req.headers"))
	if err != nil || got.Int != 4 {
		t.Errorf("std.count(req.headers) = %v, %v; want 4", got.Int, err)
	}
	got, err = call(t, e, "std.count", value.ID("resp.headers"))
	if err != nil || got.Int != 0 {
		t.Errorf("std.count(resp.headers) = %v, %v; want 0", got.Int, err)
	}
	if _, err := call(t, e, "std.count", value.ID("req.http.Cookie")); !errors.Is(err, ErrNotSupported) {
		t.Errorf("std.count(req.http.Cookie) err = %v, want ErrNotSupported", err)
	}
	if _, err := call(t, e, "std.count", value.ID("foo.headers")); err == nil {
		t.Error("std.count(foo.headers) succeeded")
	}
}

func TestNameArgs(t *testing.T) {
	for _, fn := range []string{"std.collect", "std.count"} {
		idx, ok := NameArgs[fn]
		if !ok || len(idx) != 1 || idx[0] != 0 {
			t.Errorf("NameArgs[%q] = %v, want [0]", fn, idx)
		}
		if _, ok := Lookup(fn); !ok {
			t.Errorf("%s is not registered", fn)
		}
	}
}
