package format

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vclide/vclide/analysis/syntax"
)

// file prints the whole file: top-level declarations and snippet statements
// in source order, the `C!`/`W!` marker lines of Fastly-generated VCL, and
// the comments after the last item.
func (p *printer) file() {
	f := p.tree
	items := make([]syntax.Node, 0, len(f.Decls))
	for _, d := range f.Decls {
		items = append(items, d)
	}
	if f.Snippet != nil {
		for _, s := range f.Snippet.Stmts {
			items = append(items, s)
		}
		sort.SliceStable(items, func(i, j int) bool { return items[i].Span().Start < items[j].Span().Start })
	}
	first := true
	prevBlock := false
	id := p.newList()
	k := 0
	for {
		t := p.tok()
		if t.kind == syntax.EOF {
			break
		}
		if k < len(items) && items[k].Span().Start == t.start {
			it := items[k]
			k++
			block := isBlockItem(it)
			p.item(0, &first, !first && (block || prevBlock), id, true, func() { p.topItem(it) })
			prevBlock = block
			continue
		}
		if t.kind == syntax.SEMICOLON {
			p.drop() // an empty statement
			continue
		}
		if t.kind == syntax.IDENT && (p.text(t) == "C" || p.text(t) == "W") && p.peekKind(1) == syntax.NOT {
			p.item(0, &first, prevBlock, id, false, func() { p.put(); p.put() })
			prevBlock = false
			continue
		}
		// The tree does not account for this token: keep the rest as it is.
		p.fallbacks++
		p.item(0, &first, prevBlock, id, false, func() { p.verbatim(syntax.Range{Start: t.start, End: syntax.Pos(len(p.src))}) })
		break
	}
	no := false
	p.leading(0, &first, &no)
}

// isBlockItem reports whether a top-level item spans a braced body; those
// are always separated from their neighbours by a blank line.
func isBlockItem(n syntax.Node) bool {
	switch n.(type) {
	case *syntax.IncludeDecl, *syntax.ImportDecl, *syntax.PragmaDecl:
		return false
	case syntax.Decl:
		return true
	}
	return false
}

// topItem prints one top-level item. If the tree and the tokens disagree
// (which would be a bug) or printing fails in any way, the item is copied
// verbatim instead.
func (p *printer) topItem(n syntax.Node) {
	saveW, saveI, saveRecs := p.w, p.i, len(p.recs)
	saveCont, saveParent, saveParens := p.cont, p.parent, len(p.parens)
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		// Any failure (a mismatch, or a bug) costs only this item's layout.
		p.fallbacks++
		if m, ok := r.(mismatch); ok {
			p.lastMismatch = m.msg
		} else {
			p.lastMismatch = fmt.Sprint("panic: ", r)
		}
		p.w = saveW
		p.w.buf = p.w.buf[:len(saveW.buf)]
		// Give back the comments the failed attempt consumed.
		for j := saveI + 1; j <= p.i && j < len(p.toks); j++ {
			p.toks[j].c0 = p.toks[j-1].c1
		}
		p.i = saveI
		if p.recs != nil {
			p.recs = p.recs[:saveRecs]
		}
		p.cont, p.parent, p.parens = saveCont, saveParent, p.parens[:saveParens]
		p.verbatim(n.Span())
	}()
	switch n := n.(type) {
	case *syntax.SubDecl:
		p.sub(n)
	case *syntax.ACLDecl:
		p.acl(n)
	case *syntax.BackendDecl:
		p.takeAt(n.Start)
		p.sp()
		p.takeAt(n.Name.Start)
		p.sp()
		p.object(n.Body, 0)
	case *syntax.DirectorDecl:
		p.director(n)
	case *syntax.TableDecl:
		p.table(n)
	case *syntax.PenaltyboxDecl:
		p.takeAt(n.Start)
		p.sp()
		p.takeAt(n.Name.Start)
		p.sp()
		p.object(n.Body, 0)
	case *syntax.RatecounterDecl:
		p.takeAt(n.Start)
		p.sp()
		p.takeAt(n.Name.Start)
		p.sp()
		p.object(n.Body, 0)
	case *syntax.IncludeDecl:
		p.takeAt(n.Start)
		p.sp()
		p.takeAt(n.Path.Start)
		p.take(syntax.SEMICOLON)
	case *syntax.ImportDecl:
		p.takeAt(n.Start)
		p.sp()
		p.takeAt(n.Name.Start)
		p.take(syntax.SEMICOLON)
	case *syntax.PragmaDecl, *syntax.DescribeDecl:
		p.verbatim(n.Span())
	case syntax.Stmt:
		p.stmt(n, 0)
	default:
		p.fail("unexpected %T", n)
	}
}

// verbatim copies the source of r unchanged (used for pragmas and as the
// fallback) and skips the tokens and comments inside it.
func (p *printer) verbatim(r syntax.Range) {
	t := p.tok()
	if t.start != r.Start {
		p.fail("verbatim range does not start at a token")
	}
	p.inlineComments(t)
	p.w.emit(strings.TrimRight(p.src[r.Start:r.End], " \t\r\n"))
	for p.tok().kind != syntax.EOF && p.tok().start < r.End {
		p.i++
	}
	t = p.tok()
	for t.c0 < t.c1 && p.comments[t.c0].start < r.End {
		t.c0++
	}
	p.srcEnd = r.End
}

