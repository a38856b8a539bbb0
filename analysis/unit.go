package analysis

import (
	"slices"
	"sort"
	"strings"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// Incremental checking. Checking a subroutine is a function of its parts
// (declaration nodes, which the incremental parser shares between versions
// of a file), a few properties of the Sub (scopes, kind, flags) and what it
// looked up in the program around it. Its result, a unitResult, holds no
// per-program pointer: files are named by path, symbols by name. A later
// check (Options.Previous) adopts the result of every subroutine whose
// parts are the same nodes, whose properties are equal and whose every
// recorded lookup still answers the same, and re-checks the others.
// Everything program-wide is recomputed from declarations and results.

// lookupKind says what a subroutine looked up outside itself.
type lookupKind uint8

const (
	lkGlobal       lookupKind = iota // a global by name: kind and type
	lkSub                            // a subroutine by name: signature
	lkSibling                        // Options.WorkspaceSubs by name
	lkTestSub                        // a test-file subroutine by name (mock targets)
	lkInclude                        // what an include statement loaded
	lkIsTest                         // whether a file (by path) is a test file
	lkSubNames                       // every subroutine name (suggestions)
	lkBackendNames                   // every backend and director name (typo hints)
	numLookupKinds
)

// lookup is one recorded question and its answer.
type lookup struct {
	kind lookupKind
	name string
	node syntax.Node // the include statement, for lkInclude
	ans  answer
}

// answer is what a lookup found; comparable, so that a changed answer is
// seen with ==.
type answer struct {
	ok      bool
	sym     SymbolKind
	typ     catalog.Type
	builtin bool
	sub     catalog.Sub
	text    string       // parameter types, or a list of names
	file    *syntax.File // an include's file
}

// internedLookup is a lookup made during one check, shared by the units
// that make it; unit is the last unit (by checker.unitGen) that did.
type internedLookup struct {
	l    *lookup
	unit int
}

type lookupKey struct {
	kind lookupKind
	name string
	node syntax.Node
}

// unitLoc is a location named by file path.
type unitLoc struct {
	file string
	r    syntax.Range
}

// unitUse is one reference to a global (or a subroutine) by name.
type unitUse struct {
	sub  bool // a subroutine's symbol, else a global
	name string
	at   unitLoc
}

// unitSym is a local, parameter or label, to be made a Symbol of the
// adopting program's Sub.
type unitSym struct {
	kind     SymbolKind
	name     string
	decl     syntax.Node
	at       unitLoc
	typ      catalog.Type
	external bool
	refs     []unitLoc
}

// unitDiag is a diagnostic with its files named by path.
type unitDiag struct {
	d       Diagnostic // File and the Related files nil
	file    string
	related []string
}

type unitAccess struct {
	id     *syntax.Ident
	file   string
	scopes catalog.SubSet
}

type unitPoint struct {
	scopes catalog.SubSet
	at     unitLoc
}

// unitResult is what checking one subroutine produced.
type unitResult struct {
	// Inputs.
	decl    *syntax.SubDecl   // the first part's declaration
	more    []*syntax.SubDecl // the further parts' declarations
	body    *syntax.Block     // the first part's body (a snippet has no decl)
	name    string
	kind    catalog.Sub
	scopes  catalog.SubSet
	builtin bool
	snippet bool
	test    bool
	macro   bool
	returnT catalog.Type
	lookups []*lookup // shared between the units that made the same lookup

	// Outputs.
	info      *Info
	diags     []unitDiag
	uses      []unitUse
	locals    []unitSym
	labels    []unitSym
	reads     []unitAccess
	writes    []unitAccess
	restarts  []unitPoint
	errors    []unitPoint
	firstPass []unitLoc
	regexLits []*syntax.StringLit
	siblings  []unitUse
	walked    []*syntax.File
}

// unitKey identifies a subroutine across programs: its first definition,
// or the body of a snippet.
func unitKey(s *Sub) syntax.Node {
	if s.Decl != nil {
		return s.Decl
	}
	return s.Body
}

// ---------------------------------------------------------------------------
// Recorded lookups

// answer computes what a lookup finds in the program being checked.
func (c *checker) answer(l lookupKey) answer {
	switch l.kind {
	case lkGlobal:
		if sym, ok := c.prog.Globals[l.name]; ok {
			return answer{ok: true, sym: sym.Kind, typ: sym.Type}
		}
	case lkSub:
		if s, ok := c.prog.Subs[l.name]; ok {
			return answer{ok: true, typ: s.ReturnT, builtin: s.Builtin, sub: s.Kind, text: paramKey(s)}
		}
	case lkSibling:
		if ext := c.opts.WorkspaceSubs[l.name]; ext != nil {
			return answer{ok: true, typ: ext.ReturnT}
		}
	case lkTestSub:
		return answer{ok: c.testSubs[l.name] != nil}
	case lkInclude:
		return answer{file: c.prog.Includes[l.node]}
	case lkIsTest:
		f := c.loaded[l.name]
		return answer{ok: f != nil && c.isTest[f]}
	case lkSubNames:
		return answer{text: c.subNamesKey()}
	case lkBackendNames:
		if c.backendText == "" {
			c.backendText = "\x01" + strings.Join(c.declaredBackendNames(), "\x00")
		}
		return answer{text: c.backendText}
	}
	return answer{}
}

// paramKey spells a subroutine's parameter types (nil decl: "-").
func paramKey(s *Sub) string {
	if s.Decl == nil {
		return "-"
	}
	b := make([]byte, len(s.Decl.Params))
	for i, p := range s.Decl.Params {
		b[i] = byte(p.VarType)
	}
	return string(b)
}

// sameParams reports whether two subroutines take the same parameter
// types (what paramKey spells, without building the strings).
func sameParams(a, b *Sub) bool {
	if (a.Decl == nil) != (b.Decl == nil) {
		return false
	}
	if a.Decl == nil {
		return true
	}
	if len(a.Decl.Params) != len(b.Decl.Params) {
		return false
	}
	for i, p := range a.Decl.Params {
		if p.VarType != b.Decl.Params[i].VarType {
			return false
		}
	}
	return true
}

// need records that the unit being checked depends on a lookup.
func (c *checker) need(kind lookupKind, name string, node syntax.Node) {
	if c.rec == nil {
		return
	}
	// By name in a map per kind (string keys hash fast), includes by node.
	var e *internedLookup
	if node != nil {
		e = c.internedNodes[node]
	} else {
		e = c.interned[kind][name]
	}
	if e == nil {
		e = &internedLookup{l: &lookup{kind: kind, name: name, node: node, ans: c.answer(lookupKey{kind, name, node})}}
		if node != nil {
			if c.internedNodes == nil {
				c.internedNodes = map[syntax.Node]*internedLookup{}
			}
			c.internedNodes[node] = e
		} else {
			if c.interned[kind] == nil {
				c.interned[kind] = map[string]*internedLookup{}
			}
			c.interned[kind][name] = e
		}
	} else if e.unit == c.unitGen {
		return // already recorded for this unit
	}
	e.unit = c.unitGen
	c.scratchLookups = append(c.scratchLookups, e.l)
}

// global looks a global up by name.
func (c *checker) global(name string) (*Symbol, bool) {
	c.need(lkGlobal, name, nil)
	sym, ok := c.prog.Globals[name]
	return sym, ok
}

// subNamed looks a subroutine up by name.
func (c *checker) subNamed(name string) (*Sub, bool) {
	c.need(lkSub, name, nil)
	s, ok := c.prog.Subs[name]
	return s, ok
}

// siblingSub looks up a subroutine of a sibling file.
func (c *checker) siblingSub(name string) *ExternalSub {
	c.need(lkSibling, name, nil)
	return c.opts.WorkspaceSubs[name]
}

// testSub looks up a test-file subroutine by name.
func (c *checker) testSub(name string) *Sub {
	c.need(lkTestSub, name, nil)
	return c.testSubs[name]
}

// included returns the file an include statement loaded.
func (c *checker) included(n syntax.Node) *syntax.File {
	c.need(lkInclude, "", n)
	return c.prog.Includes[n]
}

// inTestFile reports whether the file being checked is a test file.
func (c *checker) inTestFile() bool {
	c.need(lkIsTest, c.file.Source.Name, nil)
	return c.isTest[c.file]
}

// subNames lists every subroutine name, sorted.
func (c *checker) subNames() []string {
	c.need(lkSubNames, "", nil)
	if c.subNameList == nil {
		c.subNameList = keys(c.prog.Subs)
	}
	return c.subNameList
}

func (c *checker) subNamesKey() string {
	if c.subNameList == nil {
		c.subNameList = keys(c.prog.Subs)
	}
	if c.subNameText == "" {
		c.subNameText = "\x01" + strings.Join(c.subNameList, "\x00")
	}
	return c.subNameText
}

// knownBackends lists the declared backends and directors.
func (c *checker) knownBackends() []string {
	c.need(lkBackendNames, "", nil)
	return c.declaredBackendNames()
}

// ---------------------------------------------------------------------------
// Reuse

// reusable returns the previous program's result for s when it may be
// adopted unchanged.
func (c *checker) reusable(s *Sub) *unitResult {
	if c.prev == nil {
		return nil
	}
	r := c.prev.results[unitKey(s)]
	if r == nil || r.body != s.Body || r.name != s.Name || r.kind != s.Kind || r.scopes != s.Scopes ||
		r.builtin != s.Builtin || r.snippet != s.Snippet || r.test != s.Test || r.macro != s.HasMacro || r.returnT != s.ReturnT {
		return nil
	}
	if r.decl != s.Decl || len(r.more) != len(s.More) {
		return nil
	}
	for i, m := range s.More {
		if r.more[i] != m.Decl {
			return nil
		}
	}
	c.diffEnvironment()
	for _, l := range r.lookups {
		// A global or subroutine whose declaration is as in the previous
		// program answers as it did there, which is as recorded (the
		// result was checked or validated there).
		switch l.kind {
		case lkGlobal:
			if !c.changedGlobals[l.name] {
				continue
			}
		case lkSub:
			if !c.changedSubs[l.name] {
				continue
			}
		}
		if c.answer(lookupKey{l.kind, l.name, l.node}) != l.ans {
			return nil
		}
	}
	return r
}

// diffEnvironment finds, once per check, the globals and subroutines
// that answer a lookup differently than in the previous program
// (O(#globals + #subs)).
func (c *checker) diffEnvironment() {
	if c.changedGlobals != nil {
		return
	}
	c.changedGlobals, c.changedSubs = map[string]bool{}, map[string]bool{}
	for name, sym := range c.prog.Globals {
		if old, ok := c.prev.Globals[name]; !ok || old.Kind != sym.Kind || old.Type != sym.Type {
			c.changedGlobals[name] = true
		}
	}
	for name := range c.prev.Globals {
		if _, ok := c.prog.Globals[name]; !ok {
			c.changedGlobals[name] = true
		}
	}
	for name, s := range c.prog.Subs {
		if old, ok := c.prev.Subs[name]; !ok || old.ReturnT != s.ReturnT || old.Builtin != s.Builtin || old.Kind != s.Kind || !sameParams(old, s) {
			c.changedSubs[name] = true
		}
	}
	for name := range c.prev.Subs {
		if _, ok := c.prog.Subs[name]; !ok {
			c.changedSubs[name] = true
		}
	}
}

// source returns the Source of the loaded file at path.
func (c *checker) source(path string) *syntax.Source {
	if path == c.lastPath && c.lastSrc != nil {
		return c.lastSrc
	}
	if f := c.loaded[path]; f != nil {
		c.lastPath, c.lastSrc = path, f.Source
		return f.Source
	}
	return nil
}

func (c *checker) location(l unitLoc) Location { return Location{File: c.source(l.file), Range: l.r} }

// adopt makes r the result of s in the program being checked: its
// symbols, references, diagnostics and flow facts.
func (c *checker) adopt(s *Sub, r *unitResult) {
	s.unit.info = r.info
	s.Locals = make(map[string]*Symbol, len(r.locals))
	for _, t := range r.locals {
		s.Locals[t.name] = c.symbolOf(s, t)
	}
	s.Labels = nil // read-only once checked; nil when there are none
	if len(r.labels) > 0 {
		s.Labels = make(map[string]*Symbol, len(r.labels))
		for _, t := range r.labels {
			s.Labels[t.name] = c.symbolOf(s, t)
		}
	}
	for _, ud := range r.diags {
		d := ud.d
		d.File = c.source(ud.file)
		if len(ud.related) > 0 {
			d.Related = append([]Related(nil), ud.d.Related...)
			for i := range d.Related {
				d.Related[i].File = c.source(ud.related[i])
			}
		}
		c.diags = append(c.diags, &d)
	}
	c.addSiblings(r)
	if len(r.walked) > 0 {
		if c.walked == nil {
			c.walked = map[*Sub][]*syntax.File{}
		}
		c.walked[s] = r.walked
	}
}

// symbolOf makes the Symbol of a template for owner. Symbols and their
// reference lists are carved from chunks shared by the whole check: a
// program adopts thousands of them.
func (c *checker) symbolOf(owner *Sub, t unitSym) *Symbol {
	if len(c.symArena) == cap(c.symArena) {
		c.symArena = make([]Symbol, 0, 256)
	}
	c.symArena = append(c.symArena, Symbol{Kind: t.kind, Name: t.name, Decl: t.decl, NameLoc: c.location(t.at), Type: t.typ, External: t.external, Owner: owner})
	sym := &c.symArena[len(c.symArena)-1]
	if n := len(t.refs); n > 0 {
		if cap(c.locArena)-len(c.locArena) < n {
			c.locArena = make([]Location, 0, max(512, n))
		}
		start := len(c.locArena)
		for _, l := range t.refs {
			c.locArena = append(c.locArena, c.location(l))
		}
		sym.Refs = c.locArena[start:len(c.locArena):len(c.locArena)]
	}
	return sym
}

// ---------------------------------------------------------------------------
// Recording a fresh check

// unitMarks are the lengths of the program-wide lists before a sub is
// checked: what it added is after them.
type unitMarks struct {
	diags, reads, writes, restarts, errors, firstPass, siblings int
}

// marks returns the lengths before a sub is checked. The flow-fact lists
// only collect one sub's facts (checkClustering gathers every sub's from
// the results), so they are emptied, keeping their storage.
func (c *checker) marks() unitMarks {
	c.reqReads, c.reqWrites, c.restarts, c.errors, c.firstPass = c.reqReads[:0], c.reqWrites[:0], c.restarts[:0], c.errors[:0], c.firstPass[:0]
	return unitMarks{len(c.diags), 0, 0, 0, 0, 0, len(c.prog.SiblingCalls)}
}

// beginUnit starts recording the result of checking s.
func (c *checker) beginUnit(s *Sub) {
	r := &unitResult{body: s.Body, name: s.Name, kind: s.Kind, scopes: s.Scopes, builtin: s.Builtin,
		snippet: s.Snippet, test: s.Test, macro: s.HasMacro, returnT: s.ReturnT}
	r.decl = s.Decl
	for _, m := range s.More {
		r.more = append(r.more, m.Decl)
	}
	c.rec = r
	c.scratchLookups, c.scratchUses, c.scratchSiblings = c.scratchLookups[:0], c.scratchUses[:0], c.scratchSiblings[:0]
	c.unitGen++
}

func pathOf(src *syntax.Source) string {
	if src == nil {
		return ""
	}
	return src.Name
}

func unitLocOf(l Location) unitLoc { return unitLoc{pathOf(l.File), l.Range} }

// endUnit completes the result of checking s from what the check added to
// the program since m.
func (c *checker) endUnit(s *Sub, m unitMarks) *unitResult {
	r := c.rec
	c.rec = nil
	r.info = s.unit.info
	r.lookups = slices.Clone(c.scratchLookups)
	r.uses = slices.Clone(c.scratchUses)
	if n := len(c.diags) - m.diags; n > 0 {
		r.diags = make([]unitDiag, n)
		for i, d := range c.diags[m.diags:] {
			ud := &r.diags[i]
			ud.d = *d
			ud.d.File = nil
			ud.file = pathOf(d.File)
			if len(d.Related) > 0 {
				ud.d.Related = append([]Related(nil), d.Related...)
				ud.related = make([]string, len(d.Related))
				for j := range ud.d.Related {
					ud.related[j] = pathOf(ud.d.Related[j].File)
					ud.d.Related[j].File = nil
				}
			}
		}
	}
	access := func(list []reqAccess) []unitAccess {
		if len(list) == 0 {
			return nil
		}
		out := make([]unitAccess, len(list))
		for i, a := range list {
			out[i] = unitAccess{a.id, pathOf(a.src), a.scopes}
		}
		return out
	}
	points := func(list []flowPoint) []unitPoint {
		if len(list) == 0 {
			return nil
		}
		out := make([]unitPoint, len(list))
		for i, p := range list {
			out[i] = unitPoint{p.scopes, unitLocOf(p.loc)}
		}
		return out
	}
	r.reads = access(c.reqReads[m.reads:])
	r.writes = access(c.reqWrites[m.writes:])
	r.restarts = points(c.restarts[m.restarts:])
	r.errors = points(c.errors[m.errors:])
	for _, fp := range c.firstPass[m.firstPass:] {
		r.firstPass = append(r.firstPass, unitLocOf(fp.loc))
	}
	if len(c.scratchSiblings) > 0 {
		r.siblings = slices.Clone(c.scratchSiblings)
	}
	r.locals = templates(s.Locals)
	r.labels = templates(s.Labels)
	r.walked = c.walked[s]
	return r
}

// templates turns a sub's symbols into name-keyed templates.
func templates(m map[string]*Symbol) []unitSym {
	if len(m) == 0 {
		return nil
	}
	out := make([]unitSym, 0, len(m))
	for _, sym := range m {
		t := unitSym{kind: sym.Kind, name: sym.Name, decl: sym.Decl, at: unitLocOf(sym.NameLoc), typ: sym.Type, external: sym.External}
		if len(sym.Refs) > 0 {
			t.refs = make([]unitLoc, len(sym.Refs))
			for i, l := range sym.Refs {
				t.refs[i] = unitLocOf(l)
			}
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// siblingCall records a call, by name, of a subroutine of a sibling file.
// Within a unit it is recorded in the result, and added to the program
// with the result (checkUnits).
func (c *checker) siblingCall(name string, ext *ExternalSub, r syntax.Range) {
	if c.rec != nil {
		c.scratchSiblings = append(c.scratchSiblings, unitUse{name: name, at: unitLoc{c.file.Source.Name, r}})
		return
	}
	c.prog.SiblingCalls = append(c.prog.SiblingCalls, SiblingCall{Sub: ext, Loc: c.loc(r)})
}

// addRef records a reference to a global or subroutine symbol in the
// file being checked. A subroutine's references are kept in its result
// and added to the symbols once every subroutine is done (addUses).
func (c *checker) addRef(sym *Symbol, sub bool, r syntax.Range) {
	if c.rec != nil {
		c.scratchUses = append(c.scratchUses, unitUse{sub: sub, name: sym.Name, at: unitLoc{c.file.Source.Name, r}})
		return
	}
	sym.Refs = append(sym.Refs, c.loc(r))
}

// addUses adds the references every subroutine made to global and
// subroutine symbols, in subroutine order; each list is allocated once,
// at its final size.
func (c *checker) addUses() {
	nuses := 0
	for _, s := range c.prog.SubList {
		nuses += len(s.result.uses)
	}
	syms := make([]*Symbol, 0, nuses)
	var lastName string
	var lastSub bool
	var last *Symbol
	for _, s := range c.prog.SubList {
		for _, u := range s.result.uses {
			sym := last
			if u.name != lastName || u.sub != lastSub || last == nil {
				sym = nil
				if u.sub {
					if callee := c.prog.Subs[u.name]; callee != nil {
						sym = callee.Symbol
					}
				} else {
					sym = c.prog.Globals[u.name]
				}
				lastName, lastSub, last = u.name, u.sub, sym
			}
			if sym != nil {
				sym.nrefs++
			}
			syms = append(syms, sym)
		}
	}
	i := 0
	for _, s := range c.prog.SubList {
		for _, u := range s.result.uses {
			sym := syms[i]
			i++
			if sym == nil {
				continue
			}
			if sym.nrefs > 0 {
				sym.Refs = slices.Grow(sym.Refs, sym.nrefs)
				sym.nrefs = 0
			}
			sym.Refs = append(sym.Refs, c.location(u.at))
		}
	}
}

// Rechecked lists the subroutines this check checked rather than adopted
// from Options.Previous, in checking order.
func (p *Program) Rechecked() []string { return p.rechecked }
