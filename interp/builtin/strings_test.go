package builtin

import (
	"strings"
	"testing"

	"github.com/vclide/vclide/interp/value"
)

func TestStdStrings(t *testing.T) {
	null := value.NullString()
	runCases(t, []builtinCase{
		// std.prefixof / std.suffixof (reference examples).
		{"prefixof greenhouse", "std.prefixof", []value.Value{vs("greenhouse"), vs("green")}, vb(true), "", false},
		{"prefixof no", "std.prefixof", []value.Value{vs("greenhouse"), vs("house")}, vb(false), "", false},
		{"prefixof empty is not a prefix", "std.prefixof", []value.Value{vs("greenhouse"), vs("")}, vb(false), "", false},
		{"suffixof rectangles", "std.suffixof", []value.Value{vs("rectangles"), vs("angles")}, vb(true), "", false},
		{"suffixof no", "std.suffixof", []value.Value{vs("rectangles"), vs("rect")}, vb(false), "", false},
		{"suffixof empty is not a suffix", "std.suffixof", []value.Value{vs("rectangles"), vs("")}, vb(false), "", false},
		// std.replace family (reference examples).
		{"replace first", "std.replace", []value.Value{vs("abcabc"), vs("b"), vs("")}, vs("acabc"), "", false},
		{"replace aaa (replaceall doc text)", "std.replace", []value.Value{vs("aaa"), vs("a"), vs("aa")}, vs("aaaa"), "", false},
		{"replace empty target", "std.replace", []value.Value{vs("abc"), vs(""), vs("x")}, vs("abc"), "", false},
		{"replace not set", "std.replace", []value.Value{null, vs("a"), vs("b")}, null, "", false},
		{"replaceall plus", "std.replaceall", []value.Value{vs("/a+b+c"), vs("+"), vs("%2520")}, vs("/a%2520b%2520c"), "", false},
		{"replaceall does not recurse", "std.replaceall", []value.Value{vs("aaa"), vs("a"), vs("aa")}, vs("aaaaaa"), "", false},
		{"replaceall no match", "std.replaceall", []value.Value{vs("abc"), vs("x"), vs("y")}, vs("abc"), "", false},
		{"replace_prefix 0x", "std.replace_prefix", []value.Value{vs("0xABCD1234"), vs("0x"), vs("")}, vs("ABCD1234"), "", false},
		{"replace_prefix no prefix", "std.replace_prefix", []value.Value{vs("ABCD0x"), vs("0x"), vs("")}, vs("ABCD0x"), "", false},
		{"replace_suffix trailing slash", "std.replace_suffix", []value.Value{vs("/path/"), vs("/"), vs("")}, vs("/path"), "", false},
		{"replace_suffix only last", "std.replace_suffix", []value.Value{vs("/a//"), vs("/"), vs("")}, vs("/a/"), "", false},
		{"replace_suffix empty target", "std.replace_suffix", []value.Value{vs("abc"), vs(""), vs("x")}, vs("abc"), "", false},
		// std.strcasecmp (reference text).
		{"strcasecmp equal", "std.strcasecmp", []value.Value{vs("Hello"), vs("hELLO")}, vb(true), "", false},
		{"strcasecmp different", "std.strcasecmp", []value.Value{vs("Hello"), vs("Help")}, vb(false), "", false},
		{"strcasecmp utf8 not folded", "std.strcasecmp", []value.Value{vs("smörgås"), vs("SMÖRGÅS")}, vb(false), "", false},
		{"strcasecmp not set", "std.strcasecmp", []value.Value{null, null}, vb(false), "", false},
		// std.strlen (reference example).
		{"strlen hello world", "std.strlen", []value.Value{vs("Hello world!")}, vi(12), "", false},
		{"strlen bytes", "std.strlen", []value.Value{vs("é")}, vi(2), "", false},
		{"strlen not set", "std.strlen", []value.Value{null}, vi(0), "", false},
		// std.strpad (reference examples).
		{"strpad left justify", "std.strpad", []value.Value{vs("abc"), vi(-10), vs("-=")}, vs("abc-=-=-=-"), "", false},
		{"strpad right justify", "std.strpad", []value.Value{vs("abc"), vi(10), vs("-=")}, vs("-=-=-=-abc"), "", false},
		{"strpad repeat", "std.strpad", []value.Value{vs(""), vi(12), vs("abcd")}, vs("abcdabcdabcd"), "", false},
		{"strpad cuts multibyte (utf8.strpad doc)", "std.strpad", []value.Value{vs("abc"), vi(7), vs("🌸🌼")}, vs("🌸abc"), "", false},
		{"strpad width too small", "std.strpad", []value.Value{vs("abcdef"), vi(3), vs("x")}, vs("abcdef"), "", false},
		{"strpad empty pad", "std.strpad", []value.Value{vs("abc"), vi(10), vs("")}, vs("abc"), "", false},
		{"strpad too big", "std.strpad", []value.Value{vs("a"), vi(1 << 40), vs("x")}, null, "ESESOOM", false},
		// std.strrep / std.strrev (reference examples).
		{"strrep abc 3", "std.strrep", []value.Value{vs("abc"), vi(3)}, vs("abcabcabc"), "", false},
		{"strrep negative", "std.strrep", []value.Value{vs("abc"), vi(-1)}, vs(""), "", false},
		{"strrep huge", "std.strrep", []value.Value{vs("abc"), vi(1 << 40)}, null, "ESESOOM", false},
		{"strrev abc", "std.strrev", []value.Value{vs("abc")}, vs("cba"), "", false},
		{"strrev utf8", "std.strrev", []value.Value{vs("aé")}, null, "EUTF8", false},
		// std.strstr (reference text).
		{"strstr query", "std.strstr", []value.Value{vs("/a?b=1"), vs("?")}, vs("?b=1"), "", false},
		{"strstr absent", "std.strstr", []value.Value{vs("/a"), vs("?")}, null, "", false},
		{"strstr empty needle", "std.strstr", []value.Value{vs("abc"), vs("")}, vs("abc"), "", false},
		// std.tolower / std.toupper (reference examples).
		{"tolower HELLO", "std.tolower", []value.Value{vs("HELLO")}, vs("hello"), "", false},
		{"tolower VerY", "std.tolower", []value.Value{vs("VerY")}, vs("very"), "", false},
		{"toupper hello", "std.toupper", []value.Value{vs("hello")}, vs("HELLO"), "", false},
		{"toupper yes!", "std.toupper", []value.Value{vs("yes!")}, vs("YES!"), "", false},
		{"toupper ascii only", "std.toupper", []value.Value{vs("é")}, vs("é"), "", false},
	})
}

