package lsp

import (
	"testing"

	"github.com/vclide/vclide/analysis/syntax"
)

// TestSummarizeReusesDeclarations: a file's next summary takes the uses of
// the declarations it already described from the previous summary (no walk)
// and walks only new ones, and both answer the same questions.
func TestSummarizeReusesDeclarations(t *testing.T) {
	f1 := syntax.Parse("a.vcl", "sub one { set req.http.X-One = \"1\"; call helper; }\nsub two { set req.http.X-Two = \"2\"; }\n")
	sum1 := summarize(f1, nil, 1, nil)
	f2 := syntax.Parse("a.vcl", "sub two { set req.http.X-Three = \"3\"; call other; }\n")
	// The second file keeps the first declaration of f1 and adds a new one,
	// as the incremental parser does for an edit in the second sub.
	mixed := &syntax.File{Source: f1.Source, Decls: []syntax.Decl{f1.Decls[0], f2.Decls[0]}}
	sum2 := summarize(mixed, nil, 2, sum1)
	if sum2.uses[0] != sum1.uses[0] {
		t.Error("the unchanged declaration was walked again")
	}
	if sum2.uses[1] == nil || sum2.uses[1] == sum1.uses[1] {
		t.Error("the new declaration has no uses of its own")
	}
	// A declaration that moved because one was inserted before it is
	// found from the end of the file.
	f3 := syntax.Parse("a.vcl", "sub zero { }\n")
	moved := &syntax.File{Source: f1.Source, Decls: []syntax.Decl{f1.Decls[0], f3.Decls[0], f2.Decls[0]}}
	sum3 := summarize(moved, nil, 3, sum2)
	if sum3.uses[0] != sum2.uses[0] || sum3.uses[2] != sum2.uses[1] {
		t.Error("declarations before and after the inserted one were walked again")
	}
	for _, tc := range []struct {
		name string
		want bool
	}{{"helper", true}, {"other", true}, {"nothing", false}} {
		if got := sum2.mentions(tc.name); got != tc.want {
			t.Errorf("mentions(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
	ix := newIndex()
	ix.update(sum2)
	got := ix.headers()
	if len(got) != 2 || got[0] != "X-One" || got[1] != "X-Three" {
		t.Errorf("headers = %v, want [X-One X-Three]", got)
	}
}
