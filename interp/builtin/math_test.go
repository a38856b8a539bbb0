package builtin

import (
	"math"
	"testing"

	"github.com/vclide/vclide/interp/value"
)

// sameFloat compares floats exactly, treating NaNs as equal and telling the
// zeros apart by sign.
func sameFloat(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return a == b && math.Signbit(a) == math.Signbit(b)
}

func TestMathFunctions(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		fn   string
		args []float64
		want float64
		code string
		tol  float64
	}{
		// math.sqrt (reference: return values and errors; example sqrt(9.0)).
		{"math.sqrt", []float64{9}, 3, "", 0},
		{"math.sqrt", []float64{nan}, nan, "", 0},
		{"math.sqrt", []float64{math.Copysign(0, -1)}, math.Copysign(0, -1), "", 0},
		{"math.sqrt", []float64{inf}, inf, "", 0},
		{"math.sqrt", []float64{-1}, nan, "EDOM", 0},
		{"math.sqrt", []float64{-inf}, nan, "EDOM", 0},
		// math.acos (reference: range, +1 gives +0, EDOM outside [-1, 1]).
		{"math.acos", []float64{1}, 0, "", 0},
		{"math.acos", []float64{-1}, math.Pi, "", 0},
		{"math.acos", []float64{1.1}, nan, "EDOM", 0},
		{"math.acos", []float64{inf}, nan, "EDOM", 0},
		{"math.acos", []float64{nan}, nan, "", 0},
		{"math.asin", []float64{1}, math.Pi / 2, "", 0},
		{"math.asin", []float64{-2}, nan, "EDOM", 0},
		{"math.atan", []float64{1}, math.Pi / 4, "", 0},
		{"math.atan2", []float64{1, 1}, math.Pi / 4, "", 0},
		{"math.atan2", []float64{0, -1}, math.Pi, "", 0},
		{"math.atan2", []float64{0, 0}, 0, "", 0},
		{"math.acosh", []float64{1}, 0, "", 0},
		{"math.acosh", []float64{0.5}, nan, "EDOM", 0},
		{"math.asinh", []float64{0}, 0, "", 0},
		{"math.atanh", []float64{0}, 0, "", 0},
		{"math.atanh", []float64{1}, inf, "ERANGE", 0},
		{"math.atanh", []float64{2}, nan, "EDOM", 0},
		{"math.cos", []float64{0}, 1, "", 0},
		{"math.cos", []float64{inf}, nan, "EDOM", 0},
		{"math.sin", []float64{math.Pi / 2}, 1, "", 0},
		{"math.sin", []float64{-inf}, nan, "EDOM", 0},
		{"math.tan", []float64{0}, 0, "", 0},
		{"math.tan", []float64{inf}, nan, "EDOM", 0},
		{"math.cosh", []float64{0}, 1, "", 0},
		{"math.cosh", []float64{1000}, inf, "ERANGE", 0},
		{"math.sinh", []float64{-1000}, -inf, "ERANGE", 0},
		{"math.tanh", []float64{inf}, 1, "", 0},
		{"math.exp", []float64{1}, math.E, "", 0},
		{"math.exp", []float64{1000}, inf, "ERANGE", 0},
		{"math.exp", []float64{-1000}, 0, "ERANGE", 0},
		{"math.exp", []float64{-inf}, 0, "", 0},
		{"math.exp2", []float64{10}, 1024, "", 0},
		// math.log (reference example: log(32) is 3.466...).
		{"math.log", []float64{32}, 3.4657359027997265, "", 1e-15},
		{"math.log", []float64{1}, 0, "", 0},
		{"math.log", []float64{0}, -inf, "ERANGE", 0},
		{"math.log", []float64{-1}, nan, "EDOM", 0},
		{"math.log2", []float64{1024}, 10, "", 0},
		{"math.log10", []float64{1000}, 3, "", 0},
		{"math.log10", []float64{-inf}, nan, "EDOM", 0},
	}
	for _, tt := range tests {
		e := newEnv()
		args := make([]value.Value, len(tt.args))
		for i, x := range tt.args {
			args[i] = vf(x)
		}
		got, err := call(t, e, tt.fn, args...)
		if err != nil {
			t.Errorf("%s%v: %v", tt.fn, tt.args, err)
			continue
		}
		ok := sameFloat(got.Float, tt.want)
		if tt.tol > 0 {
			ok = math.Abs(got.Float-tt.want) <= tt.tol
		}
		if !ok {
			t.Errorf("%s%v = %v, want %v", tt.fn, tt.args, got.Float, tt.want)
		}
		if code := fastlyError(e); code != tt.code {
			t.Errorf("%s%v: fastly.error = %q, want %q", tt.fn, tt.args, code, tt.code)
		}
	}
}

