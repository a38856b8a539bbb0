package builtin

import (
	"strings"
	"testing"

	"github.com/vclide/vclide/interp/value"
)

// Fastly's documented examples for the namespace functions, plus the
// Python documentation's uuid5 example.
func TestUUIDNameBased(t *testing.T) {
	runStringCases(t, []stringCase{
		{name: "dns constant", fn: "uuid.dns", want: "6ba7b810-9dad-11d1-80b4-00c04fd430c8"},
		{name: "url constant", fn: "uuid.url", want: "6ba7b811-9dad-11d1-80b4-00c04fd430c8"},
		{name: "oid constant", fn: "uuid.oid", want: "6ba7b812-9dad-11d1-80b4-00c04fd430c8"},
		{name: "x500 constant", fn: "uuid.x500", want: "6ba7b814-9dad-11d1-80b4-00c04fd430c8"},
		{name: "v3 dns", fn: "uuid.version3", args: []value.Value{vs(uuidNamespaceDNS), vs("www.example.com")}, want: "5df41881-3aed-3515-88a7-2f4a814cf09e"},
		{name: "v3 url", fn: "uuid.version3", args: []value.Value{vs(uuidNamespaceURL), vs("https://www.example.com/")}, want: "7fed185f-0864-319f-875b-a3d5458e30ac"},
		{name: "v3 oid", fn: "uuid.version3", args: []value.Value{vs(uuidNamespaceOID), vs("2.999")}, want: "31cb1efa-18c4-3d19-89ba-df6a74ddbd1d"},
		{name: "v3 x500", fn: "uuid.version3", args: []value.Value{vs(uuidNamespaceX500), vs("CN=Test User 1, O=Example Organization, ST=California, C=US")}, want: "addf5e97-9287-3834-abfd-7edcbe7db56f"},
		{name: "v3 upper-case namespace", fn: "uuid.version3", args: []value.Value{vs(strings.ToUpper(uuidNamespaceDNS)), vs("www.example.com")}, want: "5df41881-3aed-3515-88a7-2f4a814cf09e"},
		{name: "v5 dns", fn: "uuid.version5", args: []value.Value{vs(uuidNamespaceDNS), vs("python.org")}, want: "886313e1-3b8a-5372-9b90-0c9aee199e5d"},
		{name: "bad namespace", fn: "uuid.version5", args: []value.Value{vs("not-a-uuid"), vs("x")}, notSet: true},
	})
}

func TestUUIDRandom(t *testing.T) {
	env := newEnv()
	a, _ := call(t, env, "uuid.version4")
	b, _ := call(t, env, "uuid.version4")
	if a.Str == b.Str {
		t.Fatalf("two version4 UUIDs equal: %s", a.Str)
	}
	again, _ := call(t, newEnv(), "uuid.version4")
	if again.Str != a.Str {
		t.Fatalf("version4 not reproducible from the seeded source: %s vs %s", again.Str, a.Str)
	}
	for _, u := range []string{a.Str, b.Str} {
		if v, _ := call(t, env, "uuid.is_version4", vs(u)); !v.Bool {
			t.Errorf("%s is not a valid version 4 UUID", u)
		}
	}

	// fakeNow is 1717504496000 ms = 0x018fe33ed180.
	x, _ := call(t, env, "uuid.version7")
	y, _ := call(t, env, "uuid.version7")
	for _, u := range []string{x.Str, y.Str} {
		if !strings.HasPrefix(u, "018fe33e-d180-7") {
			t.Errorf("version7 %s does not start with the clock's timestamp", u)
		}
		if v, _ := call(t, env, "uuid.is_version7", vs(u)); !v.Bool {
			t.Errorf("%s is not a valid version 7 UUID", u)
		}
	}
	if x.Str == y.Str {
		t.Error("two version7 UUIDs in one instant share their random bits")
	}
}

func TestUUIDValidation(t *testing.T) {
	v3 := "5df41881-3aed-3515-88a7-2f4a814cf09e"
	v4 := "f47ac10b-58cc-4372-a567-0e02b2c3d479"
	v5 := "886313e1-3b8a-5372-9b90-0c9aee199e5d"
	v7 := "018fe33e-d180-7abc-9def-0123456789ab"
	for _, c := range []struct {
		in                        string
		valid, is3, is4, is5, is7 bool
	}{
		{in: v3, valid: true, is3: true},
		{in: v4, valid: true, is4: true},
		{in: strings.ToUpper(v4), valid: true, is4: true},
		{in: v5, valid: true, is5: true},
		{in: v7, valid: true, is7: true},
		{in: uuidNamespaceDNS, valid: true}, // version 1
		{in: "00000000-0000-0000-0000-000000000000", valid: true},
		{in: "f47ac10b-58cc-4372-c567-0e02b2c3d479"},   // wrong variant
		{in: "f47ac10b-58cc-0372-a567-0e02b2c3d479"},   // version 0
		{in: "f47ac10b58cc4372a5670e02b2c3d479"},       // no hyphens
		{in: "{f47ac10b-58cc-4372-a567-0e02b2c3d479}"}, // braces
		{in: "f47ac10b-58cc-4372-a567-0e02b2c3d47g"},   // not hex
		{in: ""},
	} {
		for fn, want := range map[string]bool{
			"uuid.is_valid": c.valid, "uuid.is_version3": c.is3, "uuid.is_version4": c.is4,
			"uuid.is_version5": c.is5, "uuid.is_version7": c.is7,
		} {
			got, err := call(t, newEnv(), fn, vs(c.in))
			if err != nil || got.Bool != want {
				t.Errorf("%s(%q) = %v, %v; want %v", fn, c.in, got.Bool, err, want)
			}
		}
	}
}
