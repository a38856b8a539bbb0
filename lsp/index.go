package lsp

import (
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// The workspace index knows every .vcl file of the workspace, open or not:
// its declarations (for workspace symbols), the files it includes (to find
// the root a file is checked from), the names it uses (to find references in
// files no open program covers) and the header names it mentions (for
// completion after req.http.).

// indexedSymbol is one top-level declaration of a file.
type indexedSymbol struct {
	name  string
	kind  analysis.SymbolKind
	rng   syntax.Range // the whole declaration
	sel   syntax.Range // the name
	label string       // a short description (director type, table type, …)
}

// fileSummary is what the index keeps of one file.
type fileSummary struct {
	path     string
	src      *syntax.Source
	symbols  []indexedSymbol
	includes []string // resolved paths of the files it includes
	// decls are the file's top-level declarations and uses[i] what
	// decls[i] mentions, so that the next summary of the file reuses those
	// of the declarations an edit did not touch (the incremental parser
	// keeps their nodes: the same pointers before and after the edit).
	decls   []syntax.Decl
	uses    []*declUses
	snippet *declUses // the statements of a snippet file
	gen     uint64    // the generation of the snapshot it came from
}

// declUses is what one declaration (or a snippet's statements) mentions.
type declUses struct {
	names   []string // bare names it uses (subs, backends, …), sorted, unique
	headers []string // header names it mentions (X-Foo), first use first
}

// usesOf collects the names and headers mentioned below n.
func usesOf(n syntax.Node) *declUses {
	u := &declUses{}
	seenHeader := map[string]bool{}
	seenName := map[string]bool{}
	syntax.Inspect(n, func(n syntax.Node) bool {
		id, ok := n.(*syntax.Ident)
		if !ok || id.Name == "" {
			return true
		}
		if h := headerOf(id.Name); h != "" {
			if !seenHeader[h] {
				seenHeader[h] = true
				u.headers = append(u.headers, h)
			}
		} else if !strings.Contains(id.Name, ".") && !seenName[id.Name] {
			seenName[id.Name] = true
			u.names = append(u.names, id.Name)
		}
		return true
	})
	sort.Strings(u.names)
	return u
}

// mentions reports whether the file mentions name.
func (s *fileSummary) mentions(name string) bool {
	has := func(u *declUses) bool {
		if u == nil {
			return false
		}
		i := sort.SearchStrings(u.names, name)
		return i < len(u.names) && u.names[i] == name
	}
	if has(s.snippet) {
		return true
	}
	for _, u := range s.uses {
		if has(u) {
			return true
		}
	}
	return false
}

// usesOfDecl returns what the summary recorded for the declaration at
// index i of its file, when that is d (nil otherwise, or when s is nil).
func (s *fileSummary) usesOfDecl(i int, d syntax.Decl) *declUses {
	if s == nil || i < 0 || i >= len(s.decls) || s.decls[i] != d {
		return nil
	}
	return s.uses[i]
}

// summarize extracts a file's summary from its syntax tree. Declarations
// that prev (the file's previous summary, or nil) already described, at
// the same place counted from the start or from the end of the file, are
// not walked again.
func summarize(f *syntax.File, includes []string, gen uint64, prev *fileSummary) *fileSummary {
	sum := &fileSummary{path: f.Source.Name, src: f.Source, includes: includes, decls: f.Decls, uses: make([]*declUses, len(f.Decls)), gen: gen,
		symbols: make([]indexedSymbol, 0, len(f.Decls))}
	shift := 0
	if prev != nil {
		shift = len(prev.decls) - len(f.Decls)
	}
	for i, d := range f.Decls {
		u := prev.usesOfDecl(i, d)
		if u == nil {
			u = prev.usesOfDecl(i+shift, d)
		}
		if u == nil {
			u = usesOf(d)
		}
		sum.uses[i] = u
		var sym indexedSymbol
		switch d := d.(type) {
		case *syntax.SubDecl:
			sym = indexedSymbol{name: d.Name.Name, kind: analysis.SymSub, sel: d.Name.Range}
		case *syntax.BackendDecl:
			sym = indexedSymbol{name: d.Name.Name, kind: analysis.SymBackend, sel: d.Name.Range}
		case *syntax.DirectorDecl:
			sym = indexedSymbol{name: d.Name.Name, kind: analysis.SymDirector, sel: d.Name.Range}
			if d.Kind != nil {
				sym.label = d.Kind.Name
			}
		case *syntax.ACLDecl:
			sym = indexedSymbol{name: d.Name.Name, kind: analysis.SymACL, sel: d.Name.Range}
		case *syntax.TableDecl:
			sym = indexedSymbol{name: d.Name.Name, kind: analysis.SymTable, sel: d.Name.Range}
			if d.ValueType != nil {
				sym.label = d.ValueType.Name
			}
		case *syntax.PenaltyboxDecl:
			sym = indexedSymbol{name: d.Name.Name, kind: analysis.SymPenaltybox, sel: d.Name.Range}
		case *syntax.RatecounterDecl:
			sym = indexedSymbol{name: d.Name.Name, kind: analysis.SymRatecounter, sel: d.Name.Range}
		default:
			continue
		}
		if sym.name == "" {
			continue
		}
		sym.rng = d.Span()
		sum.symbols = append(sum.symbols, sym)
	}
	if f.Snippet != nil {
		sum.snippet = usesOf(f.Snippet)
	}
	return sum
}

// headerOf returns the header name in req.http.X-Foo:sub ("X-Foo"), or "".
func headerOf(name string) string {
	i := strings.Index(name, ".http.")
	if i < 0 {
		return ""
	}
	v, ok := catalog.LookupVariable(name)
	if !ok || !v.Pattern {
		return ""
	}
	h := name[i+len(".http."):]
	if j := strings.IndexByte(h, ':'); j >= 0 {
		h = h[:j]
	}
	return h
}

// index is the workspace index. It is safe for concurrent use.
type index struct {
	mu      sync.RWMutex
	files   map[string]*fileSummary
	parents map[string]map[string]bool // file → the files that include it
}

func newIndex() *index {
	return &index{files: map[string]*fileSummary{}, parents: map[string]map[string]bool{}}
}

// update replaces the summary of one file and its include edges.
func (ix *index) update(sum *fileSummary) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.setLocked(sum)
}

