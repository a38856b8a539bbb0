package interp

import (
	"runtime/debug"
	"strings"
	"testing"
)

// TestLongChains runs chains of a million operands, which overflowed the
// stack when compiled and evaluated recursively, and checks their values
// (short circuits included).
func TestLongChains(t *testing.T) {
	// Stack use must not grow with the chain: 64 MB is far below the 1 GB
	// a million nested links needed.
	defer debug.SetMaxStack(debug.SetMaxStack(64 << 20))
	const n = 1_000_000
	repeat := func(operand, op string) string { return strings.Repeat(operand+" "+op+" ", n-1) + operand }
	tests := []struct {
		name, body, a string
	}{
		{"string concatenation", `set req.http.R-A = ` + repeat(`"x"`, "+") + `;`, strings.Repeat("x", n)},
		{"and", `if (` + repeat(`req.url`, "&&") + `) { set req.http.R-A = "yes"; }`, "yes"},
		{"and short circuit", `if (req.http.Missing && ` + repeat(`std.atoi("x") == 0`, "&&") + `) { set req.http.R-A = "yes"; } else { set req.http.R-A = "no"; }`, "no"},
		{"or", `if (` + repeat(`req.http.Missing`, "||") + ` || req.url) { set req.http.R-A = "yes"; }`, "yes"},
		{"multiplication", `declare local var.i INTEGER; set var.i = 7 * ` + repeat("1", "*") + ` % 4; set req.http.R-A = var.i;`, "3"},
		{"subtraction", `declare local var.i INTEGER; set var.i = 0 - ` + repeat("1", "-") + `; set req.http.R-A = var.i;`, "-1000000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runRecv(t, "", tc.body)
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			if got := hdr(r, "R-A"); got != tc.a {
				t.Errorf("R-A = %.40q (%d bytes), want %.40q (%d bytes)", got, len(got), tc.a, len(tc.a))
			}
		})
	}
}

func BenchmarkRunChain1M(b *testing.B) {
	vcl := `sub vcl_recv { set req.http.R-A = ` + strings.Repeat(`"x" + `, 999_999) + `"x"; }`
	e := newEngine(b, vcl, engineOpts{origin: fixed(200, "x")})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := do(e, "GET", "/"); r.Err != nil {
			b.Fatal(r.Err)
		}
	}
}
