package analysis

import (
	"slices"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis/syntax"
)

// TestProductionFalseErrors covers constructs found in production VCL that
// the checker used to reject.
func TestProductionFalseErrors(t *testing.T) {
	const recv = "sub vcl_recv {\n#FASTLY recv\n"
	const log = "sub vcl_log {\n#FASTLY log\n"
	tests := []struct {
		name string
		src  string
		want []string // severity:code; nil means no diagnostics
		msg  string   // substring of the first diagnostic's message
	}{
		// A variadic last parameter takes zero or more arguments.
		{"early_hints with one argument", recv + "  early_hints(\"</a.css>; rel=preload\");\n}\n", nil, ""},
		{"early_hints with three arguments", recv + "  early_hints(\"</a.css>; rel=preload\", \"</b.js>; rel=preload\", \"</c.js>; rel=preload\");\n}\n", nil, ""},
		{"early_hints needs its first argument", recv + "  early_hints();\n}\n", []string{"error:argument-count"}, "early_hints"},
		{"h2.disable_header_compression with one argument", recv + "  h2.disable_header_compression(\"Authorization\");\n}\n", nil, ""},
		{"h2.disable_header_compression with two arguments", recv + "  h2.disable_header_compression(\"Authorization\", \"Secret\");\n}\n", nil, ""},
		{"header.filter with no header names", recv + "  header.filter(req);\n}\n", nil, ""},
		{"header.filter_except with names", recv + "  header.filter_except(req, \"Host\", \"Accept\");\n}\n", nil, ""},
		{"variadic arguments convert to STRING like fixed ones", recv + "  early_hints(\"</a.css>\", 1s, \"x\");\n}\n", nil, ""},
		// Fastly documents these in all subroutines, vcl_log included.
		{"early_hints in vcl_log", log + "  early_hints(\"</a.css>; rel=preload\");\n}\n", nil, ""},
		{"h2.disable_header_compression in vcl_log", log + "  h2.disable_header_compression(\"Authorization\");\n}\n", nil, ""},
		{"h3.alt_svc in vcl_log", log + "  h3.alt_svc();\n}\n", nil, ""},
		// Undocumented variables used by Fastly's own code warn, typed.
		{"remote.port warns", recv + "  set req.http.seed = req.http.Cookie client.ip remote.port;\n}\n",
			[]string{"warning:undocumented-variable"}, "remote.port is not documented by Fastly, though Fastly's Magento module (fastly/fastly-magento) uses it"},
		{"remote.port is an INTEGER", recv + "  declare local var.p INTEGER;\n  set var.p = remote.port;\n  set req.http.P = var.p;\n}\n",
			[]string{"warning:undocumented-variable"}, "remote.port"},
		{"remote.port is not a STRING", recv + "  declare local var.p BOOL;\n  set var.p = remote.port;\n  set req.http.P = var.p;\n}\n",
			[]string{"error:type-mismatch", "warning:undocumented-variable"}, "INTEGER"},
		{"remote.port is read-only", recv + "  set remote.port = 1;\n}\n",
			[]string{"error:read-only", "warning:undocumented-variable"}, "remote.port is read-only"},
		{"undocumented table variables warn too", "sub vcl_miss {\n#FASTLY miss\n  set bereq.max_reuse_idle_time = 3570s;\n}\n",
			[]string{"warning:undocumented-variable"}, "bereq.max_reuse_idle_time is not documented by Fastly; it may change"},
		// Articles: "an INTEGER", "an RTIME", "an acl".
		{"an INTEGER", recv + "  declare local var.b BOOL;\n  set var.b = 1;\n  set req.http.X = var.b;\n}\n", []string{"error:type-mismatch"}, "cannot assign an INTEGER value to var.b"},
		{"an RTIME", recv + "  declare local var.b BOOL;\n  set var.b = 5s;\n  set req.http.X = var.b;\n}\n", []string{"error:type-mismatch"}, "cannot assign an RTIME value to var.b"},
		{"an IP", recv + "  declare local var.b BOOL;\n  set var.b = client.ip;\n  set req.http.X = var.b;\n}\n", []string{"error:type-mismatch"}, "cannot assign an IP value"},
		{"a STRING", recv + "  declare local var.b BOOL;\n  set var.b = \"x\";\n  set req.http.X = var.b;\n}\n", []string{"error:type-mismatch"}, "cannot assign a STRING value"},
		{"an acl, not a backend", "acl office { \"10.0.0.0\"/8; }\n" + recv + "  set req.backend = office;\n}\n", []string{"error:type-mismatch", "error:type-mismatch"}, "office is an acl, not a backend"},
		{"already declared as an acl", "acl x { \"10.0.0.0\"/8; }\nbackend x { .host = \"a\"; }\n" + recv + "  if (client.ip ~ x) { }\n}\n", []string{"error:duplicate-declaration"}, "backend x is already declared as an acl"},
		{"a truly unknown variable stays an error", recv + "  set req.http.X = remote.prot;\n}\n", []string{"error:unknown-variable"}, "did you mean remote.port?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := CheckFile(syntax.Parse("main.vcl", tc.src), Options{})
			got := codes(p)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("diagnostics %v, want %v\n%v", got, tc.want, p.Diagnostics)
			}
			if tc.msg != "" && !strings.Contains(p.Diagnostics[0].Message, tc.msg) {
				t.Errorf("message %q lacks %q", p.Diagnostics[0].Message, tc.msg)
			}
		})
	}
}
