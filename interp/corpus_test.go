package interp

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// notSimulated lists the predefined variables the corpus uses that the
// simulator deliberately does not model; using one is a runtime error.
var notSimulated = map[string]bool{}

// TestCorpusVariables checks that every predefined variable the shared
// corpus of real-world VCL reads or sets is simulated. It is skipped when
// the corpus is absent.
func TestCorpusVariables(t *testing.T) {
	root := filepath.Join("..", "..", "shared", "corpus", "vcl")
	if _, err := os.Stat(root); err != nil {
		t.Skip("corpus not available")
	}
	missing := map[string]bool{}
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".vcl") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		syntax.Inspect(syntax.Parse(p, string(b)), func(n syntax.Node) bool {
			id, ok := n.(*syntax.Ident)
			if !ok {
				return true
			}
			if _, ok := catalog.LookupVariable(id.Name); !ok || notSimulated[id.Name] {
				return true
			}
			if _, unsupported := bindVar(id.Name).(*unsupportedVar); unsupported {
				missing[id.Name] = true
			}
			return true
		})
		return nil
	})
	if len(missing) > 0 {
		var names []string
		for n := range missing {
			names = append(names, n)
		}
		sort.Strings(names)
		t.Errorf("corpus variables not simulated: %s", strings.Join(names, " "))
	}
}

// TestCorpusRuns builds an engine for every corpus file the checker
// accepts and runs two requests through it: none may end in a runtime
// error.
func TestCorpusRuns(t *testing.T) {
	root := filepath.Join("..", "..", "shared", "corpus", "vcl")
	if _, err := os.Stat(root); err != nil {
		t.Skip("corpus not available")
	}
	built := 0
	filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".vcl") {
			return nil
		}
		prog, err := analysis.Load(p, analysis.Options{})
		if err != nil {
			return nil
		}
		e, err := New(Config{Program: prog, Fallback: fixed(200, "x", "Cache-Control", "max-age=60")})
		if err != nil {
			if !strings.Contains(err.Error(), "error(s)") {
				t.Errorf("%s: %v", p, err)
			}
			return nil
		}
		built++
		for _, u := range []string{"/", "/a/b.html?x=1"} {
			r := e.Do(context.Background(), Request{URL: u, Header: map[string][]string{"Cookie": {"a=b"}, "User-Agent": {"curl/8"}}})
			if r.Err != nil {
				t.Errorf("%s %s: %v", p, u, r.Err)
			}
		}
		return nil
	})
	if built == 0 {
		t.Error("no corpus file built")
	}
}