func TestSubstr(t *testing.T) {
	null := value.NullString()
	runCases(t, []builtinCase{
		// Examples from the substr reference page.
		{"zero based", "substr", []value.Value{vs("abcdefg"), vi(0), vi(3)}, vs("abc"), "", false},
		{"partially outside", "substr", []value.Value{vs("abcdefg"), vi(5), vi(3)}, vs("fg"), "", false},
		{"completely outside", "substr", []value.Value{vs("abc"), vi(4), vi(2)}, null, "", false},
		{"edge at end", "substr", []value.Value{vs("abc"), vi(3), vi(2)}, vs(""), "", false},
		{"negative offset", "substr", []value.Value{vs("abcdefg"), vi(-3), vi(2)}, vs("ef"), "", false},
		{"negative length", "substr", []value.Value{vs("abcdefg"), vi(1), vi(-3)}, vs("bcd"), "", false},
		// The reference gives "de" for substr("abcdefg", -4, -3), which no
		// consistent rule reconciles with its (1, -3) example; the simulator
		// ends three bytes before the end, as for (1, -3).
		{"negative offset and length", "substr", []value.Value{vs("abcdefg"), vi(-4), vi(-3)}, vs("d"), "", false},
		{"left", "substr", []value.Value{vs("foobar"), vi(0), vi(3)}, vs("foo"), "", false},
		{"middle", "substr", []value.Value{vs("foobar"), vi(2), vi(3)}, vs("oba"), "", false},
		{"right", "substr", []value.Value{vs("foobar"), vi(-3)}, vs("bar"), "", false},
		{"overflow", "substr", []value.Value{vs("abc"), vi(1 << 62), vi(1 << 62)}, null, "", false},
		{"length zero", "substr", []value.Value{vs("abc"), vi(1), vi(0)}, vs(""), "", false},
		{"length before start", "substr", []value.Value{vs("abc"), vi(2), vi(-2)}, null, "", false},
		{"not set", "substr", []value.Value{null, vi(0)}, null, "", false},
		// utf8.substr (reference example: %u{3b1}%u{3b2}%u{3b3}).
		{"utf8 beta", "utf8.substr", []value.Value{vs("αβγ"), vi(1), vi(1)}, vs("β"), "", false},
		{"utf8 negative", "utf8.substr", []value.Value{vs("αβγ"), vi(-2)}, vs("βγ"), "", false},
		{"utf8 invalid", "utf8.substr", []value.Value{vs("a\xffb"), vi(0), vi(1)}, null, "", false},
	})
}

