package format

import (
	"runtime/debug"
	"strings"
	"testing"
)

// chainSource returns vcl_recv setting a header to n operands joined by op
// with messy spacing ("x"+"x"+…), and the formatted text it must become.
func chainSource(op string, n int) (src, want string) {
	operand := `"x"`
	if op != "+" && op != "&&" && op != "||" {
		operand = "1"
	}
	if op == "&&" || op == "||" {
		operand = "req.http.a"
		src = "sub vcl_recv {\nif (" + strings.Repeat(operand+op, n-1) + operand + ") {esi;}\n}\n"
		want = "sub vcl_recv {\n  if (" + strings.Repeat(operand+" "+op+" ", n-1) + operand + ") {\n    esi;\n  }\n}\n"
		return src, want
	}
	src = "sub vcl_recv {\nset req.http.x=" + strings.Repeat(operand+op, n-1) + operand + ";\n}\n"
	want = "sub vcl_recv {\n  set req.http.x = " + strings.Repeat(operand+" "+op+" ", n-1) + operand + ";\n}\n"
	return src, want
}

// TestFormatLongChains formats chains of a million operands, which
// overflowed the stack.
func TestFormatLongChains(t *testing.T) {
	// Stack use must not grow with the chain: 64 MB is far below the 1 GB
	// a million nested links needed.
	defer debug.SetMaxStack(debug.SetMaxStack(64 << 20))
	for _, op := range []string{"+", "&&", "||", "-", "*"} {
		t.Run(op, func(t *testing.T) {
			src, want := chainSource(op, 1_000_000)
			got, err := Source("long.vcl", src, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("formatted chain differs (%d bytes, want %d)", len(got), len(want))
			}
		})
	}
}

func BenchmarkFormatChain1M(b *testing.B) {
	src, _ := chainSource("+", 1_000_000)
	b.SetBytes(int64(len(src)))
	for i := 0; i < b.N; i++ {
		if _, err := Source("long.vcl", src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