func (ix *index) setLocked(sum *fileSummary) {
	old := ix.files[sum.path]
	if old != nil && old.gen > sum.gen {
		return // a newer snapshot already described the file
	}
	if old != nil {
		for _, c := range old.includes {
			delete(ix.parents[c], sum.path)
		}
	}
	ix.files[sum.path] = sum
	for _, c := range sum.includes {
		if c == sum.path {
			continue
		}
		if ix.parents[c] == nil {
			ix.parents[c] = map[string]bool{}
		}
		ix.parents[c][sum.path] = true
	}
}

// updateFromSnapshot refreshes the summaries of every file a snapshot read
// (once per snapshot).
func (ix *index) updateFromSnapshot(s *snapshot) {
	if s.indexed.Swap(true) {
		return
	}
	ix.mu.RLock()
	prev := make(map[string]*fileSummary, len(s.files))
	for path := range s.files {
		prev[path] = ix.files[path]
	}
	ix.mu.RUnlock()
	sums := make([]*fileSummary, 0, len(s.files))
	for path, f := range s.files {
		sums = append(sums, summarize(f, s.includes[path], s.gen, prev[path]))
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, sum := range sums {
		ix.setLocked(sum)
	}
}

// remove forgets a file.
func (ix *index) remove(path string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if old := ix.files[path]; old != nil {
		for _, c := range old.includes {
			delete(ix.parents[c], path)
		}
	}
	delete(ix.files, path)
}

// rootOf returns the file a path is checked from: following includers
// upward (the first by name when several include it) to a file that no
// other file includes.
func (ix *index) rootOf(path string) string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	seen := map[string]bool{path: true}
	cur := path
	for {
		ps := ix.parents[cur]
		if len(ps) == 0 {
			return cur
		}
		names := make([]string, 0, len(ps))
		for p := range ps {
			if !seen[p] {
				names = append(names, p)
			}
		}
		if len(names) == 0 {
			return cur
		}
		sort.Strings(names)
		cur = names[0]
		seen[cur] = true
	}
}

// summaries returns every indexed file, sorted by path.
func (ix *index) summaries() []*fileSummary {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	out := make([]*fileSummary, 0, len(ix.files))
	for _, s := range ix.files {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

// headers returns every header name used in the workspace, sorted.
func (ix *index) headers() []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	seen := map[string]bool{}
	var out []string
	add := func(u *declUses) {
		if u == nil {
			return
		}
		for _, h := range u.headers {
			if !seen[strings.ToLower(h)] {
				seen[strings.ToLower(h)] = true
				out = append(out, h)
			}
		}
	}
	for _, s := range ix.files {
		add(s.snippet)
		for _, u := range s.uses {
			add(u)
		}
	}
	sort.Strings(out)
	return out
}

// uses lists the indexed files that mention name.
func (ix *index) uses(name string) []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var out []string
	for p, s := range ix.files {
		if s.mentions(name) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// maxIndexedFiles bounds the workspace scan.
const maxIndexedFiles = 20000

// maxIndexedSize skips files larger than this (generated dumps).
const maxIndexedSize = 16 << 20

// findVCLFiles lists the .vcl files below the folders, skipping hidden
// folders and node_modules.
func findVCLFiles(folders []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, dir := range folders {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				name := d.Name()
				if path != dir && (strings.HasPrefix(name, ".") || name == "node_modules") {
					return fs.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(d.Name(), ".vcl") || seen[path] {
				return nil
			}
			if info, err := d.Info(); err != nil || info.Size() > maxIndexedSize {
				return nil
			}
			seen[path] = true
			out = append(out, filepath.Clean(path))
			if len(out) >= maxIndexedFiles {
				return fs.SkipAll
			}
			return nil
		})
	}
	sort.Strings(out)
	return out
}
