package analysis

import (
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/config"
	"github.com/vclide/vclide/analysis/syntax"
)

// FileSystem reads source files. The language server supplies one that
// prefers the editor's unsaved buffers; the default reads the disk.
type FileSystem interface {
	ReadFile(path string) (string, error)
}

// OSFileSystem reads files from disk.
type OSFileSystem struct{}

// ReadFile reads path from disk: a regular file of at most
// DefaultMaxFileSize bytes.
func (OSFileSystem) ReadFile(path string) (string, error) {
	b, err := ReadFileLimited(path, DefaultMaxFileSize)
	return string(b), err
}

// External lists things that live in the Fastly service rather than in the
// VCL (declared in .vclide.yaml), so references to them are not warned about.
type External struct {
	Backends     []string
	ACLs         []string
	Tables       map[string]catalog.Type // name → value type (dictionaries are STRING)
	Penaltyboxes []string
	Ratecounters []string
}

// Options control loading and checking.
type Options struct {
	// IncludePaths are searched (after the including file's directory) for
	// `include "name";`.
	IncludePaths []string
	// FS reads files; nil means the disk.
	FS FileSystem
	// SnippetScope returns the subroutine a snippet file runs in, from the
	// configuration's globs; nil means no configured patterns.
	SnippetScope func(path string) (catalog.Sub, bool)
	// External declarations from the configuration.
	External External
	// Severity overrides per code: "error", "warning", "info", "hint", "off".
	Severity map[string]string
	// WorkspaceSubs are subroutines defined in other workspace files, by
	// name; see WorkspaceIndex.
	WorkspaceSubs map[string]*ExternalSub
	// TestFile reports whether a path matches the configured `tests:`
	// globs (files named *.test.vcl are test files anyway); nil means no
	// globs. See IsTestFile.
	TestFile func(path string) bool
	// IncludeNames maps an include's name to the file it stands for
	// (a Terraform service's vcl blocks), ahead of the search by path.
	IncludeNames map[string]string
	// Parse parses the text of an included file; nil means syntax.Parse.
	// The language server passes one that re-parses its open buffers
	// incrementally (syntax.Reparse).
	Parse func(path, text string) *syntax.File
	// Previous is an earlier check of the same program (nil: check from
	// scratch). Subroutines whose definitions are the same nodes (see
	// syntax.Reparse), whose scopes and properties are unchanged and whose
	// every lookup of the program around them (globals, called subs'
	// signatures, includes, …) answers the same are not checked again:
	// their results are adopted. The result equals a check from scratch.
	// Program.Options never keeps it.
	Previous *Program
}

// parse parses an included file with the Parse option, else syntax.Parse.
func (o *Options) parse(path, text string) *syntax.File {
	if o.Parse != nil {
		return o.Parse(path, text)
	}
	return syntax.Parse(path, text)
}

// WorkspaceIndex parses files (without checking them) and returns the
// subroutines they define, for Options.WorkspaceSubs.
func WorkspaceIndex(files []*syntax.File) map[string]*ExternalSub {
	out := map[string]*ExternalSub{}
	for _, f := range files {
		for _, d := range f.Decls {
			sd, ok := d.(*syntax.SubDecl)
			if !ok || sd.Name.Name == "" || strings.HasPrefix(sd.Name.Name, "vcl_") {
				continue
			}
			if _, dup := out[sd.Name.Name]; dup {
				continue
			}
			es := &ExternalSub{Name: sd.Name.Name, Loc: Location{f.Source, sd.Name.Range}}
			if sd.ReturnType != nil {
				es.ReturnT, _ = catalog.ParseType(sd.ReturnType.Name)
			}
			for _, p := range sd.Params {
				es.Params = append(es.Params, p.VarType)
			}
			out[sd.Name.Name] = es
		}
	}
	return out
}

// SymbolKind says what a user-declared name denotes.
type SymbolKind int

// Symbol kinds.
const (
	SymSub SymbolKind = iota
	SymBackend
	SymDirector
	SymACL
	SymTable
	SymPenaltybox
	SymRatecounter
	SymLocal
	SymParam
	SymLabel
)

var symKindNames = [...]string{"subroutine", "backend", "director", "acl", "table", "penaltybox", "ratecounter", "local variable", "parameter", "label"}

// String names the kind ("backend").
func (k SymbolKind) String() string { return symKindNames[k] }

// Location is a range in a source file.
type Location struct {
	File  *syntax.Source
	Range syntax.Range
}

// Symbol is a user-declared name with its declaration and every reference.
type Symbol struct {
	Kind     SymbolKind
	Name     string
	Decl     syntax.Node // the declaration node (nil for external ones)
	NameLoc  Location    // where the name is written in the declaration
	Refs     []Location  // every use, declaration excluded
	Type     catalog.Type
	External bool // declared in the configuration, not in VCL
	Owner    *Sub // for locals, parameters and labels
	nrefs    int  // references being added (see addUses)
}

