package builtin

import (
	"strings"
	"testing"

	"github.com/vclide/vclide/interp/value"
)

func TestRandomBool(t *testing.T) {
	// randombool(3, 4) is true about 75% of the time and randombool(1, 10)
	// about 10% (reference examples); the fake Env's source is seeded, so
	// the counts are deterministic.
	for _, tc := range []struct {
		num, den int64
		lo, hi   int
	}{{3, 4, 720, 780}, {1, 10, 80, 120}, {0, 1, 0, 0}, {1, 1, 1000, 1000}, {5, 100, 30, 70}} {
		e := newEnv()
		n := 0
		for i := 0; i < 1000; i++ {
			v, err := call(t, e, "randombool", vi(tc.num), vi(tc.den))
			if err != nil {
				t.Fatal(err)
			}
			if v.Bool {
				n++
			}
		}
		if n < tc.lo || n > tc.hi {
			t.Errorf("randombool(%d, %d) true %d times in 1000, want %d..%d", tc.num, tc.den, n, tc.lo, tc.hi)
		}
	}
	a, _ := call(t, newEnv(), "randombool", vi(1), vi(2))
	b, _ := call(t, newEnv(), "randombool", vi(1), vi(2))
	if a != b {
		t.Error("randombool differs between identically seeded Envs")
	}
}

func TestRandomSeeded(t *testing.T) {
	e := newEnv()
	// A consistent seed gives a consistent result (reference: randomint_seeded).
	first, err := call(t, e, "randomint_seeded", vi(0), vi(99), vi(555))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		again, _ := call(t, e, "randomint_seeded", vi(0), vi(99), vi(555))
		if again != first {
			t.Fatalf("randomint_seeded(0, 99, 555) = %d then %d", first.Int, again.Int)
		}
	}
	if first.Int < 0 || first.Int > 99 {
		t.Errorf("randomint_seeded(0, 99, 555) = %d, outside 0..99", first.Int)
	}
	v, _ := call(t, e, "randomint_seeded", vi(-1), vi(0), vi(555))
	if v.Int != -1 && v.Int != 0 {
		t.Errorf("randomint_seeded(-1, 0, 555) = %d", v.Int)
	}
	b1, _ := call(t, e, "randombool_seeded", vi(5), vi(100), vi(42))
	b2, _ := call(t, e, "randombool_seeded", vi(5), vi(100), vi(42))
	if b1 != b2 {
		t.Error("randombool_seeded is not consistent for one seed")
	}
	seen := map[bool]bool{}
	for seed := int64(0); seed < 200; seed++ {
		v, _ := call(t, e, "randombool_seeded", vi(1), vi(2), vi(seed))
		seen[v.Bool] = true
	}
	if !seen[true] || !seen[false] {
		t.Error("randombool_seeded(1, 2, seed) gives one answer for 200 seeds")
	}
	if _, ok := e.vars["fastly.error"]; ok {
		t.Error("seeded functions set fastly.error")
	}
}

func TestRandomInt(t *testing.T) {
	e := newEnv()
	counts := map[int64]int{}
	for i := 0; i < 2000; i++ {
		v, err := call(t, e, "randomint", vi(0), vi(99))
		if err != nil {
			t.Fatal(err)
		}
		if v.Int < 0 || v.Int > 99 {
			t.Fatalf("randomint(0, 99) = %d", v.Int)
		}
		counts[v.Int]++
	}
	if counts[0] == 0 || counts[99] == 0 {
		t.Error("randomint(0, 99) never reaches an end of the inclusive range")
	}
	minus := 0
	for i := 0; i < 200; i++ {
		v, _ := call(t, e, "randomint", vi(-1), vi(0))
		if v.Int == -1 {
			minus++
		} else if v.Int != 0 {
			t.Fatalf("randomint(-1, 0) = %d", v.Int)
		}
	}
	if minus == 0 || minus == 200 {
		t.Errorf("randomint(-1, 0) gave -1 %d times in 200", minus)
	}
	if v, _ := call(t, e, "randomint", vi(5), vi(5)); v.Int != 5 {
		t.Errorf("randomint(5, 5) = %d", v.Int)
	}
	if v, _ := call(t, e, "randomint", vi(10), vi(1)); v.Int < 1 || v.Int > 10 {
		t.Errorf("randomint(10, 1) = %d", v.Int)
	}
	for _, args := range [][]value.Value{{vi(0), vi(1 << 31)}, {vi(-1 << 32), vi(0)}, {vi(0)}} {
		if _, err := call(t, e, "randomint", args...); err == nil {
			t.Errorf("randomint%v succeeded", args)
		}
	}
	if _, err := call(t, e, "randomint_seeded", vi(0), vi(1), vi(1<<40)); err == nil {
		t.Error("randomint_seeded with a 64-bit seed succeeded")
	}
}

func TestRandomStr(t *testing.T) {
	e := newEnv()
	v, err := call(t, e, "randomstr", vi(8), vs("1234567890abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Str) != 8 || strings.Trim(v.Str, "1234567890abcdef") != "" {
		t.Errorf("randomstr(8, hex) = %q", v.Str)
	}
	v, _ = call(t, e, "randomstr", vi(500))
	if len(v.Str) != 500 || strings.Trim(v.Str, randomStrDefault) != "" {
		t.Errorf("randomstr(500) = %q uses characters outside a-zA-Z0-9-_", v.Str)
	}
	if len(randomStrDefault) != 64 {
		t.Errorf("default set has %d characters, want 64", len(randomStrDefault))
	}
	if v, _ := call(t, e, "randomstr", vi(0)); v.Str != "" || v.NotSet {
		t.Errorf("randomstr(0) = %#v", v)
	}
	if v, _ := call(t, e, "randomstr", vi(3), vs("")); v.Str != "" {
		t.Errorf("randomstr(3, \"\") = %q", v.Str)
	}
	if v, _ := call(t, e, "randomstr", vi(1<<40)); !v.NotSet || fastlyError(e) != "ESESOOM" {
		t.Errorf("randomstr(huge) = %#v, fastly.error %q", v, fastlyError(e))
	}
	a, _ := call(t, newEnv(), "randomstr", vi(16))
	b, _ := call(t, newEnv(), "randomstr", vi(16))
	if a != b {
		t.Error("randomstr differs between identically seeded Envs")
	}
}
