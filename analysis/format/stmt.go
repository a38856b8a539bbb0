package format

import "github.com/vclide/vclide/analysis/syntax"

// newList returns a fresh identifier for a list of items (used by range
// formatting to tell sibling statements apart).
func (p *printer) newList() int {
	p.lists++
	return p.lists - 1
}

// item prints one element of a list on its own line at indent, after its
// leading comments and followed by its trailing comments. A `#FASTLY` macro
// written at column 0 stays at column 0. When stmt is set and spans are
// being recorded, the item's source and output spans are recorded.
func (p *printer) item(indent int, first *bool, forceBlank bool, list int, stmt bool, print func()) {
	record := stmt && p.recs != nil
	p.w.armed = record
	own := p.leading(indent, first, &forceBlank)
	p.w.armed = false
	t := p.tok()
	ind := indent
	if t.kind == syntax.MACRO && p.atCol0(t.start) {
		ind = 0
	}
	if !*first && (t.nl >= 2 || forceBlank) {
		p.w.blank(ind)
	} else {
		p.w.newline(ind)
	}
	*first = false
	r, saveParent := -1, p.parent
	if record {
		outStart := p.w.mark
		srcStart := own
		if own < 0 {
			srcStart = t.start
			outStart = len(p.w.buf)
			if outStart > 0 {
				outStart += p.w.pending
			}
		}
		r = len(p.recs)
		p.recs = append(p.recs, rec{list: list, parent: p.parent, srcStart: srcStart, outStart: outStart})
		p.parent = r
	}
	p.cont = indent + 1
	print()
	p.trailing()
	if record {
		p.recs[r].srcEnd = p.srcEnd
		p.recs[r].outEnd = len(p.w.buf)
		p.parent = saveParent
	}
}

// braced prints '{', the n items of a list one per line at indent+1, the
// comments before '}', and '}' at indent. An empty object, ACL or table
// without comments prints as {}; an empty block of statements keeps '}' on
// the next line.
func (p *printer) braced(indent, n int, start func(int) syntax.Pos, print func(int), stmts bool) {
	p.take(syntax.LBRACE)
	if n == 0 && !stmts {
		p.skipStray(-1)
		if t := p.tok(); t.kind == syntax.RBRACE && t.c0 == t.c1 {
			p.take(syntax.RBRACE)
			return
		}
	}
	first := true
	id := p.newList()
	for k := 0; k < n; k++ {
		pos := start(k)
		p.skipStray(pos)
		if t := p.tok(); t.start != pos {
			p.fail("item %d of a list expected at %d, found %q at %d", k, pos, p.text(t), t.start)
		}
		p.item(indent+1, &first, false, id, stmts, func() { print(k) })
	}
	p.skipStray(-1)
	no := false
	p.leading(indent+1, &first, &no)
	p.w.newline(indent)
	p.take(syntax.RBRACE)
}

// skipStray drops empty statements (stray ';') before pos, or all of them
// when pos is negative.
func (p *printer) skipStray(pos syntax.Pos) {
	for t := p.tok(); t.kind == syntax.SEMICOLON && (pos < 0 || t.start < pos); t = p.tok() {
		p.drop()
	}
}

// block prints { statements } whose '{' is on a line indented indent levels.
func (p *printer) block(b *syntax.Block, indent int) {
	if t := p.tok(); t.start != b.Start {
		p.fail("block expected at %d, found %q at %d", b.Start, p.text(t), t.start)
	}
	p.braced(indent, len(b.Stmts), func(k int) syntax.Pos { return b.Stmts[k].Span().Start }, func(k int) {
		p.stmt(b.Stmts[k], indent+1)
	}, true)
}

