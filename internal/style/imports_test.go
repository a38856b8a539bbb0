package style

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// module is the module path; imports under it form the last group.
const module = "github.com/vclide/vclide"

// importClass orders the groups as `goimports -local github.com/vclide/vclide`
// writes them: the standard library, then other modules, then this module.
func importClass(path string) int {
	switch {
	case path == module || strings.HasPrefix(path, module+"/"):
		return 2
	case strings.Contains(strings.SplitN(path, "/", 2)[0], "."):
		return 1
	}
	return 0
}

var classNames = []string{"standard library", "other modules", module}

// TestImportGroups: every file groups its imports as goimports
// -local github.com/vclide/vclide does: blank-line separated groups, each of
// one kind, in the order standard library, other modules, this module.
// (Order inside a group is gofmt's job.)
func TestImportGroups(t *testing.T) {
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatal("module root not found:", err)
	}
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		files++
		for _, problem := range importProblems(t, path) {
			t.Error(problem)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("only %d Go files found under %s", files, root)
	}
}

// importProblems returns what is wrong with one file's import grouping.
func importProblems(t *testing.T, path string) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	lastLine, lastClass, groupClass := -1, -1, -1
	seen := map[int]bool{}
	for _, imp := range f.Imports {
		p, _ := strconv.Unquote(imp.Path.Value)
		line := fset.Position(imp.Pos()).Line
		if imp.Doc != nil {
			line = fset.Position(imp.Doc.Pos()).Line
		}
		class := importClass(p)
		newGroup := lastLine >= 0 && line > lastLine+1
		switch {
		case lastLine < 0 || newGroup:
			if seen[class] {
				problems = append(problems, path+": "+p+": a second group of "+classNames[class]+" imports")
			} else if class < lastClass {
				problems = append(problems, path+": "+p+": "+classNames[class]+" imports come before "+classNames[lastClass])
			}
			groupClass = class
		case class != groupClass:
			problems = append(problems, path+": "+p+": "+classNames[class]+" import in a group of "+classNames[groupClass]+" (separate groups with a blank line)")
		}
		seen[class] = true
		lastLine, lastClass = fset.Position(imp.End()).Line, class
	}
	return problems
}
