package dap

import (
	"net/http"
	"strings"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/syntax"
)

// headerSpellings maps each header name the program uses (req.http.NAME,
// resp.http.NAME:field, …) from its canonical form to the spelling the VCL
// wrote first, so the Variables view shows X-PreFetch-Miss, not Go's
// X-Prefetch-Miss.
func headerSpellings(prog *analysis.Program) map[string]string {
	out := map[string]string{}
	for _, f := range prog.Files {
		for _, d := range f.Decls {
			syntax.Inspect(d, func(n syntax.Node) bool {
				if id, ok := n.(*syntax.Ident); ok {
					addSpelling(out, id.Name)
				}
				return true
			})
		}
		if f.Snippet != nil {
			syntax.Inspect(f.Snippet, func(n syntax.Node) bool {
				if id, ok := n.(*syntax.Ident); ok {
					addSpelling(out, id.Name)
				}
				return true
			})
		}
	}
	return out
}

func addSpelling(out map[string]string, name string) {
	i := strings.Index(name, ".http.")
	if i < 0 {
		return
	}
	h := name[i+len(".http."):]
	if k := strings.IndexByte(h, ':'); k >= 0 {
		h = h[:k]
	}
	if h == "" {
		return
	}
	c := http.CanonicalHeaderKey(h)
	if _, seen := out[c]; !seen && c != h {
		out[c] = h
	}
}

// headerSpelling is the launched program's header spellings.
func (s *Session) headerSpelling() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.t == nil {
		return nil
	}
	return s.t.spelling
}
