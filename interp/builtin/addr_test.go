package builtin

import (
	"testing"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/value"
)

func TestBoltsort(t *testing.T) {
	runCases(t, []builtinCase{
		// Examples from the querystring.sort reference (boltsort.sort is its alias).
		{"sort (doc example)", "boltsort.sort", []value.Value{vs("/foo?b=1&a=2&c=3")}, vs("/foo?a=2&b=1&c=3"), "", false},
		{"unique keys (doc example)", "boltsort.sort", []value.Value{vs("/test?a=7&a=2&a=1&b=5&b=3"), vb(true)}, vs("/test?a=7&b=5"), "", false},
		{"duplicates kept in order", "boltsort.sort", []value.Value{vs("/test?b=5&a=7&a=2&b=3"), vb(false)}, vs("/test?a=7&a=2&b=5&b=3"), "", false},
		{"upper case first", "boltsort.sort", []value.Value{vs("/?a=1&B=2&A=3")}, vs("/?A=3&B=2&a=1"), "", false},
		{"empty params dropped", "boltsort.sort", []value.Value{vs("/?b=1&&=x&a")}, vs("/?a&b=1"), "", false},
		{"no query", "boltsort.sort", []value.Value{vs("/path")}, vs("/path"), "", false},
		{"more than 32 unsorted", "boltsort.sort", []value.Value{vs("/?z=1&y=1&x=1&w=1&v=1&u=1&t=1&s=1&r=1&q=1&p=1&o=1&n=1&m=1&l=1&k=1&j=1&i=1&h=1&g=1&f=1&e=1&d=1&c=1&b=1&a=1&Z=1&Y=1&X=1&W=1&V=1&U=1&T=1")},
			vs("/?z=1&y=1&x=1&w=1&v=1&u=1&t=1&s=1&r=1&q=1&p=1&o=1&n=1&m=1&l=1&k=1&j=1&i=1&h=1&g=1&f=1&e=1&d=1&c=1&b=1&a=1&Z=1&Y=1&X=1&W=1&V=1&U=1&T=1"), "", false},
		{"not set", "boltsort.sort", []value.Value{value.NullString()}, value.NullString(), "", false},
	})
}

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

func TestAddr(t *testing.T) {
	notSet := value.Value{T: catalog.TypeIP, NotSet: true}
	runCases(t, []builtinCase{
		// addr.is_ipv4 / addr.is_ipv6.
		{"is_ipv4 v4", "addr.is_ipv4", []value.Value{ipv("192.0.2.1")}, vb(true), "", false},
		{"is_ipv4 v6", "addr.is_ipv4", []value.Value{ipv("2001:db8::1")}, vb(false), "", false},
		{"is_ipv6 v6", "addr.is_ipv6", []value.Value{ipv("2001:db8::1")}, vb(true), "", false},
		{"is_ipv6 v4", "addr.is_ipv6", []value.Value{ipv("192.0.2.1")}, vb(false), "", false},
		{"is_ipv6 mapped", "addr.is_ipv6", []value.Value{ipv("::ffff:192.0.2.1")}, vb(true), "", false},
		{"is_ipv4 not set", "addr.is_ipv4", []value.Value{notSet}, vb(false), "", false},
		// addr.extract_bits (reference example: ends in ".7" gives 7).
		{"last byte (doc example)", "addr.extract_bits", []value.Value{ipv("192.0.2.7"), vi(0), vi(8)}, vi(7), "", false},
		{"v6 last byte (doc example)", "addr.extract_bits", []value.Value{ipv("2001:db8::7"), vi(0), vi(8)}, vi(7), "", false},
		{"first octet", "addr.extract_bits", []value.Value{ipv("192.0.2.7"), vi(24), vi(8)}, vi(192), "", false},
		{"whole v4", "addr.extract_bits", []value.Value{ipv("255.255.255.255"), vi(0), vi(32)}, vi(0xffffffff), "", false},
		{"v4 padded with zeros", "addr.extract_bits", []value.Value{ipv("255.255.255.255"), vi(32), vi(32)}, vi(0), "", false},
		{"past the top", "addr.extract_bits", []value.Value{ipv("ffff::"), vi(120), vi(8)}, vi(0xff), "", false},
		{"v6 prefix", "addr.extract_bits", []value.Value{ipv("2001:db8::"), vi(96), vi(32)}, vi(0x20010db8), "", false},
		{"zero count", "addr.extract_bits", []value.Value{ipv("1.2.3.4"), vi(0), vi(0)}, vi(0), "", false},
		{"not set", "addr.extract_bits", []value.Value{notSet, vi(0), vi(8)}, vi(0), "", false},
		{"count too big", "addr.extract_bits", []value.Value{ipv("1.2.3.4"), vi(0), vi(33)}, value.Value{}, "", true},
		{"start too big", "addr.extract_bits", []value.Value{ipv("1.2.3.4"), vi(128), vi(1)}, value.Value{}, "", true},
		{"sum too big", "addr.extract_bits", []value.Value{ipv("1.2.3.4"), vi(100), vi(29)}, value.Value{}, "", true},
	})
}

func TestMyFunctionsRegistered(t *testing.T) {
	names := []string{
		"std.anystr2ip", "std.atof", "std.atoi", "std.basename", "std.collect", "std.count", "std.dirname",
		"std.integer2time", "std.ip", "std.ip2str", "std.itoa", "std.itoa_charset", "std.prefixof", "std.replace",
		"std.replace_prefix", "std.replace_suffix", "std.replaceall", "std.str2ip", "std.strcasecmp", "std.strlen",
		"std.strpad", "std.strrep", "std.strrev", "std.strstr", "std.strtof", "std.strtol", "std.suffixof",
		"std.time", "std.tolower", "std.toupper",
		"time.add", "time.hex_to_time", "time.interval_elapsed_ratio", "time.is_after", "time.runits", "time.sub", "time.units",
		"strftime", "parse_time_delta", "substr", "subfield", "urlencode", "urldecode", "cstr_escape", "xml_escape",
		"json.escape", "utf8.codepoint_count", "utf8.is_valid", "utf8.strpad", "utf8.substr",
		"randombool", "randombool_seeded", "randomint", "randomint_seeded", "randomstr",
		"boltsort.sort", "http_status_matches", "addr.extract_bits", "addr.is_ipv4", "addr.is_ipv6",
	}
	std := 0
	for _, n := range names {
		if _, ok := Lookup(n); !ok {
			t.Errorf("%s is not registered", n)
		}
		if len(n) > 4 && n[:4] == "std." {
			std++
		}
	}
	if std != 30 {
		t.Errorf("test lists %d std.* functions, want 30", std)
	}
}
