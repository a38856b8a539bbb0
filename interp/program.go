package interp

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// csub is a compiled subroutine.
type csub struct {
	sub       *analysis.Sub
	name      string
	kind      catalog.Sub
	builtin   bool
	body      *cblock
	slotNames []string
	slotTypes []catalog.Type
	params    []int // slots of the parameters, in order
	retType   catalog.Type
	defAct    action // default return of a vcl_* subroutine
	src       *syntax.Source
}

// cblock is a compiled block. labels maps each label defined anywhere
// inside the block to the index of the top-level statement that holds it,
// so that goto can jump forward into nested blocks.
type cblock struct {
	stmts  []cstmt
	labels map[string]int
}

// stmtBase is embedded in every compiled statement: the source statement
// (for hooks and error positions) and the file it comes from.
type stmtBase struct {
	st  syntax.Stmt
	src *syntax.Source
}

func (b *stmtBase) base() *stmtBase { return b }

// cstmt is a compiled statement.
type cstmt interface {
	exec(x *execState) ctl
	base() *stmtBase
}

// seeker is a compound statement that goto can enter at a label.
type seeker interface {
	seek(x *execState, label string) ctl
}

// Compiled statements (their exec methods are in exec_stmt.go).
type (
	blockStmt struct {
		stmtBase
		b *cblock
	}
	setStmt struct {
		stmtBase
		target cvar
		op     string // "" for plain assignment, else "+=", "-=", …
		val    cexpr
		add    bool
	}
	unsetStmt struct {
		stmtBase
		target cvar
	}
	declareStmt struct {
		stmtBase
		slot int
		t    catalog.Type
		init cexpr
	}
	ifStmt struct {
		stmtBase
		cond cexpr
		then *cblock
		els  cstmt // nil, *blockStmt or *ifStmt
	}
	returnStmt struct {
		stmtBase
		act action
		val cexpr
		bad string // an action Fastly does not have
	}
	callStmt struct {
		stmtBase
		callee *csub
		args   []cexpr
	}
	errorStmt struct {
		stmtBase
		code cexpr
		resp cexpr
	}
	restartStmt   struct{ stmtBase }
	syntheticStmt struct {
		stmtBase
		val cexpr
		b64 bool
	}
	esiStmt struct{ stmtBase }
	logStmt struct {
		stmtBase
		val cexpr
	}
	exprStmt struct {
		stmtBase
		call cexpr
	}
	gotoStmt struct {
		stmtBase
		label string
	}
	labelStmt struct {
		stmtBase
		label string
	}
	includeStmt struct {
		stmtBase
		b *cblock
	}
	macroStmt struct {
		stmtBase
		name string
		// locals are the slots of the locals the macro's generated code
		// declares (analysis.MacroLocals), in the order of localNames.
		locals []int
	}
)

// compiler compiles one subroutine.
type compiler struct {
	e     *Engine
	facts analysis.Facts // types and references the checker recorded
	sub   *csub
	slots map[string]int
	src   *syntax.Source
	depth int // include nesting
	errs  []string
}

func (e *Engine) compileSubs() error {
	var list []*csub
	for _, s := range e.prog.SubList {
		if s.Snippet || s.Decl == nil {
			continue
		}
		cs := &csub{sub: s, name: s.Name, kind: s.Kind, builtin: s.Builtin, retType: s.ReturnT, src: s.File.Source}
		if s.Test {
			// Test subroutines and hooks run only through NewTestExec;
			// repeated names are separate tests.
			e.tests[s] = cs
			if e.testByName[s.Name] == nil {
				e.testByName[s.Name] = cs
			}
			list = append(list, cs)
			continue
		}
		if s.Builtin {
			cs.defAct = parseAction(catalog.SubInfoOf(s.Kind).DefaultReturn)
			if e.builtins[s.Kind] == nil {
				e.builtins[s.Kind] = cs
			}
		}
		e.subs[s.Name] = cs
		list = append(list, cs)
	}
	var errs []string
	for _, cs := range list {
		c := &compiler{e: e, facts: e.prog, sub: cs, slots: map[string]int{}, src: cs.src}
		c.allocSlots()
		cs.body = c.body(cs.sub)
		errs = append(errs, c.errs...)
	}
	if len(errs) > 0 {
		return fmt.Errorf("interp: %s", strings.Join(errs, "; "))
	}
	return nil
}

