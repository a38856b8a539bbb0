package analysis

import (
	"strings"
	"testing"
)

// FuzzCheck parses and checks arbitrary text: the checker must never panic
// and every diagnostic (and related location) must lie inside its file.
func FuzzCheck(f *testing.F) {
	f.Add("sub vcl_recv {\n#FASTLY recv\n set req.http.X = req.url; if (req.url ~ \"^/a(\") { return(deliver); } }")
	f.Add("sub a { call b; } sub b { call a; } sub vcl_miss { set req.http.Y = \"1\"; } sub vcl_deliver { set resp.http.Y = req.http.Y; }")
	f.Add("acl x { \"1.2.3.4\"/8; } table t INTEGER { \"a\": 1, } sub vcl_recv { if (client.ip ~ x) { set var.q = table.lookup_integer(t, \"a\", 0); } }")
	f.Add("sub f(STRING var.a) BOOL { declare local var.b INTEGER = 1; goto l; l: return var.a == \"x\"; } sub vcl_recv { if (f(\"x\")) { restart; } }")
	f.Add("set beresp.ttl = 1s; unset req.http.Cookie; error 900 \"x\"; synthetic {\"y\"};")
	f.Fuzz(func(t *testing.T, src string) {
		p := ParseFile("fuzz.vcl", src, Options{})
		for _, d := range p.Diagnostics {
			n := len(d.File.Text)
			if d.Range.Start < 0 || int(d.Range.End) > n || d.Range.Start > d.Range.End {
				t.Fatalf("diagnostic %s range %v outside file of %d bytes", d.Code, d.Range, n)
			}
			if strings.TrimSpace(d.Message) == "" {
				t.Fatalf("empty message for %s", d.Code)
			}
			for _, r := range d.Related {
				if r.Range.Start < 0 || int(r.Range.End) > len(r.File.Text) || r.Range.Start > r.Range.End {
					t.Fatalf("related range %v outside file", r.Range)
				}
			}
		}
	})
}
