package analysis

import (
	"fmt"
	"strings"
	"testing"
)

// commentedProgram has n subroutines, each with a comment and a statement
// that draws a warning; every tenth warning is silenced.
func commentedProgram(n int) string {
	var b strings.Builder
	b.WriteString("sub vcl_recv {\n#FASTLY recv\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  call s%d;\n", i)
	}
	b.WriteString("}\n")
	for i := 0; i < n; i++ {
		ignore := "# a comment about s"
		if i%10 == 0 {
			ignore = "# vclide:ignore variable-scope"
		}
		fmt.Fprintf(&b, "sub s%d {\n  %s\n  set beresp.ttl = 1s;\n}\n", i, ignore)
	}
	return b.String()
}

// TestSuppressionCounts: every tenth diagnostic of commentedProgram is
// silenced by the comment above it, the others stay.
func TestSuppressionCounts(t *testing.T) {
	p := ParseFile("c.vcl", commentedProgram(50), Options{})
	n := 0
	for _, d := range p.Diagnostics {
		if d.Code == CodeVariableScope {
			n++
		}
	}
	if n != 45 {
		t.Errorf("%d variable-scope diagnostics, want 45 (5 of 50 silenced)", n)
	}
}

// BenchmarkParseCheckManyWarnings checks a program with 3,000 warnings and
// 3,000 comments (the suppression pass once compared every pair).
func BenchmarkParseCheckManyWarnings(b *testing.B) {
	src := commentedProgram(3000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ParseFile("c.vcl", src, Options{})
	}
}
