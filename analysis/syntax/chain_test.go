package syntax

import (
	"runtime/debug"
	"strings"
	"testing"
)

// longChain returns a subroutine whose body holds one chain of n operands
// joined by op: `set req.http.x = "" + "" + …;` or `if (a && a && …) {}`.
func longChain(op string, n int) string {
	switch op {
	case "&&", "||":
		return "sub vcl_recv {\n  if (" + strings.Repeat("req.http.a "+op+" ", n-1) + "req.http.a) {\n    esi;\n  }\n}\n"
	case "+s":
		return "sub vcl_recv {\n  set req.http.x = " + strings.Repeat(`"" + `, n-1) + `"";` + "\n}\n"
	}
	return "sub vcl_recv {\n  declare local var.i INTEGER;\n  set var.i = " + strings.Repeat("1 "+op+" ", n-1) + "1;\n}\n"
}

// TestLongChains parses chains of a million operands (they once overflowed
// the stack of every walker) and walks them with Inspect and PathTo.
func TestLongChains(t *testing.T) {
	// Stack use must not grow with the chain: 64 MB is far below the 1 GB
	// a million nested links needed.
	defer debug.SetMaxStack(debug.SetMaxStack(64 << 20))
	const n = 1_000_000
	for _, op := range []string{"+s", "&&", "||", "+", "-", "*", "/", "%"} {
		t.Run(op, func(t *testing.T) {
			src := longChain(op, n)
			f := Parse("long.vcl", src)
			if len(f.Errors) > 0 {
				t.Fatalf("syntax error: %s", f.Errors[0].Msg)
			}
			var root *BinaryExpr
			nodes, links := 0, 0
			Inspect(f, func(n Node) bool {
				nodes++
				if b, ok := n.(*BinaryExpr); ok {
					links++
					if root == nil {
						root = b
					}
				}
				return true
			})
			if links != n-1 {
				t.Fatalf("Inspect saw %d links, want %d", links, n-1)
			}
			if nodes < 2*n-1 {
				t.Errorf("Inspect visited %d nodes, want at least %d", nodes, 2*n-1)
			}
			want := strings.TrimSuffix(strings.TrimSpace(src[strings.Index(src, "= ")+2:]), ";\n}")
			if op == "&&" || op == "||" {
				want = src[strings.Index(src, "(")+1 : strings.Index(src, ")")]
			}
			r := root.Span()
			if got := src[r.Start:r.End]; got != want {
				t.Errorf("root spans %d bytes, want %d", len(got), len(want))
			}
			path := PathTo(f, r.Start)
			if len(path) < n {
				t.Errorf("path to the first operand has %d nodes, want at least %d", len(path), n)
			}
		})
	}
}

// TestInspectChainOrder checks that the iterative walk of a chain visits
// the same nodes in the same order as plain recursion would, and honours a
// false return by skipping that node's children only.
func TestInspectChainOrder(t *testing.T) {
	f := Parse("t.vcl", `sub f { set req.http.x = "a" + "b" + ("c" + "d") + "e"; if (a && b || c && d) { esi; } }`)
	var got []string
	Inspect(f, func(n Node) bool {
		got = append(got, describeNode(f, n))
		return true
	})
	var want []string
	var rec func(n Node)
	rec = func(n Node) {
		want = append(want, describeNode(f, n))
		switch n := n.(type) {
		case *BinaryExpr:
			rec(n.X)
			rec(n.Y)
		default:
			first := true
			Inspect(n, func(c Node) bool {
				if first {
					first = false
					return true
				}
				rec(c)
				return false
			})
		}
	}
	rec(f)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("order differs:\n got %v\nwant %v", got, want)
	}
	// Skipping the middle link of "a" + "b" + (…) + "e" skips "a" and "b".
	var seen []string
	Inspect(f, func(n Node) bool {
		if b, ok := n.(*BinaryExpr); ok && b.Op == PLUS && describeNode(f, b) == `"a" + "b"` {
			return false
		}
		if s, ok := n.(*StringLit); ok {
			seen = append(seen, s.Value)
		}
		return true
	})
	if got := strings.Join(seen, ""); got != "cde" {
		t.Errorf("with a skipped link, strings seen %q, want cde", got)
	}
}

func TestChain(t *testing.T) {
	f := Parse("t.vcl", `sub f { set req.http.x = "a" + "b" - "c" + "d"; }`)
	var root *BinaryExpr
	Inspect(f, func(n Node) bool {
		if b, ok := n.(*BinaryExpr); ok && root == nil {
			root = b
		}
		return true
	})
	chain := Chain(root)
	var ops []string
	for i, l := range chain {
		ops = append(ops, l.Op.String()+describeNode(f, l.Y))
		if i > 0 && l.X != chain[i-1] {
			t.Errorf("link %d: X is not the previous link", i)
		}
	}
	if got := describeNode(f, chain[0].X) + strings.Join(ops, ""); got != `"a"+"b"-"c"+"d"` || chain[len(chain)-1] != root {
		t.Errorf("chain reads %s", got)
	}
}

func describeNode(f *File, n Node) string {
	r := n.Span()
	return f.Source.Text[r.Start:r.End]
}

func BenchmarkParseChain1M(b *testing.B) {
	src := longChain("+s", 1_000_000)
	b.SetBytes(int64(len(src)))
	for i := 0; i < b.N; i++ {
		if f := Parse("long.vcl", src); len(f.Errors) > 0 {
			b.Fatal(f.Errors[0].Msg)
		}
	}
}
