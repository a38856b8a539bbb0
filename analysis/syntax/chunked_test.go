package syntax

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vclide/vclide/internal/vclgen"
)

const chunkBase = `# header comment
backend F_origin { .host = "example.com"; .port = "443"; }
acl internal { "10.0.0.0"/8; }
table redirects { "/a": "/b", }

sub vcl_recv {
#FASTLY recv
  call helper;
  return(lookup);
}

/* a block comment
   between subs */
sub helper {
  set req.http.X = "a" req.url;
  if (req.http.Y) { unset req.http.Z; }
}
include "other";
sub vcl_deliver {
  set resp.http.A = {"long"};
  goto done;
  done:
}
`

// TestReparseEdits applies awkward edits to a chunked file and checks that
// Reparse gives the tree, comments and errors that a parse from scratch
// gives (ParseChunked and Parse, once positions are mapped to offsets).
func TestReparseEdits(t *testing.T) {
	replace := func(old, new string) string {
		if !strings.Contains(chunkBase, old) {
			panic("no " + old)
		}
		return strings.Replace(chunkBase, old, new, 1)
	}
	tests := []struct {
		name, old, new string
	}{
		{"edit a body", chunkBase, replace(`"a" req.url`, `"abc" req.url.path`)},
		{"delete a closing brace", chunkBase, replace("unset req.http.Z; }\n}", "unset req.http.Z; }\n")},
		{"insert a closing brace", chunkBase, replace("call helper;", "call helper; }")},
		{"insert an opening brace", chunkBase, replace("call helper;", "if (x) { call helper;")},
		{"open a string", chunkBase, replace(`"a" req.url`, `"a req.url`)},
		{"open a long string", chunkBase, replace(`{"long"}`, `{"long`)},
		{"open a block comment", chunkBase, replace("call helper;", "/* call helper;")},
		{"close a block comment early", chunkBase, replace("a block comment", "a */ block comment")},
		{"edit inside a comment", chunkBase, replace("between subs", "between two subs")},
		{"split a sub in two", chunkBase, replace("  if (req.http.Y)", "}\nsub helper2 {\n  if (req.http.Y)")},
		{"merge two subs", chunkBase, replace("}\ninclude \"other\";\nsub vcl_deliver {", "")},
		{"edit at a boundary: before a decl keyword", chunkBase, replace("\nsub helper {", "\nxsub helper {")},
		{"edit at a boundary: after a closing brace", chunkBase, replace("}\ninclude", "}}\ninclude")},
		{"remove the newline between decls", chunkBase, replace("}\ninclude", "}include")},
		{"break a decl keyword", chunkBase, replace("acl internal", "ac internal")},
		{"remove a semicolon at top level", chunkBase, replace(`include "other";`, `include "other"`)},
		{"becomes a snippet", chunkBase, replace("include \"other\";", "set req.http.Q = \"1\";")},
		{"append at the end", chunkBase, chunkBase + "sub tail { }\n"},
		{"prepend at the start", chunkBase, "import std;\n" + chunkBase},
		{"add a label", chunkBase, replace("call helper;", "call helper;\n again:")},
		{"remove a label", chunkBase, replace("  done:\n", "")},
		{"BOM added", chunkBase, BOM + chunkBase},
		{"BOM kept, edit after", BOM + chunkBase, BOM + strings.Replace(chunkBase, "helper", "helpers", 1)},
		{"CRLF line ends", strings.ReplaceAll(chunkBase, "\n", "\r\n"), strings.ReplaceAll(replace("call helper;", "call helper; call x;"), "\n", "\r\n")},
		{"to CRLF on one line", chunkBase, replace("return(lookup);\n", "return(lookup);\r\n")},
		{"empty file", chunkBase, ""},
		{"from empty", "", chunkBase},
		{"whole-file replace", chunkBase, "sub other { set req.url = \"/\"; }\n"},
		{"same text", chunkBase, chunkBase},
		{"describe group", chunkBase, replace("sub helper {", "describe g {\n sub test_x { }\n}\nsub helper {")},
		{"pragma without semicolon", chunkBase + "pragma optional_param", chunkBase + "pragma optional_param x"},
		{"C! marker lines", chunkBase, replace("\nsub helper {", "\nC!\nW!\nsub helper {")},
		{"stray closing brace at top level", chunkBase, replace("include \"other\";", "}\ninclude \"other\";")},
		{"unterminated string at a chunk start", chunkBase, replace("include \"other\";", "\"other;")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := ParseChunked("x.vcl", tc.old)
			if msg := checkChunkTable(old); msg != "" {
				t.Fatalf("ParseChunked(old): %s", msg)
			}
			if msg := diffFiles(old, Parse("x.vcl", tc.old)); msg != "" {
				t.Fatalf("ParseChunked(old) vs Parse: %s", msg)
			}
			if _, msg := checkReparse(old, tc.new); msg != "" {
				t.Fatal(msg)
			}
		})
	}
}

