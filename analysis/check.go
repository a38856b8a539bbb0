package analysis

import (
	"errors"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// checker builds a Program: it loads includes, collects declarations,
// builds the call graph, infers the scope of custom subroutines and checks
// every body.
type checker struct {
	prog  *Program
	opts  Options
	fs    FileSystem
	diags []*Diagnostic

	loaded  map[string]*syntax.File
	hints   map[*syntax.File][]scopeHint
	loading []string // include stack, for loop detection

	isTest   map[*syntax.File]bool // unit-test files get the testing catalogue
	testSubs map[string]*Sub       // test-file subroutines by name (mock targets)

	backendNames []string // declared backends and directors, for typo hints

	// per body
	sub    *Sub
	file   *syntax.File
	scopes catalog.SubSet
	b      infoBuilder // records what the unit being checked learns

	walked map[*Sub][]*syntax.File // snippet files each sub walks inline

	// incremental checking (unit.go)
	prev          *Program
	rec           *unitResult // the result of the sub being checked
	interned      [numLookupKinds]map[string]*internedLookup
	internedNodes map[syntax.Node]*internedLookup
	unitGen       int // numbers the units checked, for interned
	subNameList   []string
	subNameText   string
	backendText   string
	// scratch lists, reused from unit to unit and copied at their size
	scratchLookups  []*lookup
	scratchUses     []unitUse
	scratchCalls    []bodyCall
	scratchSiblings []unitUse
	symArena        []Symbol // adopted locals and labels (see symbolOf)
	lastPath        string   // the last file source() found
	lastSrc         *syntax.Source
	changedGlobals  map[string]bool // see diffEnvironment
	changedSubs     map[string]bool
	locArena        []Location // their references

	// flow facts for the clustering checks
	reqWrites []reqAccess
	reqReads  []reqAccess
	restarts  []flowPoint
	errors    []flowPoint
	firstPass []firstPassSet
}

// reqAccess is one recorded req.* access: the identifier, where it is, and
// the subroutines it runs in. The name is normalised only when needed.
type reqAccess struct {
	id     *syntax.Ident
	src    *syntax.Source
	name   string // normalised variable name, set by checkClustering
	scopes catalog.SubSet
}

func (a *reqAccess) loc() Location { return Location{File: a.src, Range: a.id.Range} }

type flowPoint struct {
	sub    *Sub
	scopes catalog.SubSet
	loc    Location
}

type firstPassSet struct {
	loc Location
}

func check(root *syntax.File, opts Options) *Program { return checkProgram(root, nil, opts) }

func checkProgram(root *syntax.File, tests []*syntax.File, opts Options) *Program {
	prev := opts.Previous
	opts.Previous = nil
	// A previous program tells the sizes to expect.
	nsubs, nglobals, nbodies := 0, 0, 0
	if prev != nil {
		nsubs, nglobals, nbodies = len(prev.SubList), len(prev.Globals), len(prev.bodyCalls)
	}
	c := &checker{
		prev: prev,
		prog: &Program{
			Root:      root,
			Includes:  map[syntax.Node]*syntax.File{},
			Subs:      make(map[string]*Sub, nsubs),
			SubList:   make([]*Sub, 0, nsubs),
			Globals:   make(map[string]*Symbol, nglobals),
			Options:   opts,
			fileSub:   map[*syntax.File]*Sub{},
			results:   make(map[syntax.Node]*unitResult, nsubs),
			regex:     &regexIndex{},
			bodyCalls: make(map[*syntax.Block]*bodyCalls, nbodies),
		},
		opts:   opts,
		fs:     opts.FS,
		loaded: map[string]*syntax.File{},
	}
	if c.fs == nil {
		c.fs = OSFileSystem{}
	}
	if notVCL(root) {
		c.prog.Files = []*syntax.File{root}
		c.prog.Diagnostics = []*Diagnostic{{File: root.Source, Severity: SeverityError, Code: CodeSyntax,
			Message: filepath.Base(root.Source.Name) + " is not a VCL file"}}
		return c.prog
	}
	c.addFile(root)
	for _, t := range tests {
		if _, dup := c.loaded[t.Source.Name]; !dup {
			c.addFile(t)
		}
	}
	c.isTest = map[*syntax.File]bool{}
	for _, f := range c.prog.Files {
		if IsTestFile(f.Source.Name, opts) {
			c.isTest[f] = true
		}
	}
	c.collectDecls()
	c.collectExternal()
	c.resolveDirectorMembers()
	c.prog.units.top = &unit{info: c.b.finish()}
	c.buildCallGraph()
	c.inferScopes()
	c.checkUnits()
	c.addUses()
	c.checkRecursion()
	c.checkUnused()
	c.checkClustering()
	c.finish()
	c.prog.units.build(c.prog.SubList, c.walked)
	return c.prog
}

func (c *checker) report(src *syntax.Source, r syntax.Range, sev Severity, code, msg string) *Diagnostic {
	d := &Diagnostic{File: src, Range: r, Severity: sev, Code: code, Message: msg}
	c.diags = append(c.diags, d)
	return d
}

// at reports in the file currently being checked.
func (c *checker) at(r syntax.Range, sev Severity, code, msg string) *Diagnostic {
	return c.report(c.file.Source, r, sev, code, msg)
}

func (c *checker) loc(r syntax.Range) Location { return Location{File: c.file.Source, Range: r} }

// ---------------------------------------------------------------------------
// Loading

func (c *checker) addFile(f *syntax.File) {
	c.prog.Files = append(c.prog.Files, f)
	c.loaded[f.Source.Name] = f
	for _, e := range f.Errors {
		c.report(f.Source, e.Range, SeverityError, CodeSyntax, e.Msg)
	}
	c.loading = append(c.loading, f.Source.Name)
	defer func() { c.loading = c.loading[:len(c.loading)-1] }()
	for _, n := range f.Includes {
		switch n := n.(type) {
		case *syntax.IncludeDecl:
			c.include(f, n, n.Path)
		case *syntax.IncludeStmt:
			c.include(f, n, n.Path)
		}
	}
}

func (c *checker) include(from *syntax.File, node syntax.Node, path *syntax.StringLit) {
	name := path.Value
	if name == "" {
		return
	}
	var resolved, text string
	var err error
	if p, ok := c.opts.IncludeNames[name]; ok {
		resolved = p
		text, err = c.fs.ReadFile(p)
	} else {
		resolved, text, err = resolveInclude(c.fs, from.Source.Name, name, c.opts.IncludePaths)
	}
	var refused *FileError
	if errors.As(err, &refused) {
		c.report(from.Source, path.Range, SeverityError, CodeInclude, "included file \""+name+"\" "+refusalReason(refused))
		return
	}
	if err != nil {
		c.report(from.Source, path.Range, SeverityError, CodeInclude,
			"cannot find included file \""+name+"\": looked next to "+filepath.Base(from.Source.Name)+" and in the include paths ("+strings.Join(c.opts.IncludePaths, ", ")+"); add its folder to include_paths in .vclide.yaml")
		return
	}
	for _, open := range c.loading {
		if open == resolved {
			chain := append(append([]string{}, c.loading...), resolved)
			for i := range chain {
				chain[i] = filepath.Base(chain[i])
			}
			c.report(from.Source, path.Range, SeverityError, CodeInclude, "include loop: "+strings.Join(chain, " → "))
			return
		}
	}
	if f, ok := c.loaded[resolved]; ok {
		c.prog.Includes[node] = f
		return
	}
	f := c.opts.parse(resolved, text)
	if notVCL(f) {
		// Never quote it: it may be a token or a password.
		c.report(from.Source, path.Range, SeverityError, CodeInclude, "included file \""+name+"\" is not a VCL file")
		return
	}
	c.prog.Includes[node] = f
	c.addFile(f)
}

// refusalReason says why a file was refused, without its path.
func refusalReason(e *FileError) string {
	switch {
	case errors.Is(e.Err, ErrOutsideWorkspace):
		return "is outside the workspace (add its folder to include_paths in .vclide.yaml)"
	case errors.Is(e.Err, ErrNotRegular):
		return "is not a regular file"
	case errors.Is(e.Err, ErrTooLarge):
		return "is too large (over the " + humanSize(e.Limit) + " cap; raise max_file_size in .vclide.yaml)"
	}
	return "cannot be read"
}

// notVCL reports whether a parsed file is not VCL at all: binary content
// (a NUL byte), or a file whose name does not end in .vcl and that does not parse.
// Diagnostics about such a file never quote it.
func notVCL(f *syntax.File) bool {
	text := f.Source.Text
	if strings.IndexByte(text, 0) >= 0 {
		return true
	}
	if len(f.Errors) == 0 {
		return false
	}
	// Judge the file a link points to, not the link: x.vcl -> ~/.token
	// is not VCL, and its first token must not be quoted.
	name := f.Source.Name
	if real, err := filepath.EvalSymlinks(name); err == nil {
		name = real
	}
	return !strings.EqualFold(filepath.Ext(name), ".vcl")
}

// ---------------------------------------------------------------------------
// Declarations

func (c *checker) declare(f *syntax.File, kind SymbolKind, name *syntax.Ident, decl syntax.Node, t catalog.Type) *Symbol {
	if name == nil || name.Name == "" {
		return nil
	}
	if prev, ok := c.prog.Globals[name.Name]; ok && !prev.External {
		d := c.report(f.Source, name.Range, SeverityError, CodeDuplicateDecl,
			kind.String()+" "+name.Name+" is already declared as "+catalog.WithArticle(prev.Kind.String()))
		d.Related = append(d.Related, Related{File: prev.NameLoc.File, Range: prev.NameLoc.Range, Message: "first declared here"})
		return prev
	}
	sym := &Symbol{Kind: kind, Name: name.Name, Decl: decl, NameLoc: Location{f.Source, name.Range}, Type: t}
	c.prog.Globals[name.Name] = sym
	c.b.setRef(name, refGlobal, nil)
	return sym
}

func (c *checker) collectDecls() {
	inline := map[*syntax.File]bool{}
	for node, f := range c.prog.Includes {
		if _, ok := node.(*syntax.IncludeStmt); ok {
			inline[f] = true
		}
	}
	// Subroutines are added in the order of the program's text with every
	// include expanded where it stands, which is the order repeated
	// definitions run in: an include above the root's own vcl_recv puts
	// its vcl_recv first.
	type fileSub struct {
		f *syntax.File
		d *syntax.SubDecl
	}
	var subs []fileSub
	defer func() {
		order := c.expansionOrder()
		sort.SliceStable(subs, func(i, j int) bool { return order[subs[i].d] < order[subs[j].d] })
		for _, s := range subs {
			c.addSub(s.f, s.d)
		}
	}()
	for _, f := range c.prog.Files {
		if c.isTest[f] {
			c.addTestDecls(f)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *syntax.DescribeDecl:
				if !c.isTest[f] {
					c.report(f.Source, d.Name.Range, SeverityError, CodeTestOnly, "describe groups are only allowed in test files (*.test.vcl, or the tests: globs of .vclide.yaml)")
				}
			case *syntax.SubDecl:
				if c.isTest[f] {
					continue // added by addTestDecls
				}
				subs = append(subs, fileSub{f, d})
			case *syntax.BackendDecl:
				c.declare(f, SymBackend, d.Name, d, catalog.TypeBackend)
			case *syntax.DirectorDecl:
				c.declare(f, SymDirector, d.Name, d, catalog.TypeBackend)
			case *syntax.ACLDecl:
				c.declare(f, SymACL, d.Name, d, catalog.TypeACL)
			case *syntax.TableDecl:
				t := catalog.TypeString
				if d.ValueType != nil {
					if tt, ok := catalog.ParseType(d.ValueType.Name); ok {
						t = tt
					}
				}
				c.declare(f, SymTable, d.Name, d, t)
			case *syntax.PenaltyboxDecl:
				c.declare(f, SymPenaltybox, d.Name, d, catalog.TypeID)
			case *syntax.RatecounterDecl:
				c.declare(f, SymRatecounter, d.Name, d, catalog.TypeID)
			}
		}
		if f.Snippet != nil && !inline[f] {
			s := &Sub{Name: "snippet " + filepath.Base(f.Source.Name), Body: f.Snippet, File: f, Snippet: true}
			s.unit = &unit{sub: s}
			if k, ok := scopeFromHints(f, c.opts); ok {
				s.Kind = k
				s.Scopes = catalog.SetOf(k)
			}
			c.prog.fileSub[f] = s
			c.prog.SubList = append(c.prog.SubList, s)
		}
	}
}

