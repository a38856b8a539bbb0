package format

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis/syntax"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/format")

const goldenDir = "../../testdata/format"

// TestGolden formats every testdata/format/*.vcl and compares the result
// with the .golden file next to it (go test -update rewrites them).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(goldenDir, "*.vcl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden inputs in %s (%v)", goldenDir, err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".vcl")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Source(file, string(src), Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkFormatted(t, file, string(src))
			golden := strings.TrimSuffix(file, ".vcl") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s:\n%s", golden, firstDiff(string(want), got))
			}
			again, err := Source(golden, got, Options{})
			if err != nil || again != got {
				t.Errorf("golden output is not a fixed point: %v\n%s", err, firstDiff(got, again))
			}
		})
	}
}

// TestSmall covers individual rules on short inputs.
func TestSmall(t *testing.T) {
	tests := []struct {
		name, src, want string
		opts            Options
	}{
		{"empty file", "", "", Options{}},
		{"only blanks", "\n\n  \n", "", Options{}},
		{"only a comment", "  # hi  \n\n", "# hi\n", Options{}},
		{"return spellings", "sub f { return pass; return (pass); return(pass); return ( pass ) ; return; }",
			"sub f {\n  return(pass);\n  return(pass);\n  return(pass);\n  return(pass);\n  return;\n}\n", Options{}},
		{"typed return", "sub f STRING { return \"a\" \"b\"; return ((\"c\")); }",
			"sub f STRING {\n  return(\"a\" \"b\");\n  return((\"c\"));\n}\n", Options{}},
		{"indent width 4", "sub f { if (a) { esi; } }", "sub f {\n    if (a) {\n        esi;\n    }\n}\n", Options{IndentWidth: 4}},
		{"tabs", "sub f { if (a) { esi; } }", "sub f {\n\tif (a) {\n\t\tesi;\n\t}\n}\n", Options{UseTabs: true}},
		{"macro at column 0 stays", "sub vcl_recv {\n#FASTLY recv\n}", "sub vcl_recv {\n#FASTLY recv\n}\n", Options{}},
		{"indented macro follows the block", "sub vcl_recv {\n      #FASTLY RECV\n}", "sub vcl_recv {\n  #FASTLY RECV\n}\n", Options{}},
		{"empty statements dropped", "sub f { ; set a = 1;; }\n;", "sub f {\n  set a = 1;\n}\n", Options{}},
		{"empty block", "sub f { if (a) {} else { } }", "sub f {\n  if (a) {\n  } else {\n  }\n}\n", Options{}},
		{"unary and parens", "sub f { set var.x = - ( 1 + 2 ) ; if ( ! ( a ) ) { esi; } }",
			"sub f {\n  set var.x = -(1 + 2);\n  if (!(a)) {\n    esi;\n  }\n}\n", Options{}},
		{"call with trailing comma", "sub f { std.log(\"a\",); }", "sub f {\n  std.log(\"a\",);\n}\n", Options{}},
		{"fastly markers", "pragma x y;\nC!\nW!\n# Backends\nbackend b { .host = \"h\"; }",
			"pragma x y;\nC!\nW!\n\n# Backends\nbackend b {\n  .host = \"h\";\n}\n", Options{}},
		{"crlf stays crlf", "sub f {\r\n  esi; # c\r\n}\r\n", "sub f {\r\n  esi; # c\r\n}\r\n", Options{}},
		{"crlf to lf", "sub f {\r\n  esi; # c\r\n}\r\n", "sub f {\n  esi; # c\n}\n", Options{LineEndings: LF}},
		{"lf to crlf", "sub f {\n  esi;\n}\n", "sub f {\r\n  esi;\r\n}\r\n", Options{LineEndings: CRLF}},
		{"lf stays lf", "sub f {\n  esi;\n}\n", "sub f {\n  esi;\n}\n", Options{}},
		{"crlf block comment keeps no stray cr", "/* a\r\n b */\r\nsub f {\r\n  /* c\r\n  d */\r\n  esi;\r\n}\r\n",
			"/* a\r\n b */\r\nsub f {\r\n  /* c\r\n  d */\r\n  esi;\r\n}\r\n", Options{}},
		{"crlf block comment to lf", "/* a\r\n b */\r\nsub f {\r\n  /* c\r\n  d */\r\n  esi;\r\n}\r\n",
			"/* a\n b */\nsub f {\n  /* c\n  d */\n  esi;\n}\n", Options{LineEndings: LF}},
		{"crlf long string to lf", "sub f {\r\n  synthetic {\"a\r\nb\"};\r\n}\r\n",
			"sub f {\n  synthetic {\"a\nb\"};\n}\n", Options{LineEndings: LF}},
		{"mixed endings follow the majority", "sub f {\r\n  esi;\n  esi;\r\n}\r\n",
			"sub f {\r\n  esi;\r\n  esi;\r\n}\r\n", Options{}},
		{"label", "sub f {\ngoto x;\n   x:\n esi;\n}", "sub f {\n  goto x;\n  x:\n  esi;\n}\n", Options{}},
		{"comment between tokens", "sub f { set /* a */ req.http.x /* b */ = /* c */ \"1\" /* d */ ; }",
			"sub f {\n  set /* a */ req.http.x /* b */ = /* c */ \"1\" /* d */;\n}\n", Options{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Source("t.vcl", tc.src, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
			again, err := Source("t.vcl", got, tc.opts)
			if err != nil || again != got {
				t.Errorf("not idempotent (%v):\n%s", err, again)
			}
		})
	}
}

// TestSyntaxError checks that broken code is reported, not rewritten.
func TestSyntaxError(t *testing.T) {
	src := "sub vcl_recv {\n  set req.http.X = ;\n}\n"
	out, err := Source("bad.vcl", src, Options{})
	var se *SyntaxError
	if !errors.As(err, &se) || out != "" {
		t.Fatalf("got %q, %v; want a *SyntaxError and no output", out, err)
	}
	if se.Pos.Line != 2 || !strings.HasPrefix(err.Error(), "bad.vcl:2:") {
		t.Errorf("error %q: want it at line 2", err)
	}
	if _, err := Range("bad.vcl", src, 0, 1, Options{}); err == nil {
		t.Error("Range: want a syntax error")
	}
}

// TestFallback checks that when the tree does not match the tokens (a bug
// the printer guards against) the declaration is copied verbatim and the
// rest of the file is still formatted.
func TestFallback(t *testing.T) {
	f := syntax.Parse("t.vcl", "sub f {   esi;  }\nsub g{restart;}")
	f.Decls[0].(*syntax.SubDecl).Body.Stmts = nil // the tree forgets esi
	out, p := format(f, Options{}, false)
	if want := "sub f {   esi;  }\n\nsub g {\n  restart;\n}\n"; out != want || p.fallbacks != 1 {
		t.Errorf("got %d fallbacks and:\n%s\nwant:\n%s", p.fallbacks, out, want)
	}
}

// TestFileOfChunkedParse: a file parsed in chunks (virtual positions, as the
// language server parses) formats exactly as the same text parsed by Parse.
func TestFileOfChunkedParse(t *testing.T) {
	text := "sub a {\nset req.url = \"/\";\n}\n\n\n# c\nsub   b { if (req.url) { return(pass); } }\ntable t { \"a\":\"b\", }\n"
	f := syntax.ParseChunked("x.vcl", text)
	if !f.Source.Virtual() {
		t.Fatal("the test needs a file of several chunks")
	}
	want := File(syntax.Parse("x.vcl", text), Options{})
	if got := File(f, Options{}); got != want {
		t.Errorf("chunked file formats as\n%s\nwant\n%s", got, want)
	}
}
