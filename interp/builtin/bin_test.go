package builtin

import (
	"testing"

	"github.com/vclide/vclide/interp/value"
)

// Fastly's documented bin.* examples.
func TestBinConversions(t *testing.T) {
	runStringCases(t, []stringCase{
		{name: "hex to base64", fn: "bin.hex_to_base64", args: []value.Value{vs("009FC233")}, want: "AJ/CMw=="},
		{name: "lower-case hex", fn: "bin.hex_to_base64", args: []value.Value{vs("009fc233")}, want: "AJ/CMw=="},
		{name: "odd hex", fn: "bin.hex_to_base64", args: []value.Value{vs("009")}, notSet: true},
		{name: "not hex", fn: "bin.hex_to_base64", args: []value.Value{vs("zz")}, notSet: true},
		{name: "base64 to hex pads digits", fn: "bin.base64_to_hex", args: []value.Value{vs("AQ==")}, want: "01"},
		{name: "base64 to hex keeps NUL", fn: "bin.base64_to_hex", args: []value.Value{vs("AJ/CMw==")}, want: "009FC233"},
		{name: "non-alphabet gives not set", fn: "bin.base64_to_hex", args: []value.Value{vs("YWJ%jZA==")}, notSet: true},
		{name: "empty gives empty", fn: "bin.base64_to_hex", args: []value.Value{vs("")}, want: ""},
		{name: "not set gives empty", fn: "bin.base64_to_hex", args: []value.Value{value.NullString()}, want: ""},
	})
	env := newEnv()
	callOK(t, env, "bin.base64_to_hex", vs("YWJ%jZA=="))
	if env.vars["fastly.error"].Str != "EINVAL" {
		t.Fatalf("fastly.error = %q, want EINVAL", env.vars["fastly.error"].Str)
	}
}
