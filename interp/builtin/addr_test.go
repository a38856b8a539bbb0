package builtin

import (
	"testing"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/value"
)

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
