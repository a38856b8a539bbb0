package analysis

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis/config"
)

// TestCodesComplete: every Code constant is in Codes, so that configuration
// accepts it under severity:.
func TestCodesComplete(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "diagnostic.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			for i, name := range spec.(*ast.ValueSpec).Names {
				lit, ok := spec.(*ast.ValueSpec).Values[i].(*ast.BasicLit)
				if !strings.HasPrefix(name.Name, "Code") || !ok {
					continue
				}
				n++
				code := strings.Trim(lit.Value, `"`)
				if !slices.Contains(Codes, code) {
					t.Errorf("%s (%q) is missing from Codes", name.Name, code)
				}
			}
		}
	}
	if n != len(Codes) {
		t.Errorf("%d Code constants, %d entries in Codes", n, len(Codes))
	}
}

// TestSeverityCodeTypoInConfig: with the analysis package loaded, a typo
// under severity: in .vclide.yaml is reported with a suggestion.
func TestSeverityCodeTypoInConfig(t *testing.T) {
	_, err := config.Parse("ws/.vclide.yaml", []byte("severity:\n  unused-locl: off\n  undefined-backend: off\n"))
	if err == nil || !strings.Contains(err.Error(), `unknown diagnostic code "unused-locl" under severity; did you mean "unused-local"?`) {
		t.Fatalf("got %v", err)
	}
	if strings.Contains(err.Error(), "undefined-backend") {
		t.Errorf("a known code is refused: %v", err)
	}
}
