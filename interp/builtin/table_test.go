package builtin

import (
	"net/netip"
	"testing"
	"time"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/pcre"
	"github.com/vclide/vclide/interp/value"
)

// tableEnv returns a fakeEnv holding one table of each value type,
// mirroring the tables in Fastly's documented examples.
func tableEnv() *fakeEnv {
	env := newEnv()
	env.tables["geoip_lang"] = map[string]value.Value{"US": vs("en-US"), "FR": vs("fr-FR"), "NL": vs("nl-NL")}
	env.tables["redirects"] = map[string]value.Value{"/a": vs("/xyz"), "/b": vs("/abc")}
	env.tables["flags"] = map[string]value.Value{"on": vb(true)}
	env.tables["limits"] = map[string]value.Value{"max": vi(42)}
	env.tables["ratios"] = map[string]value.Value{"half": vf(0.5)}
	env.tables["hosts"] = map[string]value.Value{"lb": value.IP(netip.MustParseAddr("192.0.2.1"))}
	env.tables["ttls"] = map[string]value.Value{"short": value.RTime(90 * time.Second)}
	env.tables["ext"] = map[string]value.Value{"pdf": {T: catalog.TypeACL, Str: "documents"}, "png": {T: catalog.TypeACL, Str: "images"}}
	env.tables["routing"] = map[string]value.Value{"a.example.com": value.Backend("b0")}
	env.tables["t"] = map[string]value.Value{"/images": {T: catalog.TypeRegex, Str: "^(?:jpe?g|png)$"}}
	return env
}

func TestTableLookups(t *testing.T) {
	empty := value.Value{T: catalog.TypeACL, Str: "empty"}
	for _, c := range []struct {
		name string
		fn   string
		args []value.Value
		want value.Value
	}{
		{"string present", "table.lookup", []value.Value{idv("geoip_lang"), vs("FR")}, vs("fr-FR")},
		{"string default (documented)", "table.lookup", []value.Value{idv("geoip_lang"), vs("DE"), vs("en-US")}, vs("en-US")},
		{"string absent is not set", "table.lookup", []value.Value{idv("geoip_lang"), vs("DE")}, value.NullString()},
		{"bool", "table.lookup_bool", []value.Value{idv("flags"), vs("on"), vb(false)}, vb(true)},
		{"bool default", "table.lookup_bool", []value.Value{idv("flags"), vs("off"), vb(false)}, vb(false)},
		{"integer", "table.lookup_integer", []value.Value{idv("limits"), vs("max"), vi(1)}, vi(42)},
		{"integer default", "table.lookup_integer", []value.Value{idv("limits"), vs("min"), vi(1)}, vi(1)},
		{"float", "table.lookup_float", []value.Value{idv("ratios"), vs("half"), vf(1)}, vf(0.5)},
		{"ip", "table.lookup_ip", []value.Value{idv("hosts"), vs("lb"), value.IP(netip.MustParseAddr("127.0.0.1"))}, value.IP(netip.MustParseAddr("192.0.2.1"))},
		{"rtime default", "table.lookup_rtime", []value.Value{idv("ttls"), vs("long"), value.RTime(time.Hour)}, value.RTime(time.Hour)},
		{"rtime", "table.lookup_rtime", []value.Value{idv("ttls"), vs("short"), value.RTime(time.Hour)}, value.RTime(90 * time.Second)},
		{"acl (documented)", "table.lookup_acl", []value.Value{idv("ext"), vs("png"), empty}, value.Value{T: catalog.TypeACL, Str: "images"}},
		{"acl default", "table.lookup_acl", []value.Value{idv("ext"), vs("exe"), empty}, empty},
		{"backend", "table.lookup_backend", []value.Value{idv("routing"), vs("a.example.com"), value.Backend("default")}, value.Backend("b0")},
		{"backend default", "table.lookup_backend", []value.Value{idv("routing"), vs("z.example.com"), value.Backend("default")}, value.Backend("default")},
		{"regex (documented)", "table.lookup_regex", []value.Value{idv("t"), vs("/images")}, value.Value{T: catalog.TypeRegex, Str: "^(?:jpe?g|png)$"}},
		{"regex absent matches nothing", "table.lookup_regex", []value.Value{idv("t"), vs("/other")}, value.Value{T: catalog.TypeRegex, Str: unsatisfiableRegex}},
		{"contains (documented)", "table.contains", []value.Value{idv("redirects"), vs("/a")}, vb(true)},
		{"contains absent", "table.contains", []value.Value{idv("redirects"), vs("/c")}, vb(false)},
		{"contains typed table", "table.contains", []value.Value{idv("limits"), vs("max")}, vb(true)},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := call(t, tableEnv(), c.fn, c.args...)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("%s = %+v, want %+v", c.fn, got, c.want)
			}
		})
	}
}

// The regex returned for an absent key compiles and matches nothing.
func TestUnsatisfiableRegex(t *testing.T) {
	re, err := pcre.Compile(unsatisfiableRegex)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"", "a", "png", "\n"} {
		if re.MatchString(s) {
			t.Errorf("%q matched %q", unsatisfiableRegex, s)
		}
	}
}

func TestTableErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		fn   string
		args []value.Value
	}{
		{"unknown table", "table.lookup", []value.Value{idv("nope"), vs("k")}},
		{"unknown table in contains", "table.contains", []value.Value{idv("nope"), vs("k")}},
		{"wrong value type", "table.lookup_integer", []value.Value{idv("geoip_lang"), vs("US"), vi(0)}},
		{"string lookup on typed table", "table.lookup", []value.Value{idv("limits"), vs("max")}},
		{"missing default", "table.lookup_bool", []value.Value{idv("flags"), vs("on")}},
	} {
		if _, err := call(t, tableEnv(), c.fn, c.args...); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}
