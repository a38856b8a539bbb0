package interp

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis"
)

// boilerplate is Fastly's recommended custom VCL (testdata/boilerplate.vcl).
func boilerplate(tb testing.TB) string {
	b, err := os.ReadFile("testdata/boilerplate.vcl")
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// bigProgram is the boilerplate plus n custom subroutines, of which
// vcl_recv calls two: the cost of a request must not depend on n.
func bigProgram(tb testing.TB, n int) string {
	var b strings.Builder
	src := boilerplate(tb)
	src = strings.Replace(src, "sub vcl_recv {\n#FASTLY recv\n", "sub vcl_recv {\n#FASTLY recv\n  call custom_1;\n  call custom_"+strconv.Itoa(n)+";\n", 1)
	b.WriteString(src)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `
sub custom_%d {
  declare local var.seen BOOL;
  if (req.url ~ "^/section-%d/") {
    set req.http.X-Section = "%d";
    set var.seen = true;
  }
  if (var.seen && req.http.Cookie:user) {
    set req.http.X-User = req.http.Cookie:user;
  }
}
`, i, i, i)
	}
	return b.String()
}

func benchEngine(b *testing.B, src string) *Engine {
	b.Helper()
	p := analysis.ParseFile("bench.vcl", src, analysis.Options{})
	e, err := New(Config{Program: p, Fallback: fixed(200, "<html>bench</html>", "Cache-Control", "max-age=86400", "Content-Type", "text/html")})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

func benchHit(b *testing.B, src string) {
	e := benchEngine(b, src)
	ctx := context.Background()
	req := Request{Method: "GET", URL: "/section-1/index.html", Header: map[string][]string{"Host": {"www.example.com"}, "Cookie": {"user=alice"}}}
	for range 32 { // every node gets a copy
		e.Do(ctx, req)
	}
	b.ReportAllocs()
	for b.Loop() {
		if r := e.Do(ctx, req); !strings.HasPrefix(r.State, "HIT") {
			b.Fatalf("state %s", r.State)
		}
	}
}

func benchMiss(b *testing.B, src string) {
	e := benchEngine(b, src)
	ctx := context.Background()
	urls := make([]string, 1<<16)
	for i := range urls {
		urls[i] = "/section-1/item-" + strconv.Itoa(i)
	}
	h := map[string][]string{"Host": {"www.example.com"}}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if i == len(urls) {
			b.StopTimer()
			e = benchEngine(b, src)
			i = 0
			b.StartTimer()
		}
		if r := e.Do(ctx, Request{Method: "GET", URL: urls[i], Header: h}); !strings.HasPrefix(r.State, "MISS") {
			b.Fatalf("state %s", r.State)
		}
		i++
	}
}

func BenchmarkBoilerplateHit(b *testing.B)  { benchHit(b, boilerplate(b)) }
func BenchmarkBoilerplateMiss(b *testing.B) { benchMiss(b, boilerplate(b)) }

// BenchmarkProgramSize runs the same request work (two custom
// subroutines called from vcl_recv) in programs of 2 and 2,000
// subroutines: the cost per request must not grow with the program.
func BenchmarkProgramSize(b *testing.B) {
	for _, n := range []int{2, 2000} {
		src := bigProgram(b, n)
		b.Run(fmt.Sprintf("subs=%d/hit", n), func(b *testing.B) { benchHit(b, src) })
		b.Run(fmt.Sprintf("subs=%d/miss", n), func(b *testing.B) { benchMiss(b, src) })
	}
}

// TestLargeProgram runs the generated 2,000-subroutine program once.
func TestLargeProgram(t *testing.T) {
	e := newEngine(t, bigProgram(t, 2000), engineOpts{origin: fixed(200, "x")})
	r := do(e, "GET", "/section-2000/x", "Cookie", "user=bob")
	if r.Err != nil || r.Response.Status != 200 {
		t.Fatalf("%d %v", r.Response.Status, r.Err)
	}
}