// allocSlots gives every parameter and local of the subroutine a slot:
// parameters first, in order, then locals by name.
func (c *compiler) allocSlots() {
	s := c.sub.sub
	if s.Decl != nil {
		for _, p := range s.Decl.Params {
			if p.Name == nil {
				continue
			}
			c.sub.params = append(c.sub.params, c.slot(p.Name.Name, p.VarType))
		}
	}
	names := make([]string, 0, len(s.Locals))
	for n := range s.Locals {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if l := s.Locals[n]; l.External && len(l.Refs) == 0 {
			continue // a macro's local the code never uses (see macroStmt)
		}
		c.slot(n, s.Locals[n].Type)
	}
}

func (c *compiler) slot(name string, t catalog.Type) int {
	if i, ok := c.slots[name]; ok {
		return i
	}
	i := len(c.sub.slotNames)
	c.slots[name] = i
	c.sub.slotNames = append(c.sub.slotNames, name)
	c.sub.slotTypes = append(c.sub.slotTypes, t)
	return i
}

func (c *compiler) errorf(n syntax.Node, format string, a ...any) {
	pos := c.src.Position(n.Span().Start)
	c.errs = append(c.errs, fmt.Sprintf("%s:%d:%d: %s", c.src.Name, pos.Line, pos.Col, fmt.Sprintf(format, a...)))
}

// body compiles every definition of a subroutine, in order, as one block:
// VCL runs repeated definitions of a subroutine (Fastly's boilerplate and
// the files a service includes rely on it) one after the other. Each
// part's statements keep their own file, for stepping and breakpoints.
func (c *compiler) body(s *analysis.Sub) *cblock {
	if len(s.More) == 0 {
		return c.block(s.Body)
	}
	cb := &cblock{}
	for _, part := range s.Parts() {
		c.src = part.File.Source
		pb := c.block(part.Body)
		for l, i := range pb.labels {
			if _, dup := cb.labels[l]; !dup {
				if cb.labels == nil {
					cb.labels = map[string]int{}
				}
				cb.labels[l] = len(cb.stmts) + i
			}
		}
		cb.stmts = append(cb.stmts, pb.stmts...)
	}
	c.src = s.File.Source
	return cb
}

func (c *compiler) block(b *syntax.Block) *cblock {
	cb := &cblock{}
	if b == nil {
		return cb
	}
	for _, st := range b.Stmts {
		cs := c.stmt(st)
		if cs == nil {
			continue
		}
		for _, l := range labelsIn(cs) {
			if cb.labels == nil {
				cb.labels = map[string]int{}
			}
			if _, dup := cb.labels[l]; !dup {
				cb.labels[l] = len(cb.stmts)
			}
		}
		cb.stmts = append(cb.stmts, cs)
	}
	return cb
}

// labelsIn lists the labels a compiled statement defines, at any depth.
func labelsIn(s cstmt) []string {
	switch s := s.(type) {
	case *labelStmt:
		return []string{s.label}
	case *blockStmt:
		return keysOf(s.b.labels)
	case *includeStmt:
		return keysOf(s.b.labels)
	case *ifStmt:
		out := keysOf(s.then.labels)
		if s.els != nil {
			out = append(out, labelsIn(s.els)...)
		}
		return out
	}
	return nil
}

