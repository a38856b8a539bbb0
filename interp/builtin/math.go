package builtin

import (
	"math"

	"github.com/vclide/vclide/interp/value"
)

// This file implements math.*. The functions follow the C library: a NaN
// argument gives NaN without an error; an argument outside the function's
// domain gives NaN and sets fastly.error to EDOM (reference: math.sqrt,
// math.acos and variables/fastly-error); a pole (such as log(0)) or an
// overflowing or underflowing result sets fastly.error to ERANGE, as C sets
// errno (the reference pages of those functions do not list their errors;
// unverified).

// mathErr classifies a math function's result for fastly.error.
type mathErr int

const (
	mathOK mathErr = iota
	mathDomain
	mathRange
)

// mathUnary describes a one-argument math function: f computes the result and
// check, when not nil, classifies an error for the argument and result.
type mathUnary struct {
	f     func(float64) float64
	check func(x, r float64) mathErr
}

// domainIf reports a domain error when bad(x) holds.
func domainIf(bad func(float64) bool) func(x, r float64) mathErr {
	return func(x, r float64) mathErr {
		if !math.IsNaN(x) && bad(x) {
			return mathDomain
		}
		return mathOK
	}
}

// rangeIfOverflow reports a range error when a finite argument gives an
// infinite result or, when underflow is true, a zero result.
func rangeIfOverflow(underflow bool) func(x, r float64) mathErr {
	return func(x, r float64) mathErr {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return mathOK
		}
		if math.IsInf(r, 0) || underflow && r == 0 {
			return mathRange
		}
		return mathOK
	}
}

// logCheck is the error rule of the logarithms: negative arguments (and
// -inf) are domain errors, zero is a pole.
func logCheck(x, r float64) mathErr {
	switch {
	case math.IsNaN(x):
		return mathOK
	case x < 0:
		return mathDomain
	case x == 0:
		return mathRange
	}
	return mathOK
}

var mathIsInf = func(x float64) bool { return math.IsInf(x, 0) }

// unaryMath lists the one-argument math functions.
var unaryMath = map[string]mathUnary{
	"math.acos":  {math.Acos, domainIf(func(x float64) bool { return x < -1 || x > 1 })},
	"math.asin":  {math.Asin, domainIf(func(x float64) bool { return x < -1 || x > 1 })},
	"math.atan":  {math.Atan, nil},
	"math.acosh": {math.Acosh, domainIf(func(x float64) bool { return x < 1 })},
	"math.asinh": {math.Asinh, nil},
	"math.atanh": {math.Atanh, func(x, r float64) mathErr {
		switch {
		case math.IsNaN(x):
			return mathOK
		case x < -1 || x > 1:
			return mathDomain
		case x == -1 || x == 1:
			return mathRange
		}
		return mathOK
	}},
	"math.cos":   {math.Cos, domainIf(mathIsInf)},
	"math.sin":   {math.Sin, domainIf(mathIsInf)},
	"math.tan":   {math.Tan, domainIf(mathIsInf)},
	"math.cosh":  {math.Cosh, rangeIfOverflow(false)},
	"math.sinh":  {math.Sinh, rangeIfOverflow(false)},
	"math.tanh":  {math.Tanh, nil},
	"math.exp":   {math.Exp, rangeIfOverflow(true)},
	"math.exp2":  {math.Exp2, rangeIfOverflow(true)},
	"math.log":   {math.Log, logCheck},
	"math.log2":  {math.Log2, logCheck},
	"math.log10": {math.Log10, logCheck},
	"math.sqrt":  {math.Sqrt, domainIf(func(x float64) bool { return x < 0 })},
	// Rounding (reference: vcl/rounding-modes).
	"math.ceil":          {math.Ceil, nil},
	"math.floor":         {math.Floor, nil},
	"math.trunc":         {math.Trunc, nil},
	"math.round":         {math.Round, nil},
	"math.roundeven":     {math.RoundToEven, nil},
	"math.roundhalfup":   {roundHalf(true), nil},
	"math.roundhalfdown": {roundHalf(false), nil},
}

// roundHalf rounds to the nearest integer, breaking ties towards positive
// infinity (up) or negative infinity (down); a zero result keeps the sign of
// the argument, so roundhalfup(-0.5) is -0.0 (reference: rounding-modes).
func roundHalf(up bool) func(float64) float64 {
	return func(x float64) float64 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return x
		}
		f := math.Floor(x)
		diff := x - f
		r := f
		if diff > 0.5 || diff == 0.5 && up {
			r = f + 1
		}
		if r == 0 {
			return math.Copysign(0, x)
		}
		return r
	}
}

// smallestNormal is the smallest positive normal double (DBL_MIN).
const smallestNormal = 2.2250738585072014e-308

// classifyMath lists the classification functions (reference: vcl
// floating-point classifications).
var classifyMath = map[string]func(float64) bool{
	"math.is_finite":   func(x float64) bool { return !math.IsInf(x, 0) && !math.IsNaN(x) },
	"math.is_infinite": func(x float64) bool { return math.IsInf(x, 0) },
	"math.is_nan":      math.IsNaN,
	"math.is_normal": func(x float64) bool {
		return !math.IsInf(x, 0) && !math.IsNaN(x) && math.Abs(x) >= smallestNormal
	},
	"math.is_subnormal": func(x float64) bool { return x != 0 && math.Abs(x) < smallestNormal },
}

func init() {
	for name, u := range unaryMath {
		register(name, unaryMathFunc(name, u))
	}
	for name, f := range classifyMath {
		register(name, classifyFunc(name, f))
	}
	register("math.atan2", mathAtan2)
}

// reportMath sets fastly.error for a classified math error.
func reportMath(env Env, e mathErr) {
	switch e {
	case mathDomain:
		setFastlyErr(env, value.EDOM)
	case mathRange:
		setFastlyErr(env, value.ERANGE)
	}
}

// unaryMathFunc adapts a one-argument math function.
func unaryMathFunc(fn string, u mathUnary) Func {
	return func(env Env, a []value.Value) (value.Value, error) {
		x, err := argFloat(fn, a, 0)
		if err != nil {
			return value.Value{}, err
		}
		r := u.f(x)
		if u.check != nil {
			e := u.check(x, r)
			if e == mathDomain {
				r = math.NaN()
			}
			reportMath(env, e)
		}
		return value.Float(r), nil
	}
}

// classifyFunc adapts a FLOAT classification function.
func classifyFunc(fn string, f func(float64) bool) Func {
	return func(env Env, a []value.Value) (value.Value, error) {
		x, err := argFloat(fn, a, 0)
		if err != nil {
			return value.Value{}, err
		}
		return value.Bool(f(x)), nil
	}
}

// mathAtan2 implements math.atan2(y, x): the principal value of the arc
// tangent of y/x, using the signs of both to find the quadrant. It has no
// error cases.
func mathAtan2(env Env, a []value.Value) (value.Value, error) {
	y, err := argFloat("math.atan2", a, 0)
	if err != nil {
		return value.Value{}, err
	}
	x, err := argFloat("math.atan2", a, 1)
	if err != nil {
		return value.Value{}, err
	}
	return value.Float(math.Atan2(y, x)), nil
}