// stmt prints one statement whose first line is indented indent levels.
func (p *printer) stmt(s syntax.Stmt, indent int) {
	p.cont = indent + 1
	switch s := s.(type) {
	case *syntax.SetStmt:
		p.takeAt(s.Start)
		p.sp()
		p.takeAt(s.Target.Start)
		p.sp()
		p.takeAt(s.OpPos)
		p.brk()
		p.sp()
		p.expr(s.Value)
	case *syntax.UnsetStmt:
		p.takeAt(s.Start)
		p.sp()
		p.takeAt(s.Target.Start)
	case *syntax.DeclareStmt:
		p.takeAt(s.Start)
		p.sp()
		p.takeWord("local")
		p.sp()
		p.takeAt(s.Name.Start)
		p.sp()
		p.takeAt(s.TypeName.Start)
		if s.Value != nil {
			p.sp()
			p.take(syntax.ASSIGN)
			p.brk()
			p.sp()
			p.expr(s.Value)
		}
	case *syntax.IfStmt:
		p.ifStmt(s, indent)
		return
	case *syntax.ReturnStmt:
		p.returnStmt(s)
	case *syntax.CallStmt:
		p.takeAt(s.Start)
		p.sp()
		p.takeAt(s.Name.Start)
		if s.Parens {
			p.args(s.Args)
		}
	case *syntax.ErrorStmt:
		p.takeAt(s.Start)
		if s.Code != nil {
			p.sp()
			p.expr(s.Code)
			if s.Response != nil {
				p.sp()
				p.expr(s.Response)
			}
		}
	case *syntax.RestartStmt, *syntax.EsiStmt:
		p.takeAt(s.Span().Start)
	case *syntax.SyntheticStmt:
		p.takeAt(s.Start)
		p.sp()
		p.expr(s.Value)
	case *syntax.LogStmt:
		p.takeAt(s.Start)
		p.sp()
		p.expr(s.Value)
	case *syntax.ExprStmt:
		p.expr(s.Call)
	case *syntax.GotoStmt:
		p.takeAt(s.Start)
		p.sp()
		p.takeAt(s.Label.Start)
	case *syntax.LabelStmt:
		p.takeAt(s.Label.Start)
		p.take(syntax.COLON)
		return
	case *syntax.IncludeStmt:
		p.takeAt(s.Start)
		p.sp()
		p.takeAt(s.Path.Start)
	case *syntax.MacroStmt:
		p.takeAt(s.Start)
		return
	case *syntax.Block:
		p.block(s, indent)
		return
	default:
		p.fail("unexpected statement %T", s)
	}
	p.take(syntax.SEMICOLON)
}

// ifStmt prints an if statement and its else chain:
// if (cond) { … } else if (cond) { … } elsif (cond) { … } else { … }.
func (p *printer) ifStmt(s *syntax.IfStmt, indent int) {
	for {
		p.takeAt(s.Start)
		if s.Keyword == "else if" {
			p.sp()
			p.takeWord("if")
		}
		p.sp()
		p.open()
		p.expr(s.Cond)
		p.close()
		p.sp()
		p.block(s.Then, indent)
		// Comments between '}' and else go on lines at the if's indentation.
		p.cont = indent
		switch e := s.Else.(type) {
		case nil:
			return
		case *syntax.IfStmt:
			p.sp()
			s = e
		case *syntax.Block:
			p.sp()
			p.takeWord("else")
			p.sp()
			p.block(e, indent)
			return
		default:
			p.fail("unexpected else %T", e)
		}
	}
}

// returnStmt prints return; or return(action); or return(value); adding
// the parentheses when the source had none.
func (p *printer) returnStmt(s *syntax.ReturnStmt) {
	p.takeAt(s.Start)
	var inner syntax.Node
	switch {
	case s.Action != nil:
		inner = s.Action
	case s.Value != nil:
		inner = s.Value
	default:
		return
	}
	if t := p.tok(); t.kind == syntax.LPAREN && t.start < inner.Span().Start {
		p.open()
		p.innerReturn(s)
		p.close()
		return
	}
	p.w.emit("(")
	p.innerReturn(s)
	p.w.emit(")")
}

func (p *printer) innerReturn(s *syntax.ReturnStmt) {
	if s.Action != nil {
		p.takeAt(s.Action.Start)
	} else {
		p.expr(s.Value)
	}
}
