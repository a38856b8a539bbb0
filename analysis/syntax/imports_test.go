package syntax

import (
	goparser "go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsOnlyStdAndTypes keeps the syntax tree free of checker state:
// the package may import the standard library and analysis/types, nothing
// else (not the catalogue), so trees can be shared between programs.
func TestImportsOnlyStdAndTypes(t *testing.T) {
	const allowed = "github.com/vclide/vclide/analysis/types"
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := goparser.ParseFile(fset, name, src, goparser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(path, "/")
			if path != allowed && strings.Contains(first, ".") {
				t.Errorf("%s imports %s: syntax may import only the standard library and %s", name, path, allowed)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no Go files found")
	}
}
