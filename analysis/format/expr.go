package format

import "github.com/vclide/vclide/analysis/syntax"

// expr prints an expression. Operators get single spaces around them, the
// parts of a concatenation single spaces between them, and a line break the
// source had between operands is kept.
func (p *printer) expr(e syntax.Expr) {
	switch e := e.(type) {
	case *syntax.Ident:
		p.takeAt(e.Start)
	case *syntax.StringLit:
		p.takeRange(e.Range)
	case *syntax.IntLit:
		p.takeRange(e.Range)
	case *syntax.FloatLit:
		p.takeRange(e.Range)
	case *syntax.DurationLit:
		p.takeRange(e.Range)
	case *syntax.BoolLit:
		p.takeRange(e.Range)
	case *syntax.IPLit:
		p.takeRange(e.Range)
	case *syntax.BinaryExpr:
		// A long chain nests deeply to the left: print it link by link.
		chain := syntax.Chain(e)
		p.expr(chain[0].X)
		for _, link := range chain {
			p.brk()
			p.sp()
			p.takeAt(link.OpPos)
			p.brk()
			p.sp()
			p.expr(link.Y)
		}
	case *syntax.UnaryExpr:
		p.takeAt(e.OpPos)
		p.expr(e.X)
	case *syntax.ConcatExpr:
		for i, part := range e.Parts {
			if i > 0 {
				p.brk()
				p.sp()
			}
			p.expr(part)
		}
	case *syntax.ParenExpr:
		p.takeAt(e.Start)
		p.opened()
		p.expr(e.X)
		p.close()
	case *syntax.CallExpr:
		p.takeAt(e.Fn.Start)
		p.args(e.Args)
	case *syntax.IfExpr:
		p.takeAt(e.Start)
		p.args([]syntax.Expr{e.Cond, e.Then, e.Else})
	default:
		p.fail("unexpected expression %T", e)
	}
}

// parenState remembers the enclosing continuation indentation while a
// parenthesis is open.
type parenState struct{ cont, line int }

// open prints '(' and starts a parenthesised region: continuation lines
// inside it are indented one level deeper than the line holding '('. A line
// break after '(' in the source is kept.
func (p *printer) open() {
	p.take(syntax.LPAREN)
	p.opened()
}

// opened is open after '(' has been printed.
func (p *printer) opened() {
	p.parens = append(p.parens, parenState{p.cont, p.w.lineIndent})
	p.cont = p.w.lineIndent + 1
	p.brk()
}

// close prints ')' (on its own line at the indentation of the line holding
// '(' when the source broke the line before it) and ends the region.
func (p *printer) close() {
	st := p.parens[len(p.parens)-1]
	p.parens = p.parens[:len(p.parens)-1]
	if p.tok().brk {
		p.w.newline(st.line)
	}
	p.take(syntax.RPAREN)
	p.cont = st.cont
}

// args prints (a, b, c) keeping the source's line breaks after commas.
func (p *printer) args(args []syntax.Expr) {
	p.open()
	for i, a := range args {
		if i > 0 {
			p.take(syntax.COMMA)
			p.brk()
			p.sp()
		}
		p.expr(a)
	}
	if p.tok().kind == syntax.COMMA {
		p.take(syntax.COMMA)
	}
	p.close()
}