func TestSubfield(t *testing.T) {
	null := value.NullString()
	cc := vs("public, max-age=3600, private")
	runCases(t, []builtinCase{
		// Examples from the subfield reference and the header-subfields guide.
		{"flag present", "subfield", []value.Value{cc, vs("private")}, vs(""), "", false},
		{"value", "subfield", []value.Value{cc, vs("max-age")}, vs("3600"), "", false},
		{"case insensitive", "subfield", []value.Value{cc, vs("MAX-AGE")}, vs("3600"), "", false},
		{"absent", "subfield", []value.Value{cc, vs("s-maxage")}, null, "", false},
		{"query string", "subfield", []value.Value{vs("foo=1&bar=2"), vs("foo"), vs("&")}, vs("1"), "", false},
		{"cookie", "subfield", []value.Value{vs("value1=123value123; testValue=asdf_true; staff_user=true;"), vs("staff_user"), vs(";")}, vs("true"), "", false},
		{"cookie bar", "subfield", []value.Value{vs("foo=1; bar=2"), vs("bar"), vs(";")}, vs("2"), "", false},
		{"not set", "subfield", []value.Value{null, vs("a")}, null, "", false},
	})
	e := newEnv()
	got, _ := call(t, e, "subfield", cc, vs("private"))
	if !value.Truthy(got) {
		t.Error(`if (subfield(beresp.http.Cache-Control, "private")) is false`)
	}
}