// expansionOrder numbers the top-level declarations of the loaded files
// in the order of the program's text, each top-level include replaced by
// the declarations of the file it loaded (the first time). Declarations of
// files reached otherwise (unit-test files) are not numbered.
func (c *checker) expansionOrder() map[syntax.Decl]int {
	order := map[syntax.Decl]int{}
	seen := map[*syntax.File]bool{}
	var walk func(f *syntax.File)
	walk = func(f *syntax.File) {
		if seen[f] {
			return
		}
		seen[f] = true
		for _, d := range f.Decls {
			if inc, ok := d.(*syntax.IncludeDecl); ok {
				if inner := c.prog.Includes[inc]; inner != nil {
					walk(inner)
				}
				continue
			}
			order[d] = len(order) + 1
		}
	}
	walk(c.prog.Root)
	return order
}

func (c *checker) addSub(f *syntax.File, d *syntax.SubDecl) {
	// Locals (parameters first) and Labels are made when the body is
	// checked, or adopted from a previous check.
	box := &subBox{sub: Sub{Name: d.Name.Name, Decl: d, Body: d.Body, File: f}}
	s := &box.sub
	if strings.HasPrefix(s.Name, "vcl_") {
		if k, ok := catalog.ParseSub(s.Name); ok {
			s.Builtin = true
			s.Kind = k
			s.Scopes = catalog.SetOf(k)
		}
	}
	if d.ReturnType != nil {
		s.ReturnT, _ = catalog.ParseType(d.ReturnType.Name)
	}
	if prev, ok := c.prog.Subs[s.Name]; ok && prev.Decl != nil {
		// A repeated definition is concatenated after the earlier ones, as
		// VCL does; only a different signature is an error.
		if !sameSignature(prev.Decl, d) {
			dd := c.report(f.Source, d.Name.Range, SeverityError, CodeDuplicateDecl, "subroutine "+s.Name+" is defined again with a different return type or parameters")
			dd.Related = append(dd.Related, Related{File: prev.File.Source, Range: prev.Decl.Name.Range, Message: "first defined here"})
			return
		}
		prev.More = append(prev.More, SubPart{Decl: d, Body: d.Body, File: f})
		prev.Symbol.Refs = append(prev.Symbol.Refs, Location{f.Source, d.Name.Range})
		return
	}
	box.sym = Symbol{Kind: SymSub, Name: s.Name, Decl: d, NameLoc: Location{f.Source, d.Name.Range}, Type: s.ReturnT}
	box.unit = unit{sub: s}
	s.Symbol, s.unit = &box.sym, &box.unit
	c.prog.Subs[s.Name] = s
	c.prog.SubList = append(c.prog.SubList, s)
	// Custom-sub scope hints: `# vclide: scope=fetch` or `// @scope: fetch`
	// in the comment lines just above the declaration.
	if !s.Builtin {
		hints := c.scopeHints(f)
		if len(hints) > 0 {
			line := f.Source.Position(d.Start).Line
			for _, h := range hints {
				if h.line >= line-4 && h.line < line {
					s.Kind = h.sub
					s.Scopes |= h.set
				}
			}
		}
	}
}

