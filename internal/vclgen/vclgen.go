// Package vclgen writes large, realistic VCL programs for tests and
// benchmarks of the parser and the checker, so that they all measure the
// same text.
package vclgen

import (
	"fmt"
	"strings"
)

// Helpers writes a program of n custom subroutines of about 20 lines each
// (a local, regex and ACL matches, a table lookup, an error, header writes
// and a comment), called from vcl_recv, after a backend, an ACL and a
// table: about 20·n lines in all.
func Helpers(n int) string {
	var b strings.Builder
	b.WriteString("backend F_origin { .host = \"example.com\"; .port = \"443\"; }\nacl internal { \"10.0.0.0\"/8; }\ntable redirects { \"/a\": \"/b\", }\n")
	b.WriteString("sub vcl_recv {\n#FASTLY recv\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  call helper_%d;\n", i)
	}
	b.WriteString("  return(lookup);\n}\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `sub helper_%d {
  declare local var.path STRING;
  set var.path = std.tolower(req.url.path);
  if (req.http.X-Feature-%d && var.path ~ "^/section-%d/(?:[a-z]+)$") {
    set req.http.X-Section = "section-" var.path;
    unset req.http.Cookie;
  } else if (client.ip ~ internal) {
    set req.http.X-Internal = "1";
  }
  if (table.lookup(redirects, req.url.path)) {
    error 801 table.lookup(redirects, req.url.path);
  }
  set req.http.X-Count = std.itoa(req.restarts);
  set req.backend = F_origin;
  # a comment line to keep things realistic
  if (req.http.Accept-Encoding ~ "gzip") {
    set req.http.X-Enc = "gzip";
  }
  set req.http.X-Time = strftime({"%%Y-%%m-%%d"}, now);
}
`, i, i, i)
	}
	return b.String()
}
