package pcre

import "testing"

func TestReplace(t *testing.T) {
	tests := []struct {
		name                   string
		all                    bool
		subject, pattern, repl string
		want                   string
	}{
		// Examples from Fastly's documentation of regsub and regsuball.
		{"regsub deletes the query string", false, "/path/page.html?x=1&y=2", `\?.*$`, "", "/path/page.html"},
		{"regsub \\100 is group 1 then 00", false, "204", `^([1-5])..`, `\100`, "200"},
		{"regsuball does not recurse", true, "aaa", "a", "aa", "aaaaaa"},
		// The VCL literal "%2520" is the string "%20" once %25 is decoded.
		{"regsuball encodes plus signs", true, "/search?q=a+b+c", `\+`, "%20", "/search?q=a%20b%20c"},
		{"regsub extracts a cookie field", false, "uid=12345:sess=01234567-89abcdef-012:name=abetts:remember=1",
			`^.*?:name=([^:]*):.*?$`, `\1`, "abetts"},
		// Replacement syntax.
		{"\\0 is the whole match", false, "foo123bar", `\d+`, `[\0]`, "foo[123]bar"},
		{"\\{N} reaches groups above 9", false, "abcdefghijk", `(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)`, `\{11}\{10}\1`, "kja"},
		{"\\{N} with one digit", false, "ab", `(a)(b)`, `\{2}\{1}`, "ba"},
		{"a missing group is empty", false, "ab", `(a)|(x)`, `<\2>`, "<>b"},
		{"a group beyond the pattern is empty", false, "ab", `a`, `<\7>`, "<>b"},
		{"backslash before another character", false, "ab", "a", `\\\x\{`, `\x{b`},
		{"trailing backslash is kept", false, "ab", "a", `x\`, `x\b`},
		{"no match leaves the subject", false, "abc", "x", "y", "abc"},
		{"regsub replaces only the first", false, "a-b-c", "-", "+", "a+b-c"},
		{"regsuball replaces all", true, "a-b-c", "-", "+", "a+b+c"},
		{"regsuball with groups", true, "k1=v1;k2=v2", `(\w+)=(\w+)`, `\2=\1`, "v1=k1;v2=k2"},
		// Empty matches: none is taken where the previous match ended.
		{"empty matches between characters", true, "abc", "x*", "-", "-a-b-c-"},
		{"empty match after a match", true, "baaac", "a*", "-", "-b-c-"},
		{"empty matches on regexp2", true, "abc", "x*(?!y)", "-", "-a-b-c-"},
		{"empty match after a match on regexp2", true, "baaac", "a*(?!y)", "-", "-b-c-"},
		// The backtracking engine sees the whole subject, so look-behind
		// works across replacements.
		{"look-behind in regsuball", true, "aaa", "(?<=a)a", "b", "abb"},
		{"look-behind with non-ASCII text", true, "é1é22x3", `(?<=é)\d+`, "#", "é#é#x3"},
		{"regsub on regexp2 with a backreference", false, "say hello hello", `(\w+) \1`, `\1`, "say hello"},
	}
	for _, tc := range tests {
		re, err := Compile(tc.pattern)
		if err != nil {
			t.Errorf("%s: Compile(%q): %v", tc.name, tc.pattern, err)
			continue
		}
		var got string
		if tc.all {
			got = re.ReplaceAll(tc.subject, tc.repl)
		} else {
			got = re.ReplaceFirst(tc.subject, tc.repl)
		}
		if got != tc.want {
			t.Errorf("%s: replacing %q with %q in %q (%s) = %q, want %q",
				tc.name, tc.pattern, tc.repl, tc.subject, re.Engine(), got, tc.want)
		}
	}
}