// SubPart is one definition of a subroutine. VCL concatenates repeated
// definitions of the same subroutine in source order (Fastly's boilerplate
// files rely on it).
type SubPart struct {
	Decl *syntax.SubDecl
	Body *syntax.Block
	File *syntax.File
}

// Sub is a subroutine: a vcl_* one, a custom one, or the synthetic body of a
// snippet file.
type Sub struct {
	Name string
	Decl *syntax.SubDecl // the first definition; nil for a snippet
	Body *syntax.Block
	File *syntax.File
	// More holds further definitions that are concatenated after the first.
	More    []SubPart
	Builtin bool        // a vcl_* subroutine
	Kind    catalog.Sub // for builtins (and snippets with a known scope)
	// Scopes are the vcl_* subroutines this code may run in: itself for a
	// builtin, the callers' scopes for a custom sub, the hinted scope for a
	// snippet. Zero means unknown (no scope diagnostics).
	Scopes  catalog.SubSet
	Snippet bool
	// Test marks a test subroutine or describe hook of a test file: the
	// test runner runs it; it is not callable by name.
	Test      bool
	Symbol    *Symbol
	Locals    map[string]*Symbol
	Labels    map[string]*Symbol
	Calls     []*CallSite
	Callers   []*Sub
	HasMacro  bool
	Recursive bool
	ReturnT   catalog.Type // TypeUnknown for untyped subs
	unit      *unit        // what checking the body recorded
	result    *unitResult  // the check's result (shared with later programs)
}

// numParts and part give Parts without allocating.
func (s *Sub) numParts() int { return 1 + len(s.More) }

func (s *Sub) part(i int) SubPart {
	if i == 0 {
		return SubPart{Decl: s.Decl, Body: s.Body, File: s.File}
	}
	return s.More[i-1]
}

// Parts lists every definition of the subroutine in execution order.
func (s *Sub) Parts() []SubPart {
	parts := make([]SubPart, 0, 1+len(s.More))
	parts = append(parts, SubPart{Decl: s.Decl, Body: s.Body, File: s.File})
	return append(parts, s.More...)
}

// ExternalSub is a subroutine defined in another file of the workspace that
// this program does not include (projects that concatenate files at build
// time). Calls to it resolve without an error.
type ExternalSub struct {
	Name    string
	Loc     Location
	ReturnT catalog.Type
	Params  []catalog.Type
}

// CallSite is one call of a user subroutine.
type CallSite struct {
	Caller *Sub
	Callee *Sub
	Node   syntax.Node
	Loc    Location
}

// Program is the checked result of one entry file and everything it
// includes. It is immutable once built and safe to share between readers.
type Program struct {
	Root  *syntax.File
	Files []*syntax.File // Root first, then includes in load order
	// Includes maps each include (statement or declaration) to the file it
	// loaded.
	Includes map[syntax.Node]*syntax.File
	Subs     map[string]*Sub
	SubList  []*Sub // in declaration order; a snippet root's body first
	// Globals are backends, directors, ACLs, tables, penaltyboxes and
	// ratecounters by name.
	Globals     map[string]*Symbol
	Diagnostics []*Diagnostic
	// Options are the options the program was checked with. (The owner of
	// a statement is found with SubAt, and a snippet's synthetic
	// subroutine with SnippetSub.)
	Options Options
	// Tests are the unit tests of the test files in the program (see
	// CheckWithTests), in file order.
	Tests []*TestFile
	// SiblingCalls are calls that resolve only to a subroutine of a
	// sibling file (Options.WorkspaceSubs); see Blocking.
	SiblingCalls []SiblingCall
	fileSub      map[*syntax.File]*Sub
	units        unitIndex // finds the Info of a node: see TypeOf

	// For the next incremental check (Options.Previous).
	results   map[syntax.Node]*unitResult // by unitKey
	regex     *regexIndex
	bodyCalls map[*syntax.Block]*bodyCalls
	rechecked []string
}

// RegexLits returns the string literals used as regular expressions, built
// on first use from the subroutines' results (an edit does not pay for
// it). The map must not be modified.
func (p *Program) RegexLits() map[*syntax.StringLit]bool {
	if p.regex == nil {
		return nil
	}
	ix := p.regex
	ix.once.Do(func() {
		n := 0
		for _, s := range p.SubList {
			if s.result != nil {
				n += len(s.result.regexLits)
			}
		}
		ix.lits = make(map[*syntax.StringLit]bool, n)
		for _, s := range p.SubList {
			if s.result != nil {
				for _, lit := range s.result.regexLits {
					ix.lits[lit] = true
				}
			}
		}
	})
	return ix.lits
}

