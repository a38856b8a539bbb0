package builtin

import (
	"testing"
)

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

// Every builtin of this group is registered, and every name argument it
// declares is in NameArgs.
func TestGroupBRegistered(t *testing.T) {
	names := []string{
		"accept.charset_lookup", "accept.encoding_lookup", "accept.language_filter_basic", "accept.language_lookup", "accept.media_lookup",
		"bin.base64_to_hex", "bin.hex_to_base64",
		"crypto.decrypt_base64", "crypto.decrypt_hex", "crypto.encrypt_base64", "crypto.encrypt_hex",
		"digest.awsv4_hmac", "digest.base64", "digest.base64_decode", "digest.base64url", "digest.base64url_decode",
		"digest.base64url_nopad", "digest.base64url_nopad_decode", "digest.ecdsa_verify", "digest.hash_crc32", "digest.hash_crc32b",
		"digest.hash_md5", "digest.hash_sha1", "digest.hash_sha1_from_base64", "digest.hash_sha224", "digest.hash_sha256",
		"digest.hash_sha256_from_base64", "digest.hash_sha384", "digest.hash_sha512", "digest.hash_sha512_from_base64",
		"digest.hash_xxh32", "digest.hash_xxh32_from_base64", "digest.hash_xxh64", "digest.hash_xxh64_from_base64",
		"digest.hmac_md5", "digest.hmac_md5_base64", "digest.hmac_sha1", "digest.hmac_sha1_base64", "digest.hmac_sha256",
		"digest.hmac_sha256_base64", "digest.hmac_sha512", "digest.hmac_sha512_base64", "digest.rsa_verify",
		"digest.secure_is_equal", "digest.time_hmac_md5", "digest.time_hmac_sha1", "digest.time_hmac_sha256", "digest.time_hmac_sha512",
		"early_hints", "fastly.hash", "fastly.try_select_shield", "h2.disable_header_compression", "h2.push", "h3.alt_svc",
		"header.filter", "header.filter_except", "header.get", "header.set", "header.unset",
		"querystring.add", "querystring.clean", "querystring.filter", "querystring.filter_except", "querystring.filtersep",
		"querystring.get", "querystring.globfilter", "querystring.globfilter_except", "querystring.regfilter",
		"querystring.regfilter_except", "querystring.remove", "querystring.set", "querystring.sort",
		"ratelimit.check_rate", "ratelimit.check_rates", "ratelimit.penaltybox_add", "ratelimit.penaltybox_has", "ratelimit.ratecounter_increment",
		"resp.tarpit", "setcookie.delete_by_name", "setcookie.get_value_by_name",
		"table.contains", "table.lookup", "table.lookup_acl", "table.lookup_backend", "table.lookup_bool", "table.lookup_float",
		"table.lookup_integer", "table.lookup_ip", "table.lookup_regex", "table.lookup_rtime",
		"uuid.dns", "uuid.is_valid", "uuid.is_version3", "uuid.is_version4", "uuid.is_version5", "uuid.is_version7",
		"uuid.oid", "uuid.url", "uuid.version3", "uuid.version4", "uuid.version5", "uuid.version7", "uuid.x500",
	}
	if len(names) != 103 {
		t.Fatalf("list has %d names", len(names))
	}
	for _, n := range names {
		if _, ok := Lookup(n); !ok {
			t.Errorf("%s is not registered", n)
		}
	}
	for fn := range NameArgs {
		if _, ok := Lookup(fn); !ok {
			t.Errorf("NameArgs entry for unregistered %s", fn)
		}
	}
}
