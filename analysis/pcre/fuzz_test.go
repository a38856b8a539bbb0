package pcre

import (
	"errors"
	"testing"
)

// FuzzCheck checks that Check never panics, that error offsets lie within
// the pattern, and that the other entry points agree with Check.
func FuzzCheck(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, pattern string) {
		err := Check(pattern)
		if _, full := parse(pattern); !sameError(err, full.err) {
			t.Fatalf("Check(%q) = %v but the full parse reports %v", pattern, err, full.err)
		}
		if err != nil {
			if err.Offset < 0 || err.Offset >= len(pattern) || err.End <= err.Offset || err.End > len(pattern) {
				t.Fatalf("Check(%q): span [%d,%d) outside the pattern of length %d", pattern, err.Offset, err.End, len(pattern))
			}
			if err.Msg == "" {
				t.Fatalf("Check(%q): empty message", pattern)
			}
			if _, cerr := Compile(pattern); cerr == nil {
				t.Fatalf("Compile(%q) accepted what Check rejects", pattern)
			}
			return
		}
		info := Features(pattern)
		if info.Err != nil {
			t.Fatalf("Features(%q) reports %v but Check accepts it", pattern, info.Err)
		}
		re, cerr := Compile(pattern)
		if cerr != nil {
			var u *UnsupportedError
			if !errors.As(cerr, &u) {
				t.Fatalf("Compile(%q) = %v; Check accepts it", pattern, cerr)
			}
			if info.RE2 {
				t.Fatalf("Compile(%q) = %v but Features says RE2", pattern, cerr)
			}
			return
		}
		if info.RE2 != (re.Engine() == EngineRE2) {
			t.Fatalf("Features(%q).RE2 = %v but the engine is %s", pattern, info.RE2, re.Engine())
		}
		for _, s := range []string{"", "abc", "a\nb\n", "\u00e9x1"} {
			if m := re.FindStringSubmatch(s); m != nil && len(m) != re.NumGroups()+1 {
				t.Fatalf("%q on %q: %d groups, want %d", pattern, s, len(m), re.NumGroups()+1)
			}
			re.ReplaceAll(s, `<\0\1>`)
		}
	})
}

// fuzzSeeds is FuzzCheck's seed corpus.
func fuzzSeeds() []string {
	seeds := append([]string{"", `\`, "(", ")", "[", "[]", "[^]", "(?", "(*", "(?(", `\Q`, `(?x)#`, "a{1,", `\x{`, `\p{^`},
		corpusPatterns...)
	return append(seeds, `(?<=id=)(\w+)-\1(?!\d)`, `(?|(a)|(b))\1`, `(?(DEFINE)(?<d>\d))(?&d)`, `[[:^alpha:]\d-]`)
}

// sameError reports whether two results of a syntax check are the same.
func sameError(a, b *SyntaxError) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
