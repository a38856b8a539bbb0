package format

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vclide/vclide/analysis/syntax"
)

// FuzzFormat checks, for every input that parses without errors, that the
// formatter does not panic, is idempotent, produces output that parses, and
// keeps every comment and token (checkFormatted).
func FuzzFormat(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(goldenDir, "*.vcl"))
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(string(b))
		}
	}
	for _, s := range []string{
		"sub f { if (a &&\n# c\nb) { esi; } }",
		"set x = \"a\" # c\n \"b\";",
		"table t { \"a\": 1 }",
		"director d random { { .backend = b; } }",
		"sub f { return (pass) ; }",
		"acl a { !\"1.2.3.4\"/8; }",
		"/* x\n y */ sub f { }",
		"sub f STRING { return(if(a, \"b\", \"c\")); }",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if !parsesCleanly(src) {
			return
		}
		checkFormatted(t, "fuzz.vcl", src)
		// Range formatting over any span must not panic and must leave a
		// file that still parses.
		n := syntax.Pos(len(src))
		for _, r := range [][2]syntax.Pos{{0, 0}, {n / 3, n / 2}, {n / 2, n / 2}, {0, n}} {
			edits, err := Range("fuzz.vcl", src, r[0], r[1], Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := Apply(src, edits); len(syntax.Parse("fuzz.vcl", got).Errors) > 0 {
				t.Fatalf("range %v: result does not parse:\n%s", r, got)
			}
		}
	})
}

// parsesCleanly reports whether src parses without errors.
func parsesCleanly(src string) bool {
	return len(syntax.Parse("fuzz.vcl", src).Errors) == 0
}
