package pcre

import (
	"reflect"
	"testing"
)

func TestFeatures(t *testing.T) {
	tests := []struct {
		pattern string
		re2     bool
		reasons []string
	}{
		{`^/foo$`, true, nil},
		{`(?i)\bfoo\d+`, true, nil},
		{`\Qa.b\E+`, true, nil},
		{"(?x) a b # comment", true, nil},
		{`[[:alpha:]][[:^digit:]]`, true, nil},
		{`\h+\v`, true, nil},
		{`\p{Greek}\pL`, true, nil},
		{`(?P<name>x)(?<other>y)`, true, nil},
		{`(?n)(a)|b`, true, nil},
		{`a(?=b)`, false, []string{"look-ahead"}},
		{`^(?!/)`, false, []string{"look-ahead"}},
		{`(?<!a)b`, false, []string{"look-behind"}},
		{`(a)\1`, false, []string{"backreference"}},
		{`(?<n>a)\k<n>`, false, []string{"backreference"}},
		{`(?>a)`, false, []string{"atomic group"}},
		{`a++`, false, []string{"possessive quantifier"}},
		{`(a)?(?(1)b)`, false, []string{"conditional group"}},
		{`(a)(?1)`, false, []string{"recursion"}},
		{`a\Kb`, false, []string{`\K`}},
		{`\Ga`, false, []string{`\G`}},
		{`a\Rb`, false, []string{`\R`}},
		{`a{1001}`, false, []string{"repeat count above 1000"}},
		{`(?=a)(b)\1`, false, []string{"look-ahead", "backreference"}},
		{`\p{Xan}`, false, []string{`Unicode property \p{Xan}`}},
		{`(*UCP)\w`, false, []string{"(*UCP) option"}},
		{`(*UTF)a`, true, nil},
		{`(?|(a)|(b))`, false, []string{"branch reset group"}},
	}
	for _, tc := range tests {
		info := Features(tc.pattern)
		if info.Err != nil {
			t.Errorf("Features(%q): unexpected error %v", tc.pattern, info.Err)
			continue
		}
		if info.RE2 != tc.re2 || !reflect.DeepEqual(info.Reasons, tc.reasons) {
			t.Errorf("Features(%q) = %v %q, want %v %q", tc.pattern, info.RE2, info.Reasons, tc.re2, tc.reasons)
		}
		re, err := Compile(tc.pattern)
		if err != nil {
			if _, ok := err.(*UnsupportedError); !ok || tc.re2 {
				t.Errorf("Compile(%q) = %v", tc.pattern, err)
			}
			continue
		}
		want := EngineBacktrack
		if tc.re2 {
			want = EngineRE2
		}
		if re.Engine() != want {
			t.Errorf("Compile(%q).Engine() = %s, want %s", tc.pattern, re.Engine(), want)
		}
	}
}

func TestFeaturesGroups(t *testing.T) {
	info := Features(`(a)(?:b)(?<n>c)(?|(d)|(e))`)
	if info.Groups != 3 || info.Names["n"] != 2 || len(info.Names) != 1 {
		t.Errorf("Groups = %d, Names = %v; want 3 and n=2", info.Groups, info.Names)
	}
	if info := Features(`(a`); info.Err == nil || info.RE2 {
		t.Errorf("Features of an invalid pattern = %+v, want an error", info)
	}
}
