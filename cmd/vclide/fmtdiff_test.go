package main

import (
	"fmt"
	"math/rand"
	"runtime"
	"strings"
	"testing"
)

// TestDiffLinesLarge checks longer random texts than TestDiffLines: the
// script rebuilds both texts, is minimal, and its line numbers point at
// the lines it names.
func TestDiffLinesLarge(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	for iter := 0; iter < 300; iter++ {
		alphabet := 2 + rng.Intn(20)
		gen := func() []string {
			out := make([]string, rng.Intn(150))
			for i := range out {
				out[i] = fmt.Sprint(rng.Intn(alphabet))
			}
			return out
		}
		a, b := gen(), gen()
		ops := diffLines(a, b)
		changes, x, y := 0, 0, 0
		for _, o := range ops {
			if o.a != x || o.b != y {
				t.Fatalf("op %+v at (%d, %d), want (%d, %d)", o, o.a, o.b, x, y)
			}
			switch o.kind {
			case ' ':
				if a[x] != o.text || b[y] != o.text {
					t.Fatalf("kept %q is not a[%d] and b[%d]", o.text, x, y)
				}
				x, y = x+1, y+1
			case '-':
				if a[x] != o.text {
					t.Fatalf("deleted %q is not a[%d]", o.text, x)
				}
				x++
				changes++
			case '+':
				if b[y] != o.text {
					t.Fatalf("added %q is not b[%d]", o.text, y)
				}
				y++
				changes++
			}
		}
		if x != len(a) || y != len(b) {
			t.Fatalf("script ends at (%d, %d), want (%d, %d)", x, y, len(a), len(b))
		}
		if want := len(a) + len(b) - 2*lcs(a, b); changes != want {
			t.Fatalf("%d changes, want %d", changes, want)
		}
	}
}

// changedFile returns n lines before and after formatting: every line
// differs.
func changedFile(n int) (string, string) {
	var before, after strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&before, "set req.http.X-%d=\"%d\";\n", i, i)
		fmt.Fprintf(&after, "  set req.http.X-%d = \"%d\";\n", i, i)
	}
	return before.String(), after.String()
}

// TestDiffMemoryLinear diffs 10,000 changed lines and bounds what that
// allocates: the plain Myers trace kept a vector per step (gigabytes).
func TestDiffMemoryLinear(t *testing.T) {
	a, b := changedFile(10_000)
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	d := unifiedDiff("a.vcl", a, b)
	runtime.ReadMemStats(&m1)
	if n := strings.Count(d, "\n-"); n != 10_000 {
		t.Fatalf("%d deleted lines in the diff, want 10000", n)
	}
	if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 64<<20 {
		t.Errorf("diffing 10k changed lines allocated %d MB, want under 64 MB", alloc>>20)
	}
}

// BenchmarkDiff10kChangedLines diffs a file whose 10,000 lines all change
// (the formatter re-indents every one): run with -benchmem, the plain
// Myers trace took gigabytes.
func BenchmarkDiff10kChangedLines(b *testing.B) {
	a, c := changedFile(10_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if d := unifiedDiff("a.vcl", a, c); len(d) < len(a)+len(c) {
			b.Fatal("diff too short")
		}
	}
}
