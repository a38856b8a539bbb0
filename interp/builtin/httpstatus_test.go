package builtin

import (
	"testing"

	"github.com/vclide/vclide/interp/value"
)

func TestHTTPStatusMatches(t *testing.T) {
	runCases(t, []builtinCase{
		// Example from the http_status_matches reference.
		{"not cacheable 404", "http_status_matches", []value.Value{vi(404), vs("!200,301,302")}, vb(true), "", false},
		{"cacheable 301", "http_status_matches", []value.Value{vi(301), vs("!200,301,302")}, vb(false), "", false},
		{"match", "http_status_matches", []value.Value{vi(302), vs("200,301,302")}, vb(true), "", false},
		{"no match", "http_status_matches", []value.Value{vi(500), vs("200,301,302")}, vb(false), "", false},
		{"spaces", "http_status_matches", []value.Value{vi(503), vs("500, 503")}, vb(true), "", false},
	})
}