// sub prints sub NAME[(PARAMS)] [TYPE] { … }.
func (p *printer) sub(d *syntax.SubDecl) {
	p.takeAt(d.Start)
	p.sp()
	p.takeAt(d.Name.Start)
	if p.tok().kind == syntax.LPAREN {
		p.open()
		for i, prm := range d.Params {
			if i > 0 {
				p.take(syntax.COMMA)
				p.brk()
				p.sp()
			}
			p.takeAt(prm.TypeName.Start)
			p.sp()
			p.takeAt(prm.Name.Start)
		}
		if p.tok().kind == syntax.COMMA {
			p.take(syntax.COMMA)
		}
		p.close()
	}
	if d.ReturnType != nil {
		p.sp()
		p.takeAt(d.ReturnType.Start)
	}
	p.sp()
	p.block(d.Body, 0)
}

// acl prints acl NAME { entries }, one entry per line.
func (p *printer) acl(d *syntax.ACLDecl) {
	p.takeAt(d.Start)
	p.sp()
	p.takeAt(d.Name.Start)
	p.sp()
	p.braced(0, len(d.Entries), func(k int) syntax.Pos { return d.Entries[k].Start }, func(k int) {
		e := d.Entries[k]
		if e.Negated {
			p.take(syntax.NOT)
		}
		p.takeAt(e.Addr.Start)
		if e.Mask >= 0 {
			p.take(syntax.SLASH)
			p.take(syntax.INT)
		}
		p.take(syntax.SEMICOLON)
	}, false)
}

// table prints table NAME [TYPE] { "key": value, … } with a comma after
// every entry.
func (p *printer) table(d *syntax.TableDecl) {
	p.takeAt(d.Start)
	p.sp()
	p.takeAt(d.Name.Start)
	if d.ValueType != nil {
		p.sp()
		p.takeAt(d.ValueType.Start)
	}
	p.sp()
	p.braced(0, len(d.Entries), func(k int) syntax.Pos { return d.Entries[k].Start }, func(k int) {
		e := d.Entries[k]
		p.takeAt(e.Key.Start)
		p.take(syntax.COLON)
		p.brk()
		p.sp()
		p.expr(e.Value)
		if p.tok().kind == syntax.COMMA {
			p.take(syntax.COMMA)
		} else {
			p.w.emit(",")
		}
	}, false)
}

// object prints { .prop = value; … } with one property per line; indent is
// the indentation of the line holding '{'.
func (p *printer) object(o *syntax.Object, indent int) {
	p.braced(indent, len(o.Props), func(k int) syntax.Pos { return o.Props[k].Start }, func(k int) {
		p.property(o.Props[k], indent+1)
	}, false)
}

// property prints .name = value; or .name = { … } at indent.
func (p *printer) property(pr *syntax.Property, indent int) {
	p.take(syntax.DOT)
	p.takeAt(pr.Name.Start)
	p.sp()
	p.take(syntax.ASSIGN)
	p.sp()
	if pr.Object != nil {
		p.object(pr.Object, indent)
		if t := p.tok(); t.kind == syntax.SEMICOLON && t.start < pr.End {
			p.take(syntax.SEMICOLON)
		}
		return
	}
	p.brk()
	p.expr(pr.Value)
	p.take(syntax.SEMICOLON)
}

// director prints director NAME TYPE { properties and member blocks } in
// source order. A member written on one line without comments stays on one
// line: { .backend = F_a; .weight = 1; }.
func (p *printer) director(d *syntax.DirectorDecl) {
	p.takeAt(d.Start)
	p.sp()
	p.takeAt(d.Name.Start)
	p.sp()
	p.takeAt(d.Kind.Start)
	p.sp()
	type member struct {
		prop *syntax.Property
		obj  *syntax.Object
	}
	items := make([]member, 0, len(d.Props)+len(d.Members))
	for _, pr := range d.Props {
		items = append(items, member{prop: pr})
	}
	for _, m := range d.Members {
		items = append(items, member{obj: m})
	}
	start := func(k int) syntax.Pos {
		if items[k].prop != nil {
			return items[k].prop.Start
		}
		return items[k].obj.Start
	}
	sort.SliceStable(items, func(i, j int) bool { return start(i) < start(j) })
	p.braced(0, len(items), start, func(k int) {
		if pr := items[k].prop; pr != nil {
			p.property(pr, 1)
		} else if o := items[k].obj; p.oneLine(o) {
			p.take(syntax.LBRACE)
			for _, pr := range o.Props {
				p.sp()
				p.property(pr, 1)
			}
			if len(o.Props) > 0 {
				p.sp()
			}
			p.take(syntax.RBRACE)
		} else {
			p.object(o, 1)
		}
	}, false)
}

// oneLine reports whether a director member can stay on one line: it was
// written on one line, holds no comments and no nested object.
func (p *printer) oneLine(o *syntax.Object) bool {
	if strings.IndexByte(p.src[o.Start:o.End], '\n') >= 0 {
		return false
	}
	for _, pr := range o.Props {
		if pr.Object != nil {
			return false
		}
	}
	for j := p.i + 1; j < len(p.toks) && p.toks[j].start < o.End; j++ {
		if p.toks[j].c0 < p.toks[j].c1 {
			return false
		}
	}
	return true
}