func keysOf(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (c *compiler) stmt(st syntax.Stmt) cstmt {
	b := stmtBase{st: st, src: c.src}
	switch s := st.(type) {
	case *syntax.Block:
		return &blockStmt{stmtBase: b, b: c.block(s)}
	case *syntax.SetStmt:
		t := c.target(s.Target)
		out := &setStmt{stmtBase: b, target: t, val: c.expr(s.Value), add: s.Add}
		if s.Op != syntax.ASSIGN {
			out.op = s.Op.String()
		}
		return out
	case *syntax.UnsetStmt:
		return &unsetStmt{stmtBase: b, target: c.target(s.Target)}
	case *syntax.DeclareStmt:
		if s.Name == nil {
			return nil
		}
		d := &declareStmt{stmtBase: b, slot: c.slot(s.Name.Name, s.VarType), t: s.VarType}
		if s.Value != nil {
			d.init = c.expr(s.Value)
		}
		return d
	case *syntax.IfStmt:
		out := &ifStmt{stmtBase: b, cond: c.expr(s.Cond), then: c.block(s.Then)}
		if s.Else != nil {
			out.els = c.stmt(s.Else)
		}
		return out
	case *syntax.ReturnStmt:
		r := &returnStmt{stmtBase: b}
		switch {
		case s.Value != nil:
			r.val = c.expr(s.Value)
		case s.Action != nil:
			r.act = parseAction(s.Action.Name)
			if r.act == actNone {
				r.bad = s.Action.Name // reported if it runs
			}
		}
		return r
	case *syntax.CallStmt:
		callee := c.e.subs[s.Name.Name]
		if callee == nil {
			c.errorf(s, "unknown subroutine %s", s.Name.Name)
			return nil
		}
		return &callStmt{stmtBase: b, callee: callee, args: c.args(callee, s.Args)}
	case *syntax.ErrorStmt:
		e := &errorStmt{stmtBase: b}
		if s.Code != nil {
			e.code = c.expr(s.Code)
		}
		if s.Response != nil {
			e.resp = c.expr(s.Response)
		}
		return e
	case *syntax.RestartStmt:
		return &restartStmt{stmtBase: b}
	case *syntax.SyntheticStmt:
		return &syntheticStmt{stmtBase: b, val: c.expr(s.Value), b64: s.Base64}
	case *syntax.EsiStmt:
		return &esiStmt{stmtBase: b}
	case *syntax.LogStmt:
		return &logStmt{stmtBase: b, val: c.expr(s.Value)}
	case *syntax.ExprStmt:
		return &exprStmt{stmtBase: b, call: c.expr(s.Call)}
	case *syntax.GotoStmt:
		return &gotoStmt{stmtBase: b, label: s.Label.Name}
	case *syntax.LabelStmt:
		return &labelStmt{stmtBase: b, label: s.Label.Name}
	case *syntax.IncludeStmt:
		f := c.e.prog.Includes[s]
		if f == nil || f.Snippet == nil {
			return &blockStmt{stmtBase: b, b: &cblock{}}
		}
		if c.depth > 32 {
			c.errorf(s, "includes nested too deeply")
			return nil
		}
		saved := c.src
		c.src, c.depth = f.Source, c.depth+1
		inner := c.block(f.Snippet)
		c.src, c.depth = saved, c.depth-1
		return &includeStmt{stmtBase: b, b: inner}
	case *syntax.MacroStmt:
		m := &macroStmt{stmtBase: b, name: s.Name}
		for name, t := range analysis.MacroLocals[s.Name] {
			// Only a local the code uses gets a slot, so that the
			// debugger's Locals scope shows what the author wrote.
			if sym := c.sub.sub.Locals[name]; sym != nil && len(sym.Refs) > 0 {
				m.locals = append(m.locals, c.slot(name, t))
			}
		}
		return m
	case *syntax.BadStmt:
		c.errorf(s, "statement could not be parsed")
	}
	return nil
}

// target binds the variable assigned or unset by a statement.
func (c *compiler) target(id *syntax.Ident) cvar {
	if id == nil {
		return &unsupportedVar{n: "?"}
	}
	return c.variable(id)
}

// variable binds a name used as a variable (not a bare global name).
func (c *compiler) variable(id *syntax.Ident) cvar {
	name := id.Name
	if strings.HasPrefix(name, "var.") {
		if i, ok := c.slots[name]; ok {
			return &localVar{slot: i, t: c.sub.slotTypes[i], n: name}
		}
		t := catalog.TypeUnknown
		if sym, ok := c.facts.RefOf(id).(*analysis.Symbol); ok {
			t = sym.Type
		}
		// A local used in a snippet and declared by code the
		// simulator cannot see: give it a slot of its own.
		i := c.slot(name, t)
		return &localVar{slot: i, t: t, n: name}
	}
	if strings.HasPrefix(name, "re.group.") {
		c.e.usesGroups = true
	}
	return bindVar(name)
}