// TestReparseReusesUntouchedDecls: an edit inside one body re-parses that
// declaration only; every other declaration is the same node as before,
// at the same position, and the positions after the edit still map to
// the right text.
func TestReparseReusesUntouchedDecls(t *testing.T) {
	old := ParseChunked("x.vcl", chunkBase)
	text := strings.Replace(chunkBase, `"a" req.url`, `"a much longer string" req.url`, 1)
	f := Reparse(old, text)
	if len(f.Decls) != len(old.Decls) {
		t.Fatalf("%d decls, want %d", len(f.Decls), len(old.Decls))
	}
	var fresh []string
	for i, d := range f.Decls {
		name := fmt.Sprintf("%T", d)
		if s, ok := d.(*SubDecl); ok {
			name = s.Name.Name
		}
		if d != old.Decls[i] {
			fresh = append(fresh, name)
		}
	}
	if strings.Join(fresh, ",") != "helper" {
		t.Errorf("re-parsed decls %v, want only helper", fresh)
	}
	deliver := f.Decls[len(f.Decls)-1].(*SubDecl)
	if got := f.Source.Slice(deliver.Name.Range); got != "vcl_deliver" {
		t.Errorf("name of the reused sub after the edit reads %q", got)
	}
	if got := f.Source.Position(deliver.Name.Start); got.Line != 19 || got.Col != 5 {
		t.Errorf("reused sub's name at %+v, want 19:5", got)
	}
}

// TestDiffFilesNoticesDifferences: the comparison the equivalence tests
// rely on does report a moved range, a changed field and a missing node.
func TestDiffFilesNoticesDifferences(t *testing.T) {
	a := Parse("x.vcl", chunkBase)
	b := Parse("x.vcl", chunkBase)
	if msg := diffFiles(a, b); msg != "" {
		t.Fatalf("equal parses differ: %s", msg)
	}
	b.Decls[0].(*BackendDecl).Name.Start++
	if diffFiles(a, b) == "" {
		t.Error("a moved range was not noticed")
	}
	b = Parse("x.vcl", chunkBase)
	b.Decls[1].(*ACLDecl).Entries[0].Mask = 9
	if diffFiles(a, b) == "" {
		t.Error("a changed field was not noticed")
	}
	b = Parse("x.vcl", chunkBase)
	b.Comments = b.Comments[1:]
	if diffFiles(a, b) == "" {
		t.Error("a missing comment was not noticed")
	}
	c := ParseChunked("x.vcl", chunkBase)
	c.chunks[1].decls++
	if checkChunkTable(c) == "" {
		t.Error("a declaration listed in the wrong chunk was not noticed")
	}
}