// subBox allocates a subroutine with its symbol and unit at once.
type subBox struct {
	sub  Sub
	sym  Symbol
	unit unit
}

type scopeHint struct {
	line int
	sub  catalog.Sub    // the first scope named
	set  catalog.SubSet // every scope named (`@scope: recv,deliver,log`)
}

// scopeHints returns a file's scope-hint comments with their lines, once.
func (c *checker) scopeHints(f *syntax.File) []scopeHint {
	if h, ok := c.hints[f]; ok {
		return h
	}
	var hints []scopeHint
	for _, cm := range f.Comments {
		if k, ok := scopeComment(cm.Text); ok {
			set := catalog.SetOf(k)
			if i := strings.Index(cm.Text, "@scope:"); i >= 0 {
				for _, w := range strings.Split(cm.Text[i+len("@scope:"):], ",") {
					if more, ok := catalog.ParseSub(strings.TrimSpace(w)); ok {
						set = set.With(more)
					}
				}
			}
			hints = append(hints, scopeHint{f.Source.Position(cm.Start).Line, k, set})
		}
	}
	if c.hints == nil {
		c.hints = map[*syntax.File][]scopeHint{}
	}
	c.hints[f] = hints
	return hints
}

func sameSignature(a, b *syntax.SubDecl) bool {
	name := func(id *syntax.Ident) string {
		if id == nil {
			return ""
		}
		return strings.ToUpper(id.Name)
	}
	if name(a.ReturnType) != name(b.ReturnType) || len(a.Params) != len(b.Params) {
		return false
	}
	for i := range a.Params {
		if a.Params[i].VarType != b.Params[i].VarType {
			return false
		}
	}
	return true
}