// regexIndex is Program.RegexLits, built once on demand.
type regexIndex struct {
	once sync.Once
	lits map[*syntax.StringLit]bool
}

// FileByName returns the loaded file with the given path.
func (p *Program) FileByName(name string) *syntax.File {
	for _, f := range p.Files {
		if f.Source.Name == name {
			return f
		}
	}
	return nil
}

// SnippetSub returns the synthetic subroutine of a snippet file, if any.
func (p *Program) SnippetSub(f *syntax.File) *Sub { return p.fileSub[f] }

// SubAt returns the subroutine whose body contains pos in file f.
func (p *Program) SubAt(f *syntax.File, pos syntax.Pos) *Sub {
	for _, s := range p.SubList {
		if s.File == f && s.Body != nil {
			r := s.Body.Range
			if s.Decl != nil {
				r = s.Decl.Range
			}
			if r.Contains(pos) {
				return s
			}
		}
	}
	if s := p.fileSub[f]; s != nil {
		return s
	}
	return nil
}

// SortedGlobals lists global symbols sorted by name.
func (p *Program) SortedGlobals() []*Symbol {
	out := make([]*Symbol, 0, len(p.Globals))
	for _, s := range p.Globals {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ParseFile parses and checks a single source text as a program (no
// includes are read from disk unless opts.FS provides them).
func ParseFile(name, text string, opts Options) *Program {
	return checkProgram(syntax.Parse(name, text), nil, opts)
}

// Load reads, parses and checks the entry file and its includes.
func Load(path string, opts Options) (*Program, error) {
	fs := opts.FS
	if fs == nil {
		fs = OSFileSystem{}
	}
	text, err := fs.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return check(syntax.Parse(path, text), opts), nil
}

// CheckFile checks an already parsed file as the root of a program.
func CheckFile(f *syntax.File, opts Options) *Program { return check(f, opts) }

// CheckWithTests checks root (the VCL under test) together with unit-test
// files: the tests resolve subroutines, backends, tables and ACLs against
// root and its includes, and get the testing catalogue. A root that is
// itself a test file is checked as one too.
func CheckWithTests(root *syntax.File, tests []*syntax.File, opts Options) *Program {
	return checkProgram(root, tests, opts)
}

// resolveInclude finds the file named by an include, searching the including
// file's directory, then the include paths; ".vcl" is appended when the
// name has no extension.
func resolveInclude(fs FileSystem, from string, name string, paths []string) (string, string, error) {
	candidates := []string{name}
	if filepath.Ext(name) == "" {
		candidates = append(candidates, name+".vcl")
	}
	dirs := append([]string{filepath.Dir(from)}, paths...)
	var firstErr, refused error
	for _, d := range dirs {
		for _, c := range candidates {
			p := c
			if !filepath.IsAbs(c) {
				p = filepath.Join(d, c)
			}
			text, err := fs.ReadFile(p)
			if err == nil {
				return p, text, nil
			}
			if firstErr == nil {
				firstErr = err
			}
			if refused == nil && IsFileRefused(err) {
				refused = err
			}
		}
	}
	// A file that exists but may not be read says why, rather than "not
	// found".
	if refused != nil {
		return "", "", refused
	}
	return "", "", firstErr
}

// scopeFromHints finds the subroutine a snippet runs in: a comment
// `# vclide: scope=recv` (or `@scope: recv`), then the configured globs,
// then the file name.
func scopeFromHints(f *syntax.File, opts Options) (catalog.Sub, bool) {
	for _, c := range f.Comments {
		if s, ok := scopeComment(c.Text); ok {
			return s, true
		}
	}
	if opts.SnippetScope != nil {
		if s, ok := opts.SnippetScope(f.Source.Name); ok {
			return s, true
		}
	}
	return ScopeFromFileName(f.Source.Name)
}

// scopeComment parses a scope hint in a comment: `vclide: scope=recv`
// (see config.ScopeFromComment), or the `@scope: recv` annotation some
// projects already write above custom subroutines.
func scopeComment(text string) (catalog.Sub, bool) {
	if name, ok := config.ScopeFromComment(text); ok {
		return catalog.ParseSub(name)
	}
	if i := strings.Index(text, "@scope:"); i >= 0 {
		word := strings.TrimSpace(text[i+len("@scope:"):])
		if j := strings.IndexAny(word, " \t,*"); j >= 0 {
			word = word[:j]
		}
		return catalog.ParseSub(word)
	}
	return 0, false
}

// ScopeFromFileName infers a snippet's subroutine from its file name
// (recv.vcl, vcl_deliver.vcl, homepage_recv.vcl, fetch_cache.vcl, …); see
// config.ScopeFromFileName.
func ScopeFromFileName(path string) (catalog.Sub, bool) {
	if name, ok := config.ScopeFromFileName(path); ok {
		return catalog.ParseSub(name)
	}
	return 0, false
}
