package builtin

import (
	"math"
	"math/big"
	"math/rand"

	"github.com/vclide/vclide/interp/value"
)

// This file implements randombool, randombool_seeded, randomint,
// randomint_seeded and randomstr. The unseeded functions draw from the
// request's deterministic source (Env.Rand); the seeded ones from a source
// seeded with their seed argument, so the same seed always gives the same
// result (reference: functions/randomness/randomint-seeded).

func init() {
	register("randombool", randomBool(false))
	register("randombool_seeded", randomBool(true))
	register("randomint", randomInt(false))
	register("randomint_seeded", randomInt(true))
	register("randomstr", randomStr)
}

// randMax is RAND_MAX, the largest value randombool draws.
const randMax = math.MaxInt32

// randSource returns the seeded source for a seeded function (the seed is
// argument i) or the request's source.
func randSource(fn string, env Env, a []value.Value, seeded bool, i int) (*rand.Rand, error) {
	if !seeded {
		return env.Rand(), nil
	}
	seed, err := argInt(fn, a, i)
	if err != nil {
		return nil, err
	}
	return rand.New(rand.NewSource(seed)), nil
}

// randomBool implements randombool(numerator, denominator) and
// randombool_seeded(numerator, denominator, seed): it draws r with
// 0 <= r <= RAND_MAX and returns RAND_MAX*numerator > r*denominator, true
// numerator/denominator of the time (reference: functions/randomness/
// randombool).
func randomBool(seeded bool) Func {
	fn := "randombool"
	if seeded {
		fn = "randombool_seeded"
	}
	return func(env Env, a []value.Value) (value.Value, error) {
		num, err := argInt(fn, a, 0)
		if err != nil {
			return value.Value{}, err
		}
		den, err := argInt(fn, a, 1)
		if err != nil {
			return value.Value{}, err
		}
		src, err := randSource(fn, env, a, seeded, 2)
		if err != nil {
			return value.Value{}, err
		}
		r := src.Int63n(randMax + 1)
		lhs := new(big.Int).Mul(big.NewInt(randMax), big.NewInt(num))
		rhs := new(big.Int).Mul(big.NewInt(r), big.NewInt(den))
		return value.Bool(lhs.Cmp(rhs) > 0), nil
	}
}

// int32Arg reads argument i, which must fit in a signed 32-bit integer
// (reference: randomint accepts only 32-bit from, to and seed).
func int32Arg(fn string, a []value.Value, i int) (int64, error) {
	n, err := argInt(fn, a, i)
	if err != nil {
		return 0, err
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		return 0, argError(fn, i, "%d is outside the signed 32-bit range", n)
	}
	return n, nil
}

// randomInt implements randomint(from, to) and randomint_seeded(from, to,
// seed): a value between from and to inclusive (taken in either order).
func randomInt(seeded bool) Func {
	fn, n := "randomint", 2
	if seeded {
		fn, n = "randomint_seeded", 3
	}
	return func(env Env, a []value.Value) (value.Value, error) {
		var lim [3]int64
		for i := 0; i < n; i++ {
			var err error
			if lim[i], err = int32Arg(fn, a, i); err != nil {
				return value.Value{}, err
			}
		}
		from, to := min(lim[0], lim[1]), max(lim[0], lim[1])
		src, err := randSource(fn, env, a, seeded, 2)
		if err != nil {
			return value.Value{}, err
		}
		return value.Integer(from + src.Int63n(to-from+1)), nil
	}
}

// randomStrDefault is randomstr's default character set of 64:
// a-z, A-Z, 0-9, "-" and "_".
const randomStrDefault = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"

// randomStr implements randomstr(len[, characters]): len characters drawn
// from the bytes of characters (default: the 64 of randomStrDefault). A
// length of zero or less, or an empty character set, gives "".
func randomStr(env Env, a []value.Value) (value.Value, error) {
	const fn = "randomstr"
	n, err := argInt(fn, a, 0)
	if err != nil {
		return value.Value{}, err
	}
	chars := randomStrDefault
	if len(a) == 2 {
		chars = argStr(a, 1)
	}
	if n <= 0 || chars == "" {
		return value.String(""), nil
	}
	if n > maxStringBytes {
		setFastlyErr(env, "ESESOOM")
		return value.NullString(), nil
	}
	src := env.Rand()
	out := make([]byte, n)
	for i := range out {
		out[i] = chars[src.Intn(len(chars))]
	}
	return value.String(string(out)), nil
}
