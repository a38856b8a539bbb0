package vcltest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeBenchProject writes a main VCL and n test subroutines over 10 test
// files: each calls vcl_recv (which calls two custom subs) and asserts.
func writeBenchProject(b *testing.B, n int) string {
	dir := b.TempDir()
	main := `backend F_origin { .host = "example.com"; }
table routes { "/a": "F_origin" }
sub normalize { set req.url = std.tolower(req.url); }
sub route { if (table.lookup(routes, req.url.path, "") != "") { set req.http.Route = "1"; } }
sub vcl_recv {
#FASTLY recv
  call normalize;
  call route;
  if (req.url ~ "^/api/") { return(pass); }
  return(lookup);
}
`
	os.WriteFile(filepath.Join(dir, "main.vcl"), []byte(main), 0o644)
	per := n / 10
	for f := 0; f < 10; f++ {
		var sb strings.Builder
		for i := 0; i < per; i++ {
			fmt.Fprintf(&sb, "// @scope: recv\n// @suite: case %d.%d\nsub test_%d {\n  set req.url = \"/API/%d\";\n  testing.call_subroutine(\"vcl_recv\");\n  assert.equal(req.url, \"/api/%d\");\n  assert.state(pass);\n  assert.subroutine_called(\"route\", 1);\n}\n\n", f, i, i, i, i)
		}
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("t%d.test.vcl", f)), []byte(sb.String()), 0o644)
	}
	return filepath.Join(dir, "main.vcl")
}

// BenchmarkRun500 runs a project of 500 test subroutines (10 files): the
// whole run per op, including parsing and checking; ns/test is per test sub.
func BenchmarkRun500(b *testing.B) {
	main := writeBenchProject(b, 500)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := Run(context.Background(), Options{Main: main})
		if err != nil || rep.Summaries.Passes != 500 {
			b.Fatalf("%v %+v", err, rep.Summaries)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/500, "ns/test")
}