func (c *checker) collectExternal() {
	ext := c.opts.External
	add := func(kind SymbolKind, name string, t catalog.Type) {
		if _, ok := c.prog.Globals[name]; ok {
			return
		}
		c.prog.Globals[name] = &Symbol{Kind: kind, Name: name, Type: t, External: true}
	}
	for _, n := range ext.Backends {
		add(SymBackend, n, catalog.TypeBackend)
	}
	for _, n := range ext.ACLs {
		add(SymACL, n, catalog.TypeACL)
	}
	for n, t := range ext.Tables {
		if t == catalog.TypeUnknown {
			t = catalog.TypeString
		}
		add(SymTable, n, t)
	}
	for _, n := range ext.Penaltyboxes {
		add(SymPenaltybox, n, catalog.TypeID)
	}
	for _, n := range ext.Ratecounters {
		add(SymRatecounter, n, catalog.TypeID)
	}
}

// resolveDirectorMembers resolves `.backend = F_x;` in director members
// (and shield directors' `.shield`/`.backend` properties) to backends.
func (c *checker) resolveDirectorMembers() {
	for _, f := range c.prog.Files {
		c.file = f
		for _, d := range f.Decls {
			dd, ok := d.(*syntax.DirectorDecl)
			if !ok {
				continue
			}
			props := append([]*syntax.Property{}, dd.Props...)
			for _, m := range dd.Members {
				props = append(props, m.Props...)
			}
			for _, p := range props {
				if id, ok := p.Value.(*syntax.Ident); ok && p.Name.Name == "backend" {
					c.b.setType(id, c.resolveNamed(id, catalog.TypeBackend))
				}
			}
		}
	}
}

