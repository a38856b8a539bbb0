package format

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis/syntax"
)

// generated returns a VCL file of about lines lines mixing every common
// construct (messy spacing included, so there is work to do).
func generated(lines int) string {
	var b strings.Builder
	n := 0
	for k := 0; n < lines; k++ {
		fmt.Fprintf(&b, "# Backend %d\nbackend F_b%d { .host=\"h%d.example.com\"; .port = \"443\";\n  .probe = { .request = \"HEAD / HTTP/1.1\" \"Host: x\" \"Connection: close\"; .threshold=1; }\n}\n", k, k, k)
		fmt.Fprintf(&b, "table t%d { \"a\":\"1\", \"b\": \"2\" }\n", k)
		fmt.Fprintf(&b, "sub s%d {\n", k)
		n += 7
		for j := 0; j < 40; j++ {
			fmt.Fprintf(&b, "  # step %d\n  if (req.http.X-%d&&req.url ~ \"^/p%d/\" ||\n      !req.http.Y) {\n    set req.http.Z-%d=\"a\" req.url \"b\"; # why\n  } else {\n    unset req.http.W; return (pass);\n  }\n", j, j, j, j)
			n += 7
		}
		b.WriteString("}\n\n")
		n += 2
	}
	return b.String()
}

func BenchmarkFormat40k(b *testing.B) {
	src := generated(40000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Source("bench.vcl", src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFormat40kPrintOnly excludes parsing.
func BenchmarkFormat40kPrintOnly(b *testing.B) {
	src := generated(40000)
	f := syntax.Parse("bench.vcl", src)
	if len(f.Errors) > 0 {
		b.Fatal(f.Errors[0].Msg)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		File(f, Options{})
	}
}

func TestGeneratedIsValid(t *testing.T) {
	src := generated(2000)
	if strings.Count(src, "\n") < 2000 {
		t.Fatal("too short")
	}
	checkFormatted(t, "gen.vcl", src)
}