// TestRoundingModes checks the table of the "Rounding modes" reference page.
func TestRoundingModes(t *testing.T) {
	neg0 := math.Copysign(0, -1)
	fns := []string{"math.ceil", "math.floor", "math.trunc", "math.round", "math.roundeven", "math.roundhalfup", "math.roundhalfdown"}
	table := []struct {
		in   float64
		want [7]float64
	}{
		{-1.8, [7]float64{-1, -2, -1, -2, -2, -2, -2}},
		{-1.5, [7]float64{-1, -2, -1, -2, -2, -1, -2}},
		{-1.2, [7]float64{-1, -2, -1, -1, -1, -1, -1}},
		{-0.5, [7]float64{neg0, -1, neg0, -1, neg0, neg0, -1}},
		{0.5, [7]float64{1, 0, 0, 1, 0, 1, 0}},
		{1.2, [7]float64{2, 1, 1, 1, 1, 1, 1}},
		{1.5, [7]float64{2, 1, 1, 2, 2, 2, 1}},
		{1.8, [7]float64{2, 1, 1, 2, 2, 2, 2}},
		{2.5, [7]float64{3, 2, 2, 3, 2, 3, 2}},
		{math.Inf(1), [7]float64{math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1)}},
	}
	for _, row := range table {
		for i, fn := range fns {
			e := newEnv()
			got, err := call(t, e, fn, vf(row.in))
			if err != nil {
				t.Fatalf("%s(%v): %v", fn, row.in, err)
			}
			if !sameFloat(got.Float, row.want[i]) {
				t.Errorf("%s(%v) = %v, want %v", fn, row.in, got.Float, row.want[i])
			}
			if code := fastlyError(e); code != "" {
				t.Errorf("%s(%v) set fastly.error %q", fn, row.in, code)
			}
		}
	}
	for _, fn := range fns {
		got, _ := call(t, newEnv(), fn, vf(math.NaN()))
		if !math.IsNaN(got.Float) {
			t.Errorf("%s(NaN) = %v, want NaN", fn, got.Float)
		}
	}
}

// TestClassification checks the classification table of the floating point
// classifications reference (math.NAN is only is_nan).
func TestClassification(t *testing.T) {
	sub := 1e-310
	tests := []struct {
		x    float64
		want [5]bool // finite, infinite, nan, normal, subnormal
	}{
		{math.NaN(), [5]bool{false, false, true, false, false}},
		{math.Inf(1), [5]bool{false, true, false, false, false}},
		{math.Inf(-1), [5]bool{false, true, false, false, false}},
		{0, [5]bool{true, false, false, false, false}},
		{1.5, [5]bool{true, false, false, true, false}},
		{-2.2250738585072014e-308, [5]bool{true, false, false, true, false}},
		{sub, [5]bool{true, false, false, false, true}},
	}
	fns := []string{"math.is_finite", "math.is_infinite", "math.is_nan", "math.is_normal", "math.is_subnormal"}
	for _, tt := range tests {
		for i, fn := range fns {
			got, err := call(t, newEnv(), fn, vf(tt.x))
			if err != nil || got.Bool != tt.want[i] {
				t.Errorf("%s(%v) = %v, %v; want %v", fn, tt.x, got.Bool, err, tt.want[i])
			}
		}
	}
}

func TestMathArgs(t *testing.T) {
	e := newEnv()
	if got, err := call(t, e, "math.sqrt", vi(16)); err != nil || got.Float != 4 {
		t.Errorf("math.sqrt(16) = %v, %v; want 4 (INTEGER converts)", got.Float, err)
	}
	if _, err := call(t, e, "math.sqrt"); err == nil {
		t.Error("math.sqrt() succeeded")
	}
	if _, err := call(t, e, "math.atan2", vf(1)); err == nil {
		t.Error("math.atan2(1) succeeded")
	}
	if _, err := call(t, e, "math.floor", vb(true)); err == nil {
		t.Error("math.floor(true) succeeded")
	}
	n := 0
	for _, name := range Names() {
		if len(name) > 5 && name[:5] == "math." {
			n++
		}
	}
	if n != 31 {
		t.Errorf("%d math.* functions registered, want 31", n)
	}
}