// TestSourceChunkedPositions: the Source of a chunked file converts between
// positions and offsets, lines and columns, across chunk boundaries.
func TestSourceChunkedPositions(t *testing.T) {
	f := ParseChunked("x.vcl", chunkBase)
	s := f.Source
	if len(s.chunks) < 4 {
		t.Fatalf("only %d chunks", len(s.chunks))
	}
	if !s.Virtual() || NewSource("x.vcl", chunkBase).Virtual() {
		t.Error("Virtual: want true for a chunked file only")
	}
	mapper := s.PosMapper()
	for off := 0; off <= len(chunkBase); off++ {
		p := s.PosOf(off)
		if got := mapper.PosOf(off); got != p {
			t.Fatalf("PosMapper.PosOf(%d) = %d, want %d", off, got, p)
		}
		if got := s.Offset(p); got != off {
			t.Fatalf("Offset(PosOf(%d)) = %d", off, got)
		}
		line := strings.Count(chunkBase[:off], "\n")
		col := off - (strings.LastIndex(chunkBase[:off], "\n") + 1)
		if got := s.Position(p); got != (Position{line + 1, col + 1}) {
			t.Fatalf("Position of offset %d = %+v, want %d:%d", off, got, line+1, col+1)
		}
		if l, c := s.UTF16Pos(p); l != line || c != col {
			t.Fatalf("UTF16Pos of offset %d = %d:%d", off, l, c)
		}
		if got := s.OffsetUTF16(line, col); got != p {
			t.Fatalf("OffsetUTF16(%d,%d) = %d, want %d", line, col, got, p)
		}
		if got := s.OffsetUTF8(line, col); got != p {
			t.Fatalf("OffsetUTF8(%d,%d) = %d, want %d", line, col, got, p)
		}
		if off < len(chunkBase) && s.Byte(p) != chunkBase[off] {
			t.Fatalf("Byte at offset %d", off)
		}
		if got := s.Advance(s.PosOf(0), off); got != p {
			t.Fatalf("Advance(0, %d) = %d, want %d", off, got, p)
		}
	}
	for line := 0; line < s.LineCount(); line++ {
		end := s.Offset(s.LineEnd(line))
		if want := s.Offset(s.LineStart(line)) + len(s.LineText(line)); end != want {
			t.Errorf("LineEnd(%d) at offset %d, want %d", line, end, want)
		}
	}
	if got := mapper.PosOf(3); got != s.PosOf(3) {
		t.Errorf("PosMapper going back: %d, want %d", got, s.PosOf(3))
	}
	sub := f.Decls[len(f.Decls)-1].(*SubDecl)
	if got := s.Slice(sub.Range); !strings.HasPrefix(got, "sub vcl_deliver {") || !strings.HasSuffix(got, "}") {
		t.Errorf("Slice of the last sub = %q", got)
	}
	if s.End() != s.PosOf(len(chunkBase)) || f.Span().End != s.End() {
		t.Error("End and File.Span disagree")
	}
}

// randomEdit replaces a random stretch of text with a random fragment
// (often one that changes the nesting), or a piece of the text itself.
func randomEdit(text string, r *rand.Rand) string {
	at := 0
	if len(text) > 0 {
		at = r.Intn(len(text) + 1)
	}
	del := 0
	if n := len(text) - at; n > 0 && r.Intn(3) > 0 {
		del = r.Intn(min(n, 40) + 1)
	}
	var ins string
	if r.Intn(4) == 0 && len(text) > 0 {
		a := r.Intn(len(text))
		ins = text[a : a+r.Intn(min(len(text)-a, 200)+1)]
	} else {
		ins = editFragments[r.Intn(len(editFragments))]
	}
	return text[:at] + ins + text[at+del:]
}

var editFragments = []string{
	"}", "{", "\"", "/*", "*/", "#", "\n", " ", ";", "(", ")", "\r\n", "é", BOM,
	"sub x {", "}\nsub y {\n", "{\"", "\"}", "{x\"", "\"x}", "// c\n", "#FASTLY recv\n",
	"table t { \"a\": \"b\", }\n", "acl a { \"1.2.3.4\"; }\n", "backend b { .host = \"h\"; }\n",
	"include \"x\";\n", "import std;\n", "pragma optional_param geoip_opt_in true;\n",
	"set req.http.X = \"1\";\n", "if (req.http.A) {", "} else {", "describe d {\n", "C!\nW!\n",
	"lbl:\n", "goto lbl;", "sub f(STRING var.a) BOOL { return true; }\n", "director d random { { .backend = b; } }\n",
}