func TestURLAndEscapes(t *testing.T) {
	runCases(t, []builtinCase{
		// urlencode / urldecode (reference examples).
		{"urlencode hello world", "urlencode", []value.Value{vs("hello world")}, vs("hello%20world"), "", false},
		{"urlencode reserved", "urlencode", []value.Value{vs("a=b&c/d?é~-._")}, vs("a%3Db%26c%2Fd%3F%C3%A9~-._"), "", false},
		{"urldecode", "urldecode", []value.Value{vs("hello%20world+!")}, vs("hello world !"), "", false},
		{"urldecode lowercase hex", "urldecode", []value.Value{vs("%c3%a9")}, vs("é"), "", false},
		{"urldecode bad escape kept", "urldecode", []value.Value{vs("100%zz%4")}, vs("100%zz%4"), "", false},
		{"urldecode NUL truncates", "urldecode", []value.Value{vs("ab%00cd")}, vs("ab"), "", false},
		// cstr_escape (reference rules and example).
		{"cstr london", "cstr_escape", []value.Value{vs("london")}, vs("london"), "", false},
		{"cstr quotes", "cstr_escape", []value.Value{vs(`say "hi" \o/`)}, vs(`say \"hi\" \\o/`), "", false},
		{"cstr controls", "cstr_escape", []value.Value{vs("\b\t\n\v\r\x01\x7f\xc3")}, vs(`\b\t\n\v\r\x01\x7F\xC3`), "", false},
		// xml_escape (reference examples).
		{"xml abc123", "xml_escape", []value.Value{vs("abc123")}, vs("abc123"), "", false},
		{"xml romeo", "xml_escape", []value.Value{vs("romeo&juliet")}, vs("romeo&amp;juliet"), "", false},
		{"xml lt", "xml_escape", []value.Value{vs("0 < 1")}, vs("0 &lt; 1"), "", false},
		{"xml apos", "xml_escape", []value.Value{vs("isn't")}, vs("isn&apos;t"), "", false},
		{"xml quote gt", "xml_escape", []value.Value{vs(`"a>b"`)}, vs("&quot;a&gt;b&quot;"), "", false},
		{"xml city", "xml_escape", []value.Value{vs("london")}, vs("london"), "", false},
		// json.escape (reference rules).
		{"json quote backslash", "json.escape", []value.Value{vs(`a"b\c`)}, vs(`a\"b\\c`), "", false},
		{"json named controls", "json.escape", []value.Value{vs("\b\t\n\f\r")}, vs(`\b\t\n\f\r`), "", false},
		{"json other controls", "json.escape", []value.Value{vs("\x01\x7f\u2028\u2029")}, vs(`\u0001\u007F\u2028\u2029`), "", false},
		{"json astral pair", "json.escape", []value.Value{vs("😁")}, vs(`\uD83D\uDE01`), "", false},
		{"json bmp passes", "json.escape", []value.Value{vs("aé€")}, vs("aé€"), "", false},
		{"json invalid utf8", "json.escape", []value.Value{vs("a\xff")}, value.NullString(), "EUTF8", false},
	})
}

func TestUTF8(t *testing.T) {
	runCases(t, []builtinCase{
		{"count ascii", "utf8.codepoint_count", []value.Value{vs("abc")}, vi(3), "", false},
		{"count multibyte", "utf8.codepoint_count", []value.Value{vs("αβγ🌸")}, vi(4), "", false},
		{"count invalid is zero", "utf8.codepoint_count", []value.Value{vs("a\xff")}, vi(0), "", false},
		{"valid", "utf8.is_valid", []value.Value{vs("αβγ")}, vb(true), "", false},
		{"invalid", "utf8.is_valid", []value.Value{vs("\xc3")}, vb(false), "", false},
		{"strpad flowers (doc example)", "utf8.strpad", []value.Value{vs("abc"), vi(7), vs("🌸🌼")}, vs("🌸🌼🌸🌼abc"), "", false},
		{"strpad right", "utf8.strpad", []value.Value{vs("é"), vi(-3), vs("x")}, vs("éxx"), "", false},
		{"strpad invalid", "utf8.strpad", []value.Value{vs("\xff"), vi(3), vs("x")}, value.NullString(), "EUTF8", false},
	})
}

func TestStringFunctionsRegistered(t *testing.T) {
	for _, fn := range []string{"std.prefixof", "std.suffixof", "std.replace", "std.replaceall", "std.replace_prefix",
		"std.replace_suffix", "std.strcasecmp", "std.strlen", "std.strpad", "std.strrep", "std.strrev", "std.strstr",
		"std.tolower", "std.toupper", "substr", "subfield", "urlencode", "urldecode", "cstr_escape", "xml_escape",
		"json.escape", "utf8.codepoint_count", "utf8.is_valid", "utf8.strpad", "utf8.substr"} {
		if _, ok := Lookup(fn); !ok {
			t.Errorf("%s is not registered", fn)
		}
		if _, err := call(t, newEnv(), fn); err == nil || !strings.Contains(err.Error(), fn) {
			t.Errorf("%s with no arguments: err = %v, want an arity error naming the function", fn, err)
		}
	}
}
