package lsp

import (
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"go.lsp.dev/protocol"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/syntax"
)

// document is one open editor buffer. It is never modified: a change makes
// a new document.
type document struct {
	uri     protocol.DocumentURI
	path    string
	version int32
	text    string
}

// overlay is an immutable set of open buffers by path.
type overlay map[string]*document

// dirs lists the directories of the open buffers, sorted.
func (o overlay) dirs() []string {
	seen := map[string]bool{}
	var out []string
	for p := range o {
		if d := filepath.Dir(p); !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	sort.Strings(out)
	return out
}

// buffers gives the workspace the open buffers, which replace the disk.
func (o overlay) buffers(path string) (string, bool) {
	if d, ok := o[path]; ok {
		return d.text, true
	}
	return "", false
}

// view is the lazily computed analysis of one root file under a fixed
// overlay and options. Views are replaced, never changed, when an input
// changes, so a request that captured a view sees a consistent state.
type view struct {
	root string
	docs overlay
	ws   *analysis.Workspace

	// gen orders views by creation.
	gen uint64
	// prev is the last program checked for this root, if any: the check
	// re-checks only the subroutines the changes since then affect.
	// Dropped once the view is computed.
	prev *analysis.Program
	// onPanic is told about a panic in the analysis.
	onPanic func(root string, r any)

	once sync.Once
	done atomic.Pointer[snapshot]
}

// get computes (once) and returns the snapshot.
// A panic in the analysis leaves a snapshot of an empty program, so that
// handlers still answer; the panic is reported through onPanic.
func (v *view) get() *snapshot {
	v.once.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				if v.onPanic != nil {
					v.onPanic(v.root, r)
				}
				v.done.Store(newSnapshot(v.root, overlay{v.root: {path: v.root}}, v.ws, v.gen, nil))
			}
		}()
		prev := v.prev
		v.prev = nil
		v.done.Store(newSnapshot(v.root, v.docs, v.ws, v.gen, prev))
	})
	return v.done.Load()
}

// computed returns the snapshot when it exists already, nil otherwise; it
// never blocks.
func (v *view) computed() *snapshot { return v.done.Load() }

// snapshot is one checked program: the root file, everything it includes,
// and the derived facts handlers ask about. It is immutable.
type snapshot struct {
	// loadErr is why the root file could not be read (nil when it was).
	loadErr error
	root    string
	docs    overlay
	prog    *analysis.Program
	files   map[string]*syntax.File
	// includes maps each file to the files its include lines load.
	includes map[string][]string
	// diags groups the program's diagnostics by file path.
	diags map[string][]*analysis.Diagnostic
	// gen orders snapshots: a later one has a larger gen.
	gen uint64
	// indexed is set once the workspace index has the snapshot's files.
	indexed atomic.Bool

	headerOnce sync.Once
	headerList []string

	idxOnce sync.Once
	idents  map[*syntax.File][]*syntax.Ident // sorted by start
}

// newSnapshot checks root under docs. prev, when not nil, is an earlier
// check of the same root, whose unaffected subroutines are reused.
func newSnapshot(root string, docs overlay, ws *analysis.Workspace, gen uint64, prev *analysis.Program) *snapshot {
	prog, loadErr, testRoot := loadRoot(ws, root, docs, prev)
	if loadErr != nil {
		// The root vanished from disk, or may not be read: check it as an
		// empty file.
		prog = ws.Check(syntax.Parse(root, ""), docs.buffers)
	}
	s := &snapshot{
		loadErr:  loadErr,
		root:     root,
		docs:     docs,
		prog:     prog,
		files:    make(map[string]*syntax.File, len(prog.Files)),
		includes: map[string][]string{},
		diags:    map[string][]*analysis.Diagnostic{},
		gen:      gen,
	}
	for _, f := range prog.Files {
		s.files[f.Source.Name] = f
	}
	for _, d := range prog.Diagnostics {
		if testRoot && d.File.Name != root {
			continue // the VCL under test reports its own diagnostics
		}
		s.diags[d.File.Name] = append(s.diags[d.File.Name], d)
	}
	s.scanIncludesAndMembers()
	return s
}

// scanIncludesAndMembers records the include graph from each file's list
// of includes (the parser keeps it, so no tree walk is needed).
func (s *snapshot) scanIncludesAndMembers() {
	for _, f := range s.prog.Files {
		name := f.Source.Name
		for _, n := range f.Includes {
			if inc := s.prog.Includes[n]; inc != nil {
				s.includes[name] = append(s.includes[name], inc.Source.Name)
			}
		}
	}
}

// file returns the parsed file at path, if the program holds it.
func (s *snapshot) file(path string) *syntax.File { return s.files[path] }

// identsOf lists every identifier of f in source order (built once).
func (s *snapshot) identsOf(f *syntax.File) []*syntax.Ident {
	s.idxOnce.Do(func() {
		s.idents = make(map[*syntax.File][]*syntax.Ident, len(s.prog.Files))
		for _, pf := range s.prog.Files {
			var ids []*syntax.Ident
			syntax.Inspect(pf, func(n syntax.Node) bool {
				if id, ok := n.(*syntax.Ident); ok && id.Name != "" {
					ids = append(ids, id)
				}
				return true
			})
			sort.SliceStable(ids, func(i, j int) bool { return ids[i].Start < ids[j].Start })
			s.idents[pf] = ids
		}
	})
	return s.idents[f]
}

// identAt returns the identifier of f whose range contains pos (the end
// included, so a cursor just after a name finds it).
func (s *snapshot) identAt(f *syntax.File, pos syntax.Pos) *syntax.Ident {
	ids := s.identsOf(f)
	i := sort.Search(len(ids), func(i int) bool { return ids[i].End >= pos })
	var best *syntax.Ident
	for ; i < len(ids) && ids[i].Start <= pos; i++ {
		if ids[i].Range.Contains(pos) {
			// Prefer the one that starts at pos over one that ends there.
			if best == nil || ids[i].Start == pos {
				best = ids[i]
			}
		}
	}
	return best
}

// symbolOf resolves an identifier to a user symbol through the checker's
// reference.
func (s *snapshot) symbolOf(id *syntax.Ident) *analysis.Symbol {
	sym, _ := s.prog.RefOf(id).(*analysis.Symbol)
	return sym
}

// headers lists the header names the program's files mention (built once).
func (s *snapshot) headers() []string {
	s.headerOnce.Do(func() {
		seen := map[string]bool{}
		for _, f := range s.prog.Files {
			for _, id := range s.identsOf(f) {
				if h := headerOf(id.Name); h != "" && !seen[strings.ToLower(h)] {
					seen[strings.ToLower(h)] = true
					s.headerList = append(s.headerList, h)
				}
			}
		}
	})
	return s.headerList
}

// refsOf lists the places a symbol is used (declaration excluded).
func (s *snapshot) refsOf(sym *analysis.Symbol) []analysis.Location {
	return append([]analysis.Location(nil), sym.Refs...)
}

// deps are the files this snapshot read.
func (s *snapshot) deps() map[string]bool {
	out := make(map[string]bool, len(s.files)+1)
	out[s.root] = true
	for p := range s.files {
		out[p] = true
	}
	return out
}

// docVersion returns the version of the open buffer at path (nil when the
// file is not open).
func (s *snapshot) docVersion(path string) *int32 {
	if d, ok := s.docs[path]; ok {
		v := d.version
		return &v
	}
	return nil
}
