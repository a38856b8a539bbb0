package analysis

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// longChain returns a vcl_recv holding one chain of n operands joined by
// op, with extra spliced in as the middle operand.
func longChain(op string, n int, extra string) string {
	half := strings.Repeat("%s "+op+" ", n/2)
	rest := strings.Repeat(" "+op+" %s", n-n/2-1)
	switch op {
	case "&&", "||":
		body := strings.ReplaceAll(half+extra+rest, "%s", "req.http.a")
		return "sub vcl_recv {\n#FASTLY recv\n  if (" + body + ") {\n    set req.http.x = \"1\";\n  }\n}\n"
	case "+s":
		body := strings.ReplaceAll(strings.ReplaceAll(half+extra+rest, "+s", "+"), "%s", `""`)
		return "sub vcl_recv {\n#FASTLY recv\n  set req.http.x = " + body + ";\n}\n"
	}
	body := strings.ReplaceAll(half+extra+rest, "%s", "1")
	return "sub vcl_recv {\n#FASTLY recv\n  declare local var.i INTEGER;\n  set var.i = " + body + ";\n}\n"
}

// TestCheckLongChains checks chains of a million operands (they overflowed
// the stack) and that the checker still types every link and reports a
// fault in the middle of the chain.
func TestCheckLongChains(t *testing.T) {
	// Stack use must not grow with the chain: 64 MB is far below the 1 GB
	// a million nested links needed.
	defer debug.SetMaxStack(debug.SetMaxStack(64 << 20))
	const n = 1_000_000
	tests := []struct {
		op, extra string
		want      catalog.Type
		code      string // the diagnostic the extra operand causes, if any
	}{
		{"+s", `""`, catalog.TypeString, ""},
		{"&&", "req.http.a", catalog.TypeBool, ""},
		{"||", "10s", catalog.TypeBool, CodeTypeMismatch},
		{"-", "1", catalog.TypeInteger, ""},
		{"*", `"x"`, catalog.TypeUnknown, CodeOperator},
		{"/", "2", catalog.TypeInteger, ""},
	}
	for _, tc := range tests {
		t.Run(tc.op, func(t *testing.T) {
			p := ParseFile("long.vcl", longChain(tc.op, n, tc.extra), Options{})
			var got []string
			for _, d := range p.Diagnostics {
				got = append(got, d.Code)
			}
			if tc.code == "" && len(got) > 0 || tc.code != "" && (len(got) != 1 || got[0] != tc.code) {
				t.Fatalf("diagnostics %v, want [%s]", got, tc.code)
			}
			var root *syntax.BinaryExpr
			links, untyped := 0, 0
			syntax.Inspect(p.Files[0], func(n syntax.Node) bool {
				if b, ok := n.(*syntax.BinaryExpr); ok {
					if root == nil {
						root = b
					}
					links++
					if p.TypeOf(b) == catalog.TypeUnknown && tc.want != catalog.TypeUnknown {
						untyped++
					}
				}
				return true
			})
			if links != n-1 || untyped > 0 {
				t.Errorf("%d links, %d without a type", links, untyped)
			}
			if got := p.TypeOf(root); got != tc.want {
				t.Errorf("chain typed %v, want %v", got, tc.want)
			}
		})
	}
}

func BenchmarkParseCheckChain1M(b *testing.B) {
	src := longChain("+s", 1_000_000, `""`)
	b.SetBytes(int64(len(src)))
	for i := 0; i < b.N; i++ {
		if p := ParseFile("long.vcl", src, Options{}); len(p.Diagnostics) > 0 {
			b.Fatal(p.Diagnostics[0].Message)
		}
	}
}
