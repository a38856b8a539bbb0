package format

import (
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis/syntax"
)

// TestRange formats selections marked with ‹ and › in the input.
func TestRange(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"one statement",
			"sub f {\n  set   a=1;\n      set ‹b=2›;\n  set   c=3;\n}\n",
			"sub f {\n  set   a=1;\n  set b = 2;\n  set   c=3;\n}\n"},
		{"cursor inside a statement",
			"sub f {\n  set   a=1;\n      set b=‹›2;\n}\n",
			"sub f {\n  set   a=1;\n  set b = 2;\n}\n"},
		{"two statements",
			"sub f {\n  set   a=1;\n  set ‹b=2;\n  set c›=3;\n  set   d=4;\n}\n",
			"sub f {\n  set   a=1;\n  set b = 2;\n  set c = 3;\n  set   d=4;\n}\n"},
		{"statements sharing a line",
			"sub f {\n  set   a=1;\n  set b=2; set ‹c›=3;\n  set   d=4;\n}\n",
			"sub f {\n  set   a=1;\n  set b = 2;\n  set c = 3;\n  set   d=4;\n}\n"},
		{"leading and trailing comments come along",
			"sub f {\n  set   a=1;\n    # why\n      set ‹b›=2;   # because\n}\n",
			"sub f {\n  set   a=1;\n  # why\n  set b = 2; # because\n}\n"},
		{"nested block",
			"sub f {\n  set   a=1;\n  if (x) {\n   if(y){\n  set ‹b›=2;\n   }\n  }\n}\n",
			"sub f {\n  set   a=1;\n  if (x) {\n   if(y){\n      set b = 2;\n   }\n  }\n}\n"},
		{"braces on the statement's line take the parent",
			"sub f {\n  set   a=1;\n  if (x) { set ‹b›=2; }\n  set   c=3;\n}\n",
			"sub f {\n  set   a=1;\n  if (x) {\n    set b = 2;\n  }\n  set   c=3;\n}\n"},
		{"declaration header",
			"acl a { \"1.2.3.4\"; }\n\n‹sub› f {\n  set   a=1;\n}\n",
			"acl a { \"1.2.3.4\"; }\n\nsub f {\n  set a = 1;\n}\n"},
		{"two declarations",
			"acl a {   \"1.2.3.4\"; }\n\nsub ‹f {\n  set   a=1;\n}\nsub› g {}\n\nsub h {esi;}\n",
			"acl a {   \"1.2.3.4\"; }\n\nsub f {\n  set a = 1;\n}\n\nsub g {\n}\n\nsub h {esi;}\n"},
		{"whole lines stop before the next declaration",
			"sub f {\n‹  set   a=1;\n}\n›sub g {esi;}\n",
			"sub f {\n  set a = 1;\n}\nsub g {esi;}\n"},
		{"between declarations",
			"sub f {esi;}\n‹›\nsub g {esi;}\n",
			"sub f {esi;}\n\nsub g {esi;}\n"},
		{"whole file",
			"‹sub f {esi;}\nsub g {esi;}›",
			"sub f {\n  esi;\n}\n\nsub g {\n  esi;\n}\n"},
		{"snippet statement",
			"set   a=1;\nif (x) {\n    set ‹b›=2;\n}\n",
			"set   a=1;\nif (x) {\n  set b = 2;\n}\n"},
		{"already formatted",
			"sub f {\n  set ‹b› = 2;\n}\n",
			"sub f {\n  set b = 2;\n}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			i := strings.Index(tc.src, "‹")
			src := strings.Replace(tc.src, "‹", "", 1)
			j := strings.Index(src, "›")
			src = strings.Replace(src, "›", "", 1)
			edits, err := Range("t.vcl", src, syntax.Pos(i), syntax.Pos(j), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := Apply(src, edits); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s\nedits: %+v", got, tc.want, edits)
			}
			if tc.name == "already formatted" && len(edits) != 0 {
				t.Errorf("want no edits, got %+v", edits)
			}
		})
	}
}

// TestRangeMatchesWhole checks that formatting each statement of the golden
// inputs through Range gives the same text as formatting the whole file
// would for that statement.
func TestRangeMatchesWhole(t *testing.T) {
	src := "sub f {\n  set   a=1;\n  if(x){set b=2;}\n  # c\n    log   \"x\"; # t\n}\n"
	whole, err := Source("t.vcl", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	edits, err := Range("t.vcl", src, syntax.Pos(strings.Index(src, "set   a")), syntax.Pos(strings.Index(src, "# t")), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := Apply(src, edits); got != whole {
		t.Errorf("got:\n%s\nwant:\n%s", got, whole)
	}
}

// TestRangeCRLF checks that range formatting in a CRLF file answers CRLF
// text, so the edited file keeps one kind of line break.
func TestRangeCRLF(t *testing.T) {
	src := "sub f {\r\n  set   a=1;\r\n      set b=2;\r\n  /* x\r\n  y */\r\n}\r\n"
	start := syntax.Pos(strings.Index(src, "b=2"))
	edits, err := Range("t.vcl", src, start, start, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := Apply(src, edits)
	want := "sub f {\r\n  set   a=1;\r\n  set b = 2;\r\n  /* x\r\n  y */\r\n}\r\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	whole, err := Range("t.vcl", src, 0, syntax.Pos(len(src)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := Apply(src, whole); strings.Contains(strings.ReplaceAll(got, "\r\n", ""), "\n") || strings.Contains(strings.ReplaceAll(got, "\r\n", ""), "\r") {
		t.Errorf("whole-file range mixes line endings: %q", got)
	}
}

func TestParseLineEndings(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want LineEndings
		ok   bool
	}{{"keep", KeepLineEndings, true}, {"LF", LF, true}, {"crlf", CRLF, true}, {"cr", 0, false}} {
		got, err := ParseLineEndings(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%q: %v, %v", tc.in, got, err)
		}
		if tc.ok && got.String() != strings.ToLower(tc.in) {
			t.Errorf("%q prints as %q", tc.in, got.String())
		}
	}
}
