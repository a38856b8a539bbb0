package builtin

import (
	"testing"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/value"
)

// rx is a test shorthand for a REGEX literal argument.
func rx(s string) value.Value { return value.Value{T: catalog.TypeRegex, Str: s} }

func TestRegsub(t *testing.T) {
	null := value.NullString()
	runCases(t, []builtinCase{
		// Examples from the regsub and regsuball reference pages.
		{"drop query string", "regsub", []value.Value{vs("/a/b?x=1&y=2"), rx(`\?.*$`), vs("")}, vs("/a/b"), "", false},
		{"status class \\100", "regsub", []value.Value{vs("404"), rx(`^([1-5])..`), vs(`\100`)}, vs("400"), "", false},
		{"first only", "regsub", []value.Value{vs("aaa"), rx("a"), vs("b")}, vs("baa"), "", false},
		{"no match unchanged", "regsub", []value.Value{vs("abc"), rx("x"), vs("y")}, vs("abc"), "", false},
		{"groups", "regsub", []value.Value{vs("abbbccccc"), rx("^(a+)(b+)(c+)$"), vs(`\3\2\1`)}, vs("cccccbbba"), "", false},
		{"braced group", "regsub", []value.Value{vs("ab"), rx("(a)(b)"), vs(`\{2}\{1}`)}, vs("ba"), "", false},
		{"case insensitive flag", "regsub", []value.Value{vs("HeLLo"), rx("(?i)hello"), vs("x")}, vs("x"), "", false},
		{"string pattern", "regsub", []value.Value{vs("a.b"), vs(`\.`), vs("-")}, vs("a-b"), "", false},
		{"plus to %2520", "regsuball", []value.Value{vs("a+b+c"), rx(`\+`), vs("%2520")}, vs("a%2520b%2520c"), "", false},
		{"aaa to aaaaaa", "regsuball", []value.Value{vs("aaa"), rx("a"), vs("aa")}, vs("aaaaaa"), "", false},
		{"all with groups", "regsuball", []value.Value{vs("k1=v1;k2=v2"), rx(`(\w+)=(\w+)`), vs(`\2=\1`)}, vs("v1=k1;v2=k2"), "", false},
		{"not set input", "regsub", []value.Value{null, rx("x"), vs("y")}, null, "", false},
		{"not set input matched empty", "regsub", []value.Value{null, rx("^$"), vs("y")}, vs("y"), "", false},
		{"bad pattern", "regsub", []value.Value{vs("a"), rx("("), vs("")}, value.Value{}, "", true},
		{"arity", "regsuball", []value.Value{vs("a"), rx("a")}, value.Value{}, "", true},
	})
}

func TestRegexCache(t *testing.T) {
	a, err := compileRegex("^x+$")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := compileRegex("^x+$")
	if a != b {
		t.Error("the same pattern compiled twice")
	}
	if _, err := compileRegex("[z-a]"); err == nil {
		t.Error("invalid range compiled")
	}
}

func TestRegsubMatchLimit(t *testing.T) {
	e := newEnv()
	in := vs("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	got, err := call(t, e, "regsub", in, rx(`^(a+)+(?=b)`), vs("x"))
	if err != nil {
		t.Fatal(err)
	}
	if fastlyError(e) != "EREGRECUR" || got.Str != in.Str {
		t.Errorf("catastrophic pattern: got %q, fastly.error %q; want input unchanged and EREGRECUR", got.Str, fastlyError(e))
	}
}
