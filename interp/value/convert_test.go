package value

import (
	"errors"
	"math"
	"net/netip"
	"testing"
	"time"

	"github.com/vclide/vclide/analysis/catalog"
)

func mustRTime(t *testing.T, s string) time.Duration {
	t.Helper()
	d, err := ParseRTimeLiteral(s)
	if err != nil {
		t.Fatalf("ParseRTimeLiteral(%q): %v", s, err)
	}
	return d
}

func TestString(t *testing.T) {
	epoch := time.Unix(0, 0)
	tests := []struct {
		name string
		v    Value
		want string
	}{
		{"string", String("abc"), "abc"},
		{"empty string", String(""), ""},
		{"not set string renders empty", NullString(), ""},
		{"integer", Integer(-42), "-42"},
		{"integer max", Integer(math.MaxInt64), "9223372036854775807"},
		{"float three places", Float(1.5), "1.500"},
		{"float rounds", Float(2.0 / 3.0), "0.667"},
		{"float negative", Float(-0.25), "-0.250"},
		{"float NaN (math.NAN doc)", Float(math.NaN()), "NaN"},
		{"float +inf (math.POS_INFINITY doc)", Float(math.Inf(1)), "inf"},
		{"float -inf (math.NEG_INFINITY doc)", Float(math.Inf(-1)), "-inf"},
		{"bool true (types/bool doc)", Bool(true), "1"},
		{"bool false", Bool(false), "0"},
		{"time epoch (types/time doc)", Time(epoch), "Thu, 01 Jan 1970 00:00:00 GMT"},
		{"time std.integer2time doc", Time(time.Unix(1136239445, 0)), "Mon, 02 Jan 2006 22:04:05 GMT"},
		{"time before epoch", Time(time.Unix(-1, 0)), "datetime out of bounds"},
		{"time in another zone renders GMT", Time(time.Date(2006, 1, 2, 23, 4, 5, 0, time.FixedZone("X", 3600))), "Mon, 02 Jan 2006 22:04:05 GMT"},
		{"rtime 3.5d (types/rtime doc)", RTime(mustRTime(t, "3.5d")), "302400.000"},
		{"rtime 10s", RTime(10 * time.Second), "10.000"},
		{"rtime ms", RTime(1500 * time.Millisecond), "1.500"},
		{"rtime negative", RTime(-2 * time.Second), "-2.000"},
		{"rtime rounds to ms", RTime(1234567 * time.Microsecond), "1.235"},
		{"rtime zero", RTime(0), "0.000"},
		{"rtime min", RTime(math.MinInt64), "-9223372036.855"},
		{"ipv4", IP(netip.MustParseAddr("192.0.2.1")), "192.0.2.1"},
		{"ipv6 canonical", IP(netip.MustParseAddr("2001:DB8:0:0::1")), "2001:db8::1"},
		{"ip not set", Value{T: catalog.TypeIP, NotSet: true}, ""},
		{"backend name", Backend("F_origin"), "F_origin"},
		{"id", ID("req.http.Cookie"), "req.http.Cookie"},
		{"void", Void(), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.v.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTruthyAndToBool(t *testing.T) {
	tests := []struct {
		name    string
		v       Value
		want    bool
		boolErr bool
	}{
		{"set string", String("x"), true, false},
		{"empty but set string is present", String(""), true, false},
		{"not set string", NullString(), false, false},
		{"bool true", Bool(true), true, false},
		{"bool false", Bool(false), false, false},
		{"ip set", IP(netip.MustParseAddr("192.0.2.1")), true, false},
		{"ip not set", Value{T: catalog.TypeIP, NotSet: true}, false, false},
		{"integer not a BOOL", Integer(1), true, true},
		{"zero integer", Integer(0), false, true},
		{"rtime", RTime(time.Second), true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Truthy(tt.v); got != tt.want {
				t.Errorf("Truthy = %v, want %v", got, tt.want)
			}
			b, err := ToBool(tt.v)
			if (err != nil) != tt.boolErr {
				t.Fatalf("ToBool err = %v, want error %v", err, tt.boolErr)
			}
			if err == nil && b != tt.want {
				t.Errorf("ToBool = %v, want %v", b, tt.want)
			}
			if err != nil && !errors.Is(err, ErrType) {
				t.Errorf("ToBool error %v is not ErrType", err)
			}
		})
	}
}

func TestToNumbers(t *testing.T) {
	ints := []struct {
		v       Value
		want    int64
		wantErr bool
	}{
		{Integer(7), 7, false},
		{Float(2.9), 2, false},
		{Float(-2.9), -2, false},
		{Float(math.NaN()), 0, true},
		{Float(1e19), 0, true},
		{RTime(90 * time.Second), 90, false},
		{Time(time.Unix(1136239445, 0)), 1136239445, false},
		{String(" 12 "), 12, false},
		{String("12a"), 0, true},
		{NullString(), 0, true},
		{Bool(true), 0, true},
	}
	for _, tt := range ints {
		got, err := ToInteger(tt.v)
		if (err != nil) != tt.wantErr || (err == nil && got != tt.want) {
			t.Errorf("ToInteger(%#v) = %d, %v; want %d, error %v", tt.v, got, err, tt.want, tt.wantErr)
		}
	}
	floats := []struct {
		v       Value
		want    float64
		wantErr bool
	}{
		{Float(1.25), 1.25, false},
		{Integer(3), 3, false},
		{RTime(1500 * time.Millisecond), 1.5, false},
		{String("2.5"), 2.5, false},
		{String("x"), 0, true},
		{Bool(false), 0, true},
	}
	for _, tt := range floats {
		got, err := ToFloat(tt.v)
		if (err != nil) != tt.wantErr || (err == nil && got != tt.want) {
			t.Errorf("ToFloat(%#v) = %v, %v; want %v, error %v", tt.v, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestToRTimeTimeIP(t *testing.T) {
	rt := []struct {
		v       Value
		want    time.Duration
		wantErr bool
	}{
		{RTime(time.Minute), time.Minute, false},
		{Integer(5), 5 * time.Second, false},
		{Float(0.5), 500 * time.Millisecond, false},
		{String("5m"), 5 * time.Minute, false},
		{String("soon"), 0, true},
		{Integer(math.MaxInt64), math.MaxInt64, false},
		{Bool(true), 0, true},
	}
	for _, tt := range rt {
		got, err := ToRTime(tt.v)
		if (err != nil) != tt.wantErr || (err == nil && got != tt.want) {
			t.Errorf("ToRTime(%#v) = %v, %v; want %v, error %v", tt.v, got, err, tt.want, tt.wantErr)
		}
	}
	tm := []struct {
		v       Value
		want    int64
		wantErr bool
	}{
		{Integer(1136239445), 1136239445, false},
		{Float(1136239445.5), 1136239445, false},
		{String("Mon, 02 Jan 2006 22:04:05 GMT"), 1136239445, false},
		{String("yesterday"), 0, true},
		{Bool(true), 0, true},
	}
	for _, tt := range tm {
		got, err := ToTime(tt.v)
		if (err != nil) != tt.wantErr || (err == nil && got.Unix() != tt.want) {
			t.Errorf("ToTime(%#v) = %v, %v; want %d, error %v", tt.v, got, err, tt.want, tt.wantErr)
		}
	}
	ips := []struct {
		v       Value
		want    string
		wantErr bool
	}{
		{String("192.0.2.2"), "192.0.2.2", false},
		{String("2001:db8::1"), "2001:db8::1", false},
		{String("example.com"), "", true},
		{IP(netip.MustParseAddr("10.0.0.1")), "10.0.0.1", false},
		{Value{T: catalog.TypeIP, NotSet: true}, "", true},
		{Integer(1), "", true},
	}
	for _, tt := range ips {
		got, err := ToIP(tt.v)
		if (err != nil) != tt.wantErr || (err == nil && got.String() != tt.want) {
			t.Errorf("ToIP(%#v) = %v, %v; want %s, error %v", tt.v, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestConvert(t *testing.T) {
	tests := []struct {
		name    string
		v       Value
		to      catalog.Type
		want    Value
		wantErr bool
	}{
		{"integer into header", Integer(1), catalog.TypeString, String("1"), false},
		{"bool into header", Bool(true), catalog.TypeString, String("1"), false},
		{"float into header", Float(1.5), catalog.TypeString, String("1.500"), false},
		{"rtime into header", RTime(10 * time.Second), catalog.TypeString, String("10.000"), false},
		{"not set stays not set", NullString(), catalog.TypeString, NullString(), false},
		{"not set ip becomes not set string", Value{T: catalog.TypeIP, NotSet: true}, catalog.TypeString, NullString(), false},
		{"integer literal into FLOAT", Integer(3), catalog.TypeFloat, Float(3), false},
		{"same type", Integer(3), catalog.TypeInteger, Integer(3), false},
		{"string into IP", String("192.0.2.1"), catalog.TypeIP, IP(netip.MustParseAddr("192.0.2.1")), false},
		{"bad string into IP", String("nope"), catalog.TypeIP, Value{}, true},
		{"id into backend", ID("F_origin"), catalog.TypeBackend, Backend("F_origin"), false},
		{"string into INTEGER rejected", String("12"), catalog.TypeInteger, Value{}, true},
		{"integer into BOOL rejected (types/bool)", Integer(1), catalog.TypeBool, Value{}, true},
		{"string into BOOL rejected (types/bool)", String("true"), catalog.TypeBool, Value{}, true},
		{"float into INTEGER rejected", Float(1.5), catalog.TypeInteger, Value{}, true},
		{"bool into INTEGER rejected (types/bool)", Bool(true), catalog.TypeInteger, Value{}, true},
		{"anything into unknown", Bool(true), catalog.TypeUnknown, Bool(true), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Convert(tt.v, tt.to)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestCompare(t *testing.T) {
	t0 := time.Unix(100, 0)
	ip := IP(netip.MustParseAddr("192.0.2.1"))
	tests := []struct {
		op      string
		a, b    Value
		want    bool
		wantErr bool
	}{
		{"==", String("a"), String("a"), true, false},
		{"!=", String("a"), String("b"), true, false},
		{"==", NullString(), NullString(), false, false},
		{"==", NullString(), String(""), false, false},
		{"!=", NullString(), String("x"), true, false},
		{"<", String("a"), String("b"), false, true},
		{"<", Integer(1), Integer(2), true, false},
		{">=", Integer(2), Integer(2), true, false},
		{"==", Integer(2), Float(2.0), true, false},
		{">", Float(2.5), Integer(2), true, false},
		{"==", Float(math.NaN()), Float(math.NaN()), false, false},
		{"!=", Float(math.NaN()), Float(1), true, false},
		{"<", RTime(time.Second), RTime(time.Minute), true, false},
		{">", Time(t0.Add(time.Second)), Time(t0), true, false},
		{"<=", Time(t0), Time(t0), true, false},
		{"==", Bool(true), Bool(true), true, false},
		{"<", Bool(false), Bool(true), false, true},
		{"==", Backend("a"), Backend("a"), true, false},
		{"==", ip, String("192.0.2.1"), true, false},
		{"!=", ip, String("192.0.2.2"), true, false},
		{"==", ip, String("garbage"), false, false},
		{"==", Integer(1), String("1"), false, true},
		{"==", RTime(time.Second), Integer(1), false, true},
		{"~", String("a"), String("a"), false, true},
	}
	for _, tt := range tests {
		got, err := Compare(tt.op, tt.a, tt.b)
		if (err != nil) != tt.wantErr {
			t.Errorf("Compare(%s, %#v, %#v) err = %v, want error %v", tt.op, tt.a, tt.b, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("Compare(%s, %#v, %#v) = %v, want %v", tt.op, tt.a, tt.b, got, tt.want)
		}
	}
}

func TestApplyAssign(t *testing.T) {
	t0 := time.Unix(1000, 0)
	tests := []struct {
		name     string
		op       string
		lhs, rhs Value
		want     Value
		code     string
		wantErr  bool
	}{
		{"int add", "+=", Integer(40), Integer(2), Integer(42), "", false},
		{"int sub", "-=", Integer(40), Integer(50), Integer(-10), "", false},
		{"int mul", "*=", Integer(6), Integer(7), Integer(42), "", false},
		{"int div truncates", "/=", Integer(7), Integer(2), Integer(3), "", false},
		{"int div negative", "/=", Integer(-7), Integer(2), Integer(-3), "", false},
		{"int mod", "%=", Integer(-7), Integer(3), Integer(-1), "", false},
		{"int div by zero EDOM", "/=", Integer(7), Integer(0), Integer(7), "EDOM", false},
		{"int mod by zero EDOM", "%=", Integer(7), Integer(0), Integer(7), "EDOM", false},
		{"int add overflow", "+=", Integer(math.MaxInt64), Integer(1), Integer(math.MaxInt64), "ERANGE", false},
		{"int sub overflow", "-=", Integer(math.MinInt64), Integer(1), Integer(math.MinInt64), "ERANGE", false},
		{"int mul overflow", "*=", Integer(math.MaxInt64), Integer(2), Integer(math.MaxInt64), "ERANGE", false},
		{"int mul min by -1", "*=", Integer(-1), Integer(math.MinInt64), Integer(-1), "ERANGE", false},
		{"int div min by -1", "/=", Integer(math.MinInt64), Integer(-1), Integer(math.MinInt64), "ERANGE", false},
		{"int or", "|=", Integer(0x0f), Integer(0xf0), Integer(0xff), "", false},
		{"int and", "&=", Integer(0x3c), Integer(0x0f), Integer(0x0c), "", false},
		{"int xor", "^=", Integer(0xff), Integer(0x0f), Integer(0xf0), "", false},
		{"int shl", "<<=", Integer(1), Integer(10), Integer(1024), "", false},
		{"int shr arithmetic", ">>=", Integer(-8), Integer(1), Integer(-4), "", false},
		{"int shl out", "<<=", Integer(1), Integer(64), Integer(0), "", false},
		{"int shift negative", "<<=", Integer(1), Integer(-1), Integer(1), "ERANGE", false},
		{"int rol", "rol=", Integer(math.MinInt64), Integer(1), Integer(1), "", false},
		{"int ror", "ror=", Integer(1), Integer(1), Integer(math.MinInt64), "", false},
		{"int plus bool invalid (types/bool)", "+=", Integer(0), Bool(true), Integer(0), "", true},
		{"int &&= invalid", "&&=", Integer(1), Integer(1), Integer(1), "", true},
		{"float add int", "+=", Float(1.5), Integer(1), Float(2.5), "", false},
		{"float div", "/=", Float(1), Float(4), Float(0.25), "", false},
		{"float div by zero", "/=", Float(1), Float(0), Float(math.Inf(1)), "EDOM", false},
		{"float mod inf (fastly.error doc)", "%=", Float(math.Inf(1)), Integer(5), Float(math.NaN()), "EDOM", false},
		{"float overflow", "*=", Float(math.MaxFloat64), Float(10), Float(math.Inf(1)), "ERANGE", false},
		{"float bitwise invalid", "|=", Float(1), Float(1), Float(1), "", true},
		{"rtime add", "+=", RTime(time.Minute), RTime(30 * time.Second), RTime(90 * time.Second), "", false},
		{"rtime sub", "-=", RTime(time.Minute), RTime(2 * time.Minute), RTime(-time.Minute), "", false},
		{"rtime mul int", "*=", RTime(time.Minute), Integer(3), RTime(3 * time.Minute), "", false},
		{"rtime div float", "/=", RTime(time.Minute), Float(2), RTime(30 * time.Second), "", false},
		{"rtime div zero", "/=", RTime(time.Minute), Integer(0), RTime(time.Minute), "EDOM", false},
		{"rtime saturates", "+=", RTime(math.MaxInt64), RTime(time.Second), RTime(math.MaxInt64), "ERANGE", false},
		{"rtime plus int invalid", "+=", RTime(time.Second), Integer(1), RTime(time.Second), "", true},
		{"time plus rtime", "+=", Time(t0), RTime(time.Hour), Time(t0.Add(time.Hour)), "", false},
		{"time minus rtime", "-=", Time(t0), RTime(time.Second), Time(t0.Add(-time.Second)), "", false},
		{"time times invalid", "*=", Time(t0), Integer(2), Time(t0), "", true},
		{"string append", "+=", String("a"), Integer(1), String("a1"), "", false},
		{"not set string append", "+=", NullString(), String("b"), String("b"), "", false},
		{"bool and", "&&=", Bool(true), Bool(false), Bool(false), "", false},
		{"bool or", "||=", Bool(false), Bool(true), Bool(true), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, code, err := ApplyAssign(tt.op, tt.lhs, tt.rhs)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				if !errors.Is(err, ErrType) {
					t.Errorf("error %v is not ErrType", err)
				}
				return
			}
			if code != tt.code {
				t.Errorf("code = %q, want %q", code, tt.code)
			}
			if tt.want.T == catalog.TypeFloat && math.IsNaN(tt.want.Float) {
				if !math.IsNaN(got.Float) {
					t.Errorf("got %v, want NaN", got.Float)
				}
				return
			}
			if got.T == catalog.TypeTime {
				if !got.Time.Equal(tt.want.Time) {
					t.Errorf("got %v, want %v", got.Time, tt.want.Time)
				}
				return
			}
			if got != tt.want {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestParseRTimeLiteral(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		// Examples from the RTIME reference page.
		{"0ms", 0, false},
		{"5.3d", time.Duration(5.3 * 24 * float64(time.Hour)), false},
		{"-2s", -2 * time.Second, false},
		{"5 m", 5 * time.Minute, false},
		{"3.5d", 84 * time.Hour, false},
		{"10s", 10 * time.Second, false},
		{"250ms", 250 * time.Millisecond, false},
		{"2h", 2 * time.Hour, false},
		{"1w", 7 * 24 * time.Hour, false},
		{"1y", 365 * 24 * time.Hour, false},
		{"1.5s", 1500 * time.Millisecond, false},
		// Clamping to the 64-bit nanosecond range (types/rtime table).
		{"9223372036s", 9223372036 * time.Second, false},
		{"9223372037s", math.MaxInt64, false},
		{"-300y", math.MinInt64, false},
		{"10", 0, true},
		{"10x", 0, true},
		{"s", 0, true},
		{"1.2.3s", 0, true},
		{".5s", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseRTimeLiteral(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseRTimeLiteral(%q) err = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseRTimeLiteral(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}