// ---------------------------------------------------------------------------
// Call graph and scopes

// walkBody visits a sub's statements, descending into inline includes.
func (c *checker) walkBody(b *syntax.Block, f func(n syntax.Node, file *syntax.File) bool, file *syntax.File) {
	if b == nil {
		return
	}
	syntax.Inspect(b, func(n syntax.Node) bool {
		if inc, ok := n.(*syntax.IncludeStmt); ok {
			if inner := c.included(inc); inner != nil && inner.Snippet != nil && inner != file {
				c.walkBody(inner.Snippet, f, inner)
			}
		}
		return f(n, file)
	})
}

func (c *checker) buildCallGraph() {
	var sites []CallSite // allocated together
	var callers []*Sub
	for _, s := range c.prog.SubList {
		caller := s
		for i := range s.numParts() {
			part := s.part(i)
			bc := c.callsOf(part)
			if bc.macro {
				caller.HasMacro = true
			}
			for _, call := range bc.calls {
				if callee, ok := c.prog.Subs[call.name.Name]; ok {
					if len(sites) == cap(sites) {
						sites = make([]CallSite, 0, max(64, len(c.prog.SubList)))
					}
					sites = append(sites, CallSite{Caller: caller, Callee: callee, Node: call.node, Loc: Location{c.source(call.file), call.name.Range}})
					caller.Calls = append(caller.Calls, &sites[len(sites)-1])
					if callee.Callers == nil {
						// Most subs have one caller: carve it from a chunk.
						if len(callers) == cap(callers) {
							callers = make([]*Sub, 0, max(64, len(c.prog.SubList)))
						}
						callers = append(callers, caller)
						n := len(callers)
						callee.Callers = callers[n-1 : n : n]
					} else {
						callee.Callers = append(callee.Callers, caller)
					}
				}
			}
		}
	}
}

