package analysis

import (
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// FragmentScope is where a fragment of VCL typed in a debugger is checked:
// as if it were written in Sub (its locals are visible), running in the
// vcl_* subroutines Scopes (zero: unknown, no scope checks).
type FragmentScope struct {
	Sub    *Sub
	Scopes catalog.SubSet
}

// Fragment is what checking debugger input learned: its types and what
// its names refer to, for the interpreter that compiles it. Nodes that are
// not the fragment's are answered by the program.
type Fragment struct {
	prog *Program
	sub  *Sub // the scope's subroutine (a copy: the fragment's locals)
	info *Info
}

// TypeOf returns the type the checker inferred for e.
func (f *Fragment) TypeOf(e syntax.Expr) catalog.Type {
	if t, ok := f.info.typeOf(e); ok {
		return t
	}
	return f.prog.TypeOf(e)
}

// RefOf returns what the identifier denotes (see Program.RefOf).
func (f *Fragment) RefOf(id *syntax.Ident) any {
	if fact, ok := f.info.ident(id); ok {
		return f.prog.resolveRef(f.sub, id, fact)
	}
	return f.prog.RefOf(id)
}

// CallOf returns what a call resolved to (see Program.CallOf).
func (f *Fragment) CallOf(call *syntax.CallExpr) (any, *catalog.Signature) {
	if fact, ok := f.info.call(call); ok {
		return f.prog.resolveCall(call, fact)
	}
	return f.prog.CallOf(call)
}

// CheckExpr checks an expression parsed with syntax.ParseExpr (src is its
// Source) as if it appeared in scope, with the same rules, types and
// diagnostics as source code, and returns its type and what was learned
// about its nodes. want is the type the context expects (TypeUnknown:
// any). The program is not changed.
func (p *Program) CheckExpr(scope FragmentScope, e syntax.Expr, src *syntax.Source, want catalog.Type) (catalog.Type, *Fragment, []*Diagnostic) {
	c := p.fragmentChecker(scope, src)
	t := c.checkExpr(e, want)
	return t, &Fragment{prog: p, sub: c.sub, info: c.b.finish()}, c.fragmentDiagnostics()
}

// CheckStmt checks a statement parsed with syntax.ParseStmt as if it
// appeared in scope. The program is not changed (a `declare` is checked
// but not added to the subroutine's locals).
func (p *Program) CheckStmt(scope FragmentScope, st syntax.Stmt, src *syntax.Source) (*Fragment, []*Diagnostic) {
	c := p.fragmentChecker(scope, src)
	if st != nil {
		c.checkStmt(st)
	}
	return &Fragment{prog: p, sub: c.sub, info: c.b.finish()}, c.fragmentDiagnostics()
}

// fragmentChecker is a checker over a copy of the program's symbols, so
// that references made by the fragment are not recorded in the program.
func (p *Program) fragmentChecker(scope FragmentScope, src *syntax.Source) *checker {
	cp := *p
	cp.Globals = make(map[string]*Symbol, len(p.Globals))
	for k, v := range p.Globals {
		s := *v
		s.Refs = nil
		cp.Globals[k] = &s
	}
	cp.SiblingCalls = nil
	sub := &Sub{Name: "the debug console", Locals: map[string]*Symbol{}, Labels: map[string]*Symbol{}}
	if scope.Sub != nil {
		s := *scope.Sub
		sub = &s
		sub.Locals = make(map[string]*Symbol, len(scope.Sub.Locals))
		for k, v := range scope.Sub.Locals {
			l := *v
			l.Refs = nil
			sub.Locals[k] = &l
		}
		sub.Labels = map[string]*Symbol{}
		sub.unit = nil
	}
	c := &checker{prog: &cp, opts: p.Options, fs: p.Options.FS, loaded: map[string]*syntax.File{}, isTest: map[*syntax.File]bool{}}
	if c.fs == nil {
		c.fs = OSFileSystem{}
	}
	c.sub = sub
	c.scopes = scope.Scopes
	c.file = &syntax.File{Source: src}
	return c
}

// fragmentDiagnostics applies the configured severities.
func (c *checker) fragmentDiagnostics() []*Diagnostic {
	out := c.diags[:0]
	for _, d := range c.diags {
		if !c.applySeverity(d) {
			continue
		}
		out = append(out, d)
	}
	SortDiagnostics(out)
	return out
}