// TestReparseRandomEdits applies random edit sequences to the test inputs
// and corpus files, re-parsing after every edit.
func TestReparseRandomEdits(t *testing.T) {
	texts := []string{chunkBase, genChunkVCL(20)}
	texts = append(texts, corpusTexts(t, 12)...)
	r := rand.New(rand.NewSource(1))
	decls, reused := 0, 0
	for i, text := range texts {
		orig := ParseChunked("x.vcl", text)
		f := orig
		for step := 0; step < 60; step++ {
			next := randomEdit(text, r)
			var msg string
			if f, msg = checkReparse(f, next); msg != "" {
				t.Fatalf("text %d, step %d: %s\n--- before:\n%s\n--- after:\n%s", i, step, msg, clip(text), clip(next))
			}
			text = next
		}
		// One edit of the original: everything before it, and most of
		// what follows, is reused.
		for step := 0; step < 20; step++ {
			f := Reparse(orig, randomEdit(orig.Source.Text, r))
			decls += len(f.Decls)
			reused += reusedDecls(orig, f)
		}
	}
	if reused*2 < decls {
		t.Errorf("single edits reused only %d of %d declarations", reused, decls)
	}
	t.Logf("single edits reused %d of %d declarations", reused, decls)
}

// reusedDecls counts the declarations of f that are nodes of old.
func reusedDecls(old, f *File) int {
	seen := make(map[Decl]bool, len(old.Decls))
	for _, d := range old.Decls {
		seen[d] = true
	}
	n := 0
	for _, d := range f.Decls {
		if seen[d] {
			n++
		}
	}
	return n
}

func clip(s string) string {
	if len(s) > 3000 {
		return s[:3000] + "…"
	}
	return s
}

// corpusTexts returns up to n VCL files of the shared corpus (skipping the
// test when it is absent).
func corpusTexts(t testing.TB, n int) []string {
	var texts []string
	root := filepath.Join("..", "..", "..", "shared", "corpus", "vcl")
	if _, err := os.Stat(root); err != nil {
		t.Skip("no shared corpus at " + root)
	}
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || len(texts) >= n || !strings.HasSuffix(path, ".vcl") {
			return nil
		}
		if b, err := os.ReadFile(path); err == nil && len(b) < 200_000 {
			texts = append(texts, string(b))
		}
		return nil
	})
	return texts
}

// genChunkVCL writes a program of n subroutines of about 20 lines each.
func genChunkVCL(n int) string { return vclgen.Helpers(n) }

// BenchmarkReparse40k: a one-line edit in the middle of the 40k-line
// program, re-parsed with Reparse (vs BenchmarkParse40k and
// BenchmarkParseChunked40k).
func BenchmarkReparse40k(b *testing.B) {
	src := genChunkVCL(2000)
	mid := strings.Index(src, "sub helper_1000 {")
	line := mid + strings.Index(src[mid:], "set req.http.X-Count")
	edits := [2]string{
		src[:line] + "set req.http.X-Counted" + src[line+len("set req.http.X-Count"):],
		src,
	}
	f := ParseChunked("big.vcl", src)
	b.ReportMetric(float64(strings.Count(src, "\n")), "lines")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f = Reparse(f, edits[i%2])
	}
	if len(f.Decls) != 2004 {
		b.Fatalf("%d decls", len(f.Decls))
	}
}

// BenchmarkParse40k parses the 40k-line program with Parse.
func BenchmarkParse40k(b *testing.B) {
	src := genChunkVCL(2000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Parse("big.vcl", src)
	}
}

// BenchmarkParseChunked40k parses the 40k-line program with ParseChunked.
func BenchmarkParseChunked40k(b *testing.B) {
	src := genChunkVCL(2000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ParseChunked("big.vcl", src)
	}
}

func TestCommonPrefixSuffix(t *testing.T) {
	long := strings.Repeat("abcdefgh", 3000)
	tests := []struct {
		a, b           string
		prefix, suffix int
	}{
		{"", "", 0, 0},
		{"abc", "abc", 3, 3},
		{"abc", "abd", 2, 0},
		{"xbc", "abc", 0, 2},
		{long + "X" + long, long + "Y" + long, len(long), len(long)},
		{long[:5000] + "X", long[:5000], 5000, 0},
		{"X" + long, long, 0, len(long)},
	}
	for _, tc := range tests {
		if got := commonPrefix(tc.a, tc.b); got != tc.prefix {
			t.Errorf("commonPrefix(len %d, len %d) = %d, want %d", len(tc.a), len(tc.b), got, tc.prefix)
		}
		if got := commonSuffix(tc.a, tc.b); got != tc.suffix {
			t.Errorf("commonSuffix(len %d, len %d) = %d, want %d", len(tc.a), len(tc.b), got, tc.suffix)
		}
	}
}
