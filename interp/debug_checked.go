package interp

import (
	"errors"
	"slices"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/interp/value"
)

// EvalChecked evaluates an expression that was parsed with syntax.ParseExpr
// and checked with analysis.Program.CheckExpr in the current frame's
// scope, exactly as the same expression in source code would run: locals
// of the innermost subroutine are visible, types come from the checker
// (facts: what CheckExpr returned; nil means the program's).
func (x *Exec) EvalChecked(e syntax.Expr, src *syntax.Source, facts analysis.Facts) (value.Value, error) {
	if c, ok := x.impl.(checkedImpl); ok {
		return c.evalChecked(e, src, facts)
	}
	return value.Value{}, errors.New("checked evaluation is not available")
}

// ExecChecked runs one checked `set`, `add`, `unset` or `remove` statement
// (from syntax.ParseStmt and analysis.Program.CheckStmt) in the current
// frame, with the same rules as in source code. facts is what CheckStmt
// returned (nil: the program's).
func (x *Exec) ExecChecked(st syntax.Stmt, src *syntax.Source, facts analysis.Facts) error {
	if c, ok := x.impl.(checkedImpl); ok {
		return c.execChecked(st, src, facts)
	}
	return errors.New("checked statements are not available")
}

// checkedImpl is implemented by the engine's request state.
type checkedImpl interface {
	evalChecked(e syntax.Expr, src *syntax.Source, facts analysis.Facts) (value.Value, error)
	execChecked(st syntax.Stmt, src *syntax.Source, facts analysis.Facts) error
}

// scratchCompiler compiles debugger input against a copy of the innermost
// frame's slots, so that it can never grow the running frame.
func (x *execState) scratchCompiler(src *syntax.Source, facts analysis.Facts) (*compiler, int) {
	cs := &csub{name: "<eval>"}
	if n := len(x.frames); n > 0 {
		cs = x.frames[n-1].sub
	}
	scratch := &csub{name: cs.name, slotNames: slices.Clone(cs.slotNames), slotTypes: slices.Clone(cs.slotTypes)}
	if facts == nil {
		facts = x.e.prog
	}
	c := &compiler{e: x.e, facts: facts, sub: scratch, slots: map[string]int{}, src: src}
	for i, n := range cs.slotNames {
		c.slots[n] = i
	}
	return c, len(cs.slotNames)
}

func (x *execState) evalChecked(e syntax.Expr, src *syntax.Source, facts analysis.Facts) (value.Value, error) {
	c, n := x.scratchCompiler(src, facts)
	ce := c.expr(e)
	if len(c.errs) > 0 {
		return value.Value{}, errors.New(c.errs[0])
	}
	if len(c.sub.slotNames) > n {
		return value.Value{}, errors.New("unknown local variable " + c.sub.slotNames[n])
	}
	savedErr := x.err
	v, err := ce.eval(x)
	x.err = savedErr
	return v, err
}

func (x *execState) execChecked(st syntax.Stmt, src *syntax.Source, facts analysis.Facts) error {
	switch st.(type) {
	case *syntax.SetStmt, *syntax.UnsetStmt:
	default:
		return errors.New("only set, add, unset and remove statements can run here")
	}
	c, n := x.scratchCompiler(src, facts)
	cst := c.stmt(st)
	if len(c.errs) > 0 {
		return errors.New(c.errs[0])
	}
	if len(c.sub.slotNames) > n {
		return errors.New("unknown local variable " + c.sub.slotNames[n])
	}
	savedErr := x.err
	x.err = nil
	ctl := cst.exec(x)
	err := x.err
	x.err = savedErr
	if ctl == ctlAbort && err != nil {
		var re *RuntimeError
		if errors.As(err, &re) && re.Err != nil {
			return re.Err
		}
		return err
	}
	return nil
}
