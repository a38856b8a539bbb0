package analysis

import (
	"cmp"
	"slices"
	"sort"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// Info is what the checker learned about the nodes of one unit: one
// subroutine (all its parts and the snippet files it includes inline), or
// a program's top-level declarations. Trees are never written to, so a
// declaration's nodes can be shared between programs, and an Info holds no
// pointer to a per-program object (no *Symbol, *Sub or *syntax.Source):
// names are kept as keys and resolved through the Program that asks. An
// Info is therefore reusable unchanged by a later Program whose unit has
// the same nodes and the same environment. It is immutable once built.
//
// Facts are kept in slices sorted by position (compact, one allocation
// each) and found by binary search. Literal types are fixed by their node
// kind, a parenthesised expression has its operand's type and a
// concatenation is a STRING: none of these is stored.
type Info struct {
	idents []identEntry // by Start
	calls  []callEntry  // by Fn.Start
	types  []typeEntry  // other compound expressions, by keyPos
}

// refKind says how a recorded reference is resolved.
type refKind uint8

const (
	refNone     refKind = iota
	refGlobal           // Program.Globals[name]
	refSub              // Program.Subs[name].Symbol
	refOwnSub           // the unit's own subroutine (a definition's name)
	refLocal            // the unit subroutine's Locals[name] (locals, parameters)
	refLabel            // the unit subroutine's Labels[name]
	refVariable         // a catalogue (or testing) variable, kept as a pointer
)

// identFact is what is known about one identifier. The name resolved is
// always the identifier's own spelling.
type identFact struct {
	ref refKind
	typ catalog.Type
	v   *catalog.Variable // for refVariable
}

type identEntry struct {
	id *syntax.Ident
	identFact
}

// callFact is what is known about one call expression.
type callFact struct {
	fn  *catalog.Function  // a builtin or testing function; nil for a sub
	sig *catalog.Signature // the overload chosen for a builtin
	typ catalog.Type
	sub bool // a user subroutine, by the call's name
}

type callEntry struct {
	call *syntax.CallExpr
	callFact
}

type typeEntry struct {
	e     syntax.Expr
	start syntax.Pos // keyPos(e)
	t     catalog.Type
}

// ident finds what is known about id.
func (in *Info) ident(id *syntax.Ident) (identFact, bool) {
	s := in.idents
	i := sort.Search(len(s), func(i int) bool { return s[i].id.Start >= id.Start })
	for ; i < len(s) && s[i].id.Start == id.Start; i++ {
		if s[i].id == id {
			return s[i].identFact, true
		}
	}
	return identFact{}, false
}

// call finds what is known about a call.
func (in *Info) call(call *syntax.CallExpr) (callFact, bool) {
	s := in.calls
	pos := call.Fn.Start
	i := sort.Search(len(s), func(i int) bool { return s[i].call.Fn.Start >= pos })
	for ; i < len(s) && s[i].call.Fn.Start == pos; i++ {
		if s[i].call == call {
			return s[i].callFact, true
		}
	}
	return callFact{}, false
}

// keyPos is where a compound expression is filed: a position no other
// compound expression of its file has (the links of a chain a + b + c
// all start where a does, but each has its own operator).
func keyPos(e syntax.Expr) syntax.Pos {
	switch e := e.(type) {
	case *syntax.BinaryExpr:
		return e.OpPos
	case *syntax.UnaryExpr:
		return e.OpPos
	}
	return e.Span().Start
}

// compound finds the type of another compound expression.
func (in *Info) compound(e syntax.Expr) (catalog.Type, bool) {
	s := in.types
	pos := keyPos(e)
	i := sort.Search(len(s), func(i int) bool { return s[i].start >= pos })
	for ; i < len(s) && s[i].start == pos; i++ {
		if s[i].e == e {
			return s[i].t, true
		}
	}
	return catalog.TypeUnknown, false
}

// has reports whether the Info recorded anything about n.
func (in *Info) has(n syntax.Node) bool {
	var ok bool
	switch n := n.(type) {
	case *syntax.Ident:
		_, ok = in.ident(n)
	case *syntax.CallExpr:
		_, ok = in.call(n)
	case syntax.Expr:
		_, ok = in.compound(n)
	}
	return ok
}

// typeOf returns e's type as recorded (or derived), and whether this Info
// knows e at all (literals are always known).
func (in *Info) typeOf(e syntax.Expr) (catalog.Type, bool) {
	switch e := e.(type) {
	case *syntax.StringLit:
		return catalog.TypeString, true
	case *syntax.IntLit:
		return catalog.TypeInteger, true
	case *syntax.FloatLit:
		return catalog.TypeFloat, true
	case *syntax.DurationLit:
		return catalog.TypeRTime, true
	case *syntax.BoolLit:
		return catalog.TypeBool, true
	case *syntax.IPLit:
		return catalog.TypeIP, true
	case *syntax.ConcatExpr:
		return catalog.TypeString, true
	case *syntax.BadExpr:
		return catalog.TypeUnknown, true
	case *syntax.ParenExpr:
		return in.typeOf(unparen(e))
	case *syntax.Ident:
		f, ok := in.ident(e)
		return f.typ, ok
	case *syntax.CallExpr:
		f, ok := in.call(e)
		return f.typ, ok
	}
	return in.compound(e)
}

// unparen strips parentheses, without recursion.
func unparen(e syntax.Expr) syntax.Expr {
	for {
		p, ok := e.(*syntax.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}

// infoBuilder collects a unit's facts in checking order; finish sorts them
// into an Info. Its slices are reused from unit to unit.
type infoBuilder struct {
	idents []identEntry
	calls  []callEntry
	types  []typeEntry
}

// identFact returns the fact being recorded for id: the last one when it
// is id's (a reference and then a type are recorded one after the other),
// else a new one.
func (b *infoBuilder) identFact(id *syntax.Ident) *identFact {
	if n := len(b.idents); n > 0 && b.idents[n-1].id == id {
		return &b.idents[n-1].identFact
	}
	b.idents = append(b.idents, identEntry{id: id})
	return &b.idents[len(b.idents)-1].identFact
}

// setType records an expression's type. A call's type is recorded with
// the call (addCall).
func (b *infoBuilder) setType(e syntax.Expr, t catalog.Type) {
	switch e := e.(type) {
	case *syntax.StringLit, *syntax.IntLit, *syntax.FloatLit, *syntax.DurationLit, *syntax.BoolLit, *syntax.IPLit,
		*syntax.ParenExpr, *syntax.ConcatExpr, *syntax.BadExpr, *syntax.CallExpr:
	case *syntax.Ident:
		if n := len(b.idents); t == catalog.TypeUnknown && (n == 0 || b.idents[n-1].id != e) {
			return // nothing known: no entry
		}
		b.identFact(e).typ = t
	default:
		if t != catalog.TypeUnknown {
			b.types = append(b.types, typeEntry{e: e, start: keyPos(e), t: t})
		}
	}
}

// setRef records what an identifier refers to.
func (b *infoBuilder) setRef(id *syntax.Ident, k refKind, v *catalog.Variable) {
	f := b.identFact(id)
	f.ref, f.v = k, v
}

// addCall records what a call resolved to, and its type.
func (b *infoBuilder) addCall(call *syntax.CallExpr, f callFact) {
	b.calls = append(b.calls, callEntry{call: call, callFact: f})
}

// finish returns the Info of what was recorded since the last finish.
func (b *infoBuilder) finish() *Info {
	in := &Info{}
	if len(b.idents) > 0 {
		s := b.idents
		if byStart := func(x, y identEntry) int { return cmp.Compare(x.id.Start, y.id.Start) }; !slices.IsSortedFunc(s, byStart) {
			slices.SortStableFunc(s, byStart)
		}
		// A node checked twice (a snippet included twice) keeps one entry,
		// the later facts winning.
		out := s[:0]
		for _, e := range s {
			j := len(out) - 1
			for ; j >= 0 && out[j].id.Start == e.id.Start && out[j].id != e.id; j-- {
			}
			if j >= 0 && out[j].id == e.id {
				if e.ref == refNone {
					e.ref, e.v = out[j].ref, out[j].v
				}
				if e.typ == catalog.TypeUnknown {
					e.typ = out[j].typ
				}
				out[j] = e
				continue
			}
			out = append(out, e)
		}
		in.idents = slices.Clone(out)
		b.idents = b.idents[:0]
	}
	if len(b.calls) > 0 {
		s := b.calls
		if byStart := func(x, y callEntry) int { return cmp.Compare(x.call.Fn.Start, y.call.Fn.Start) }; !slices.IsSortedFunc(s, byStart) {
			slices.SortStableFunc(s, byStart)
		}
		out := s[:0]
		for _, e := range s {
			j := len(out) - 1
			for ; j >= 0 && out[j].call.Fn.Start == e.call.Fn.Start && out[j].call != e.call; j-- {
			}
			if j >= 0 && out[j].call == e.call {
				out[j] = e
				continue
			}
			out = append(out, e)
		}
		in.calls = slices.Clone(out)
		b.calls = b.calls[:0]
	}
	if len(b.types) > 0 {
		s := b.types
		if byStart := func(x, y typeEntry) int { return cmp.Compare(x.start, y.start) }; !slices.IsSortedFunc(s, byStart) {
			slices.SortStableFunc(s, byStart)
		}
		out := s[:0]
		for _, e := range s {
			j := len(out) - 1
			for ; j >= 0 && out[j].start == e.start && out[j].e != e.e; j-- {
			}
			if j >= 0 && out[j].e == e.e {
				out[j] = e
				continue
			}
			out = append(out, e)
		}
		in.types = slices.Clone(out)
		b.types = b.types[:0]
	}
	return in
}

// ---------------------------------------------------------------------------
// Units and lookups

// unit is one Info placed in a program: the subroutine it belongs to (nil
// for the top-level declarations) and where its nodes are.
type unit struct {
	sub  *Sub
	info *Info
}

// unitSpan is the range of one part of a unit's subroutine in a file.
type unitSpan struct {
	r syntax.Range
	u *unit
}

// fileUnits locates the units of one file: the parts of subroutines by
// range (sorted, disjoint), and the units whose nodes may be anywhere in
// the file (a snippet file's body, inline includes walked by a sub).
type fileUnits struct {
	spans []unitSpan
	wide  []*unit
}

// unitIndex finds the unit of a node; built once per program from its
// subroutines (O(#parts)), never from the bodies.
type unitIndex struct {
	byFile map[*syntax.File]*fileUnits
	files  []*fileUnits
	top    *unit
}

// of returns (making it) the index entry of file f.
func (ix *unitIndex) of(f *syntax.File) *fileUnits {
	if ix.byFile == nil {
		ix.byFile = map[*syntax.File]*fileUnits{}
	}
	fu := ix.byFile[f]
	if fu == nil {
		fu = &fileUnits{}
		ix.byFile[f] = fu
		ix.files = append(ix.files, fu)
	}
	return fu
}

// build indexes the units of subs; walked lists the files each sub's
// unit walked inline (included snippets).
func (ix *unitIndex) build(subs []*Sub, walked map[*Sub][]*syntax.File) {
	if len(subs) > 0 {
		// Most parts are in the root file.
		ix.of(subs[0].File).spans = make([]unitSpan, 0, len(subs))
	}
	for _, s := range subs {
		if s.unit == nil || s.unit.info == nil {
			continue
		}
		for i := range s.numParts() {
			part := s.part(i)
			if part.File == nil {
				continue
			}
			fu := ix.of(part.File)
			if part.Decl == nil {
				fu.wide = append(fu.wide, s.unit)
				continue
			}
			fu.spans = append(fu.spans, unitSpan{part.Decl.Range, s.unit})
		}
		for _, f := range walked[s] {
			fu := ix.of(f)
			fu.wide = append(fu.wide, s.unit)
		}
	}
	byStart := func(a, b unitSpan) int { return cmp.Compare(a.r.Start, b.r.Start) }
	for _, fu := range ix.files {
		if !slices.IsSortedFunc(fu.spans, byStart) {
			slices.SortFunc(fu.spans, byStart)
		}
	}
}

// find returns the unit that recorded n, or nil.
func (ix *unitIndex) find(n syntax.Node) *unit {
	pos := n.Span().Start
	for _, fu := range ix.files {
		spans := fu.spans
		i := sort.Search(len(spans), func(i int) bool { return spans[i].r.Start > pos }) - 1
		if i >= 0 && pos < spans[i].r.End && spans[i].u.info.has(n) {
			return spans[i].u
		}
	}
	if ix.top != nil && ix.top.info.has(n) {
		return ix.top
	}
	for _, fu := range ix.files {
		for j := len(fu.wide) - 1; j >= 0; j-- {
			if fu.wide[j].info.has(n) {
				return fu.wide[j]
			}
		}
	}
	return nil
}

// TypeOf returns the type the checker inferred for e: TypeUnknown for an
// expression it did not check. Literal types follow from their kind.
func (p *Program) TypeOf(e syntax.Expr) catalog.Type {
	if e == nil {
		return catalog.TypeUnknown
	}
	switch e.(type) {
	case *syntax.Ident, *syntax.CallExpr, *syntax.BinaryExpr, *syntax.UnaryExpr, *syntax.IfExpr:
		u := p.units.find(e)
		if u == nil {
			return catalog.TypeUnknown
		}
		t, _ := u.info.typeOf(e)
		return t
	case *syntax.ParenExpr:
		return p.TypeOf(unparen(e))
	}
	t, _ := (&Info{}).typeOf(e)
	return t
}

// RefOf returns what an identifier denotes, as the checker resolved it: a
// *Symbol (a declared object, subroutine, local, parameter or label) or a
// *catalog.Variable (a predefined or testing variable); nil when it
// resolved to nothing.
func (p *Program) RefOf(id *syntax.Ident) any {
	if id == nil {
		return nil
	}
	u := p.units.find(id)
	if u == nil {
		return nil
	}
	f, _ := u.info.ident(id)
	return p.resolveRef(u.sub, id, f)
}

// resolveRef turns a recorded reference into the object it names in p.
func (p *Program) resolveRef(owner *Sub, id *syntax.Ident, f identFact) any {
	switch f.ref {
	case refGlobal:
		if s := p.Globals[id.Name]; s != nil {
			return s
		}
	case refSub:
		if s := p.Subs[id.Name]; s != nil && s.Symbol != nil {
			return s.Symbol
		}
	case refOwnSub:
		if owner != nil && owner.Symbol != nil {
			return owner.Symbol
		}
	case refLocal:
		if owner != nil {
			if s := owner.Locals[id.Name]; s != nil {
				return s
			}
		}
	case refLabel:
		if owner != nil {
			if s := owner.Labels[id.Name]; s != nil {
				return s
			}
		}
	case refVariable:
		return f.v
	}
	return nil
}

// CallOf returns what a call expression resolved to: fn is the called
// *Sub or *catalog.Function (nil when unknown); sig is, for a builtin, the
// overload the call was checked against (the first whose parameters the
// arguments fit, else the first that takes as many arguments), nil when
// no overload takes that many arguments. The interpreter compiles the
// call with sig, so both agree on the parameter types.
func (p *Program) CallOf(call *syntax.CallExpr) (fn any, sig *catalog.Signature) {
	if call == nil {
		return nil, nil
	}
	u := p.units.find(call)
	if u == nil {
		return nil, nil
	}
	f, _ := u.info.call(call)
	return p.resolveCall(call, f)
}

func (p *Program) resolveCall(call *syntax.CallExpr, f callFact) (any, *catalog.Signature) {
	if f.sub {
		if s := p.Subs[call.Fn.Name]; s != nil {
			return s, nil
		}
		return nil, nil
	}
	if f.fn != nil {
		return f.fn, f.sig
	}
	return nil, f.sig
}

// Facts answers what the checker recorded about nodes: a Program for
// its files, a Fragment for debugger input.
type Facts interface {
	TypeOf(e syntax.Expr) catalog.Type
	RefOf(id *syntax.Ident) any
	CallOf(call *syntax.CallExpr) (fn any, sig *catalog.Signature)
}

var _ Facts = (*Program)(nil)
