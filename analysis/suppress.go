package analysis

import (
	"strings"

	"github.com/vclide/vclide/analysis/syntax"
)

// ignoreComment is one `# vclide:ignore [CODE,…]` comment: its line and
// the codes it silences (none: every code).
type ignoreComment struct {
	line  int
	codes []string
}

// ignoreComments lists a file's vclide:ignore comments.
func ignoreComments(f *syntax.File) []ignoreComment {
	var out []ignoreComment
	for _, c := range f.Comments {
		i := strings.Index(c.Text, "vclide:ignore")
		if i < 0 {
			continue
		}
		rest := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(c.Text[i+len("vclide:ignore"):]), "*/"))
		out = append(out, ignoreComment{
			line:  f.Source.Position(c.Start).Line,
			codes: strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' }),
		})
	}
	return out
}

// suppressor answers whether a `# vclide:ignore CODE[,CODE]` comment on a
// diagnostic's line or the line before silences it (a bare
// `# vclide:ignore` silences every code). It reads each file's comments
// once, however many diagnostics it is asked about.
type suppressor struct {
	files   map[*syntax.Source]*syntax.File
	ignores map[*syntax.File][]ignoreComment
}

func newSuppressor(files []*syntax.File) *suppressor {
	s := &suppressor{files: make(map[*syntax.Source]*syntax.File, len(files)), ignores: map[*syntax.File][]ignoreComment{}}
	for _, f := range files {
		s.files[f.Source] = f
	}
	return s
}

// suppressed reports whether d is silenced.
func (s *suppressor) suppressed(d *Diagnostic) bool {
	f := s.files[d.File]
	if f == nil || len(f.Comments) == 0 {
		return false
	}
	ignores, ok := s.ignores[f]
	if !ok {
		ignores = ignoreComments(f)
		s.ignores[f] = ignores
	}
	if len(ignores) == 0 {
		return false
	}
	line := f.Source.Position(d.Range.Start).Line
	for _, ig := range ignores {
		if ig.line != line && ig.line != line-1 {
			continue
		}
		if len(ig.codes) == 0 {
			return true
		}
		for _, code := range ig.codes {
			if code == d.Code {
				return true
			}
		}
	}
	return false
}
