package pcre

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, subject string
		want             bool
	}{
		{`^/admin(/.*)?\z`, "/admin/users", true},
		{`^/admin(/.*)?\z`, "/administrator", false},
		{`\.jpg$`, "/a/b.jpg", true},
		{`\.jpg$`, "/a/b.jpg?x", false},
		// PCRE's "$" also matches before a newline that ends the subject.
		{`^foo$`, "foo\n", true},
		{`^foo\Z`, "foo\n", true},
		{`^foo\z`, "foo\n", false},
		{`^foo$`, "foo\nbar", false},
		{`(?m)^bar$`, "foo\nbar\n", true},
		// \s includes the vertical tab, as in PCRE2 (Go's \s does not).
		{`^\s$`, "\v", true},
		// \d and \w are ASCII-only.
		{`^\d$`, "٣", false},
		{`^\w$`, "é", false},
		{`.`, "\n", false},
		{`(?s).`, "\n", true},
		{`(?i)ABC`, "xabcx", true},
		{`(?i:A)b`, "aB", false},
		{`\Qa.b\E`, "a.b", true},
		{`\Qa.b\E`, "axb", false},
		{"(?x) a \\  b # comment", "a b", true},
		{`\x{41}\101\cA`, "AA\x01", true},
		{`[[:^alpha:][:digit:]]+`, "1!", true},
		{`\h+`, "a \t\u00a0b", true},
		// The same checks on the backtracking engine (forced by a look-ahead).
		{`(?=.)^\s$`, "\v", true},
		{`(?=.)^\d$`, "٣", false},
		{`(?=.)\bé`, "xé", true},
		{`(?=f)foo$`, "foo\n", true},
		{`(?=[^x])[\D]`, "a", true},
		{`(?=.)[[:^alpha:]]`, "a", false},
		{`(?=.)(?i)abc`, "xABC", true},
		{`(?=.)a(?i)b`, "aB", true},
		{`(?=.)a(?i)b`, "AB", false},
		{`(?=.)(?i:a)b`, "AB", false},
		{`^(a)?(?(1)(?i)b|c)B`, "abB", true},
		{`^(a)?(?(1)(?i)b|c)B`, "abb", false},
		{`(?=.)(?m)^b$`, "a\nb\n", true},
		{`(?=.)x\Z`, "x\n", true},
		{`(?=.)x\z`, "x\n", false},
		{`(?=.).`, "\n", false},
	}
	for _, tc := range tests {
		re, err := Compile(tc.pattern)
		if err != nil {
			t.Errorf("Compile(%q): %v", tc.pattern, err)
			continue
		}
		if got := re.MatchString(tc.subject); got != tc.want {
			t.Errorf("%q (%s) ~ %q = %v, want %v", tc.pattern, re.Engine(), tc.subject, got, tc.want)
		}
	}
}

func TestFindStringSubmatch(t *testing.T) {
	tests := []struct {
		pattern, subject string
		engine           string
		want             []string
	}{
		// Fastly's cheat sheet: re.group.0 … re.group.3.
		{`^(a+)(b+)(c+)`, "abbbccccc", EngineRE2, []string{"abbbccccc", "a", "bbb", "ccccc"}},
		{`(?i)\?.*some_query_arg=([^&]*)`, "/x?a=1&Some_Query_Arg=42&z", EngineRE2, []string{"?a=1&Some_Query_Arg=42", "42"}},
		{`(a)|b`, "b", EngineRE2, []string{"b", ""}},
		{`x`, "y", EngineRE2, nil},
		// Look-around and a backreference run on regexp2.
		{`(?<=id=)(\w+)-\1(?!\d)`, "id=ab-ab;", EngineBacktrack, []string{"ab-ab", "ab"}},
		{`(?<=id=)(\w+)-\1(?!\d)`, "id=ab-ab1", EngineBacktrack, nil},
		{`(?<=\$)\d+`, "cost: $42", EngineBacktrack, []string{"42"}},
		// Named groups keep PCRE numbering (regexp2 would number them last).
		{`(?<y>\d{4})-(\d\d)-\k<y>`, "2024-05-2024", EngineBacktrack, []string{"2024-05-2024", "2024", "05"}},
		{`^(a)?(?(1)b|c)`, "c", EngineBacktrack, []string{"c", ""}},
		{`a++b`, "aaab", EngineBacktrack, []string{"aaab"}},
		{`a++a`, "aaaa", EngineBacktrack, nil},
		{`(?>a+)b|(a)`, "aa", EngineBacktrack, []string{"a", "a"}},
		{`\R`, "a\r\nb", EngineBacktrack, []string{"\r\n"}},
		{`x(*FAIL)|y`, "xy", EngineBacktrack, []string{"y"}},
		{`(?<=é)(.)`, "aéb", EngineBacktrack, []string{"b", "b"}},
	}
	for _, tc := range tests {
		re, err := Compile(tc.pattern)
		if err != nil {
			t.Errorf("Compile(%q): %v", tc.pattern, err)
			continue
		}
		if re.Engine() != tc.engine {
			t.Errorf("Compile(%q).Engine() = %s, want %s", tc.pattern, re.Engine(), tc.engine)
		}
		if got := re.FindStringSubmatch(tc.subject); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%q on %q = %q, want %q", tc.pattern, tc.subject, got, tc.want)
		}
	}
}

func TestCompileUnsupported(t *testing.T) {
	for _, p := range []string{`(a)(?1)`, `a\Kb`, `(?|(a)|(b))`, `(?C1)a`, `(*UCP)\w`, `(*COMMIT)a`, `\X`} {
		_, err := Compile(p)
		var u *UnsupportedError
		if !errors.As(err, &u) {
			t.Errorf("Compile(%q) = %v, want *UnsupportedError", p, err)
		}
	}
	if _, err := Compile(`(a`); err == nil {
		t.Error("Compile accepted an invalid pattern")
	} else if _, ok := err.(*SyntaxError); !ok {
		t.Errorf("Compile(`(a`) error is %T, want *SyntaxError", err)
	}
}

func TestMatchLimit(t *testing.T) {
	re := MustCompile(`^(?=a)(a|aa)+$`)
	if re.Engine() != EngineBacktrack {
		t.Fatalf("engine %s", re.Engine())
	}
	subject := "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"
	start := time.Now()
	ok, err := re.TryMatchString(subject)
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Fatalf("match ran for %v", elapsed)
	}
	if ok || !errors.Is(err, ErrMatchLimit) {
		t.Errorf("TryMatchString = %v, %v; want false and ErrMatchLimit", ok, err)
	}
	if re.MatchString(subject) {
		t.Error("MatchString reported a match that hit the limit")
	}
	out, err := re.TryReplaceAll(subject, "x")
	if out != subject || !errors.Is(err, ErrMatchLimit) {
		t.Errorf("TryReplaceAll = %q, %v; want the input and ErrMatchLimit", out, err)
	}
}

func TestRegexpAccessors(t *testing.T) {
	re := MustCompile(`(a)(?:b)(c)`)
	if re.String() != `(a)(?:b)(c)` || re.NumGroups() != 2 {
		t.Errorf("String() = %q, NumGroups() = %d", re.String(), re.NumGroups())
	}
}