// bodyCalls is what the call graph needs from one body: its calls (with
// those of the snippets it includes inline) and whether it holds a
// #FASTLY macro. It is kept per body for the next check, valid while the
// body's includes load the same files.
type bodyCalls struct {
	calls    []bodyCall
	macro    bool
	includes []includeDep
}

type bodyCall struct {
	name *syntax.Ident
	node syntax.Node
	file string
}

type includeDep struct {
	stmt *syntax.IncludeStmt
	file *syntax.File
}

// callsOf returns the calls of a part's body, walking it only when the
// previous program's walk does not apply.
func (c *checker) callsOf(part SubPart) *bodyCalls {
	if part.Body == nil {
		return &bodyCalls{}
	}
	if c.prev != nil {
		if bc := c.prev.bodyCalls[part.Body]; bc != nil && c.sameIncludes(bc.includes) {
			c.prog.bodyCalls[part.Body] = bc
			return bc
		}
	}
	bc := &bodyCalls{}
	calls := c.scratchCalls[:0]
	c.walkBody(part.Body, func(n syntax.Node, file *syntax.File) bool {
		var name *syntax.Ident
		switch n := n.(type) {
		case *syntax.CallStmt:
			name = n.Name
		case *syntax.CallExpr:
			name = n.Fn
		case *syntax.MacroStmt:
			bc.macro = true
		case *syntax.IncludeStmt:
			bc.includes = append(bc.includes, includeDep{n, c.prog.Includes[n]})
		}
		if name != nil {
			calls = append(calls, bodyCall{name, n, file.Source.Name})
		}
		return true
	}, part.File)
	bc.calls = slices.Clone(calls)
	c.scratchCalls = calls[:0]
	c.prog.bodyCalls[part.Body] = bc
	return bc
}

func (c *checker) sameIncludes(deps []includeDep) bool {
	for _, d := range deps {
		if c.prog.Includes[d.stmt] != d.file {
			return false
		}
	}
	return true
}

// inferScopes gives each custom subroutine the union of the scopes of the
// vcl_* subroutines (and scoped snippets) that reach it.
func (c *checker) inferScopes() {
	var seen map[*Sub]bool // reused from root to root
	for _, root := range c.prog.SubList {
		if root.Scopes == 0 || !(root.Builtin || root.Snippet) {
			continue
		}
		if seen == nil {
			seen = make(map[*Sub]bool, len(c.prog.SubList))
		} else {
			clear(seen)
		}
		seen[root] = true
		stack := []*Sub{root}
		for len(stack) > 0 {
			s := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, cs := range s.Calls {
				if !seen[cs.Callee] {
					seen[cs.Callee] = true
					if !cs.Callee.Builtin {
						cs.Callee.Scopes |= root.Scopes
					}
					stack = append(stack, cs.Callee)
				}
			}
		}
	}
}

// ---------------------------------------------------------------------------
// Finishing

// applySeverity sets d's severity from the configuration and reports
// whether d is kept (false when its code is configured "off").
func (c *checker) applySeverity(d *Diagnostic) bool {
	if sev, ok := c.opts.Severity[d.Code]; ok {
		if sev == "off" {
			return false
		}
		if s, ok := ParseSeverity(sev); ok {
			d.Severity = s
		}
	}
	return true
}

func (c *checker) finish() {
	sup := newSuppressor(c.prog.Files)
	out := c.diags[:0]
	for _, d := range c.diags {
		if !c.applySeverity(d) {
			continue
		}
		if sup.suppressed(d) {
			continue
		}
		out = append(out, d)
	}
	SortDiagnostics(out)
	c.prog.Diagnostics = out
}
