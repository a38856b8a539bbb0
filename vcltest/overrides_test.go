package vcltest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOverridesAreChecked: an override of a name that is not a variable,
// or with a value of the wrong type, stops the run with a message instead
// of being ignored; headers and well-typed values are accepted.
func TestOverridesAreChecked(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "main.vcl")
	os.WriteFile(main, []byte("sub vcl_recv {\n#FASTLY recv\n}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.test.vcl"), []byte("// @scope: recv\nsub test_recv {\n  call vcl_recv;\n}\n"), 0o644)
	for _, tc := range []struct {
		overrides map[string]string
		err       string // "" when the run goes ahead
	}{
		{map[string]string{"no.such.var": "1"}, "override no.such.var=1: no.such.var is not a VCL variable"},
		{map[string]string{"client.ip": "not-an-ip"}, `override client.ip=not-an-ip: "not-an-ip" is not an IP for client.ip`},
		{map[string]string{"client.geo.area_code": "abc"}, `"abc" is not an INTEGER for client.geo.area_code`},
		{map[string]string{"client.ip": "192.0.2.1", "req.http.X-Test": "1", "client.geo.area_code": "200", "tls.client.certificate.is_cert_missing": "true"}, ""},
	} {
		_, err := Run(context.Background(), Options{Main: main, Overrides: tc.overrides})
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%v: %v", tc.overrides, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%v: error %v, want %q", tc.overrides, err, tc.err)
		}
	}
}
