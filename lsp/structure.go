package lsp

import (
	"context"
	"sort"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// maxChildSymbols bounds the children listed under one declaration (huge
// tables and ACLs).
const maxChildSymbols = 500

// documentSymbols answers textDocument/documentSymbol with a tree:
// declarations, and under them properties, entries, locals and labels.
func documentSymbols(ctx context.Context, q *docQuery, p *protocol.DocumentSymbolParams) (any, error) {
	snap, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	src := f.Source
	sym := func(name, detail string, kind protocol.SymbolKind, r, sel syntax.Range) protocol.DocumentSymbol {
		if name == "" {
			name = "(unnamed)"
		}
		if sel.Start < r.Start || sel.End > r.End {
			sel = r
		}
		return protocol.DocumentSymbol{Name: name, Detail: detail, Kind: kind, Range: q.conv.rng(src, r), SelectionRange: q.conv.rng(src, sel)}
	}
	props := func(obj *syntax.Object) []protocol.DocumentSymbol {
		if obj == nil {
			return nil
		}
		var out []protocol.DocumentSymbol
		for _, pr := range obj.Props {
			if pr.Name == nil || len(out) >= maxChildSymbols {
				continue
			}
			child := sym("."+pr.Name.Name, "", protocol.SymbolKindProperty, pr.Range, pr.Name.Range)
			if pr.Value != nil {
				child.Detail = oneLine(src.Slice(pr.Value.Span()))
			}
			if pr.Object != nil {
				for _, c := range pr.Object.Props {
					if c.Name != nil {
						child.Children = append(child.Children, sym("."+c.Name.Name, "", protocol.SymbolKindProperty, c.Range, c.Name.Range))
					}
				}
			}
			out = append(out, child)
		}
		return out
	}
	out := []protocol.DocumentSymbol{}
	for _, d := range f.Decls {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		switch d := d.(type) {
		case *syntax.SubDecl:
			detail := "subroutine"
			if s := snap.prog.Subs[d.Name.Name]; s != nil {
				if s.Builtin {
					detail = catalog.SubInfoOf(s.Kind).Node + " node"
				} else if s.ReturnT != catalog.TypeUnknown {
					detail = "returns " + s.ReturnT.String()
				}
			}
			ds := sym(d.Name.Name, detail, protocol.SymbolKindFunction, d.Range, d.Name.Range)
			if s := snap.prog.Subs[d.Name.Name]; s != nil && s.Decl == d {
				ds.Children = subChildren(s, src, sym)
			}
			out = append(out, ds)
		case *syntax.BackendDecl:
			ds := sym(d.Name.Name, "backend", protocol.SymbolKindObject, d.Range, d.Name.Range)
			ds.Children = props(d.Body)
			out = append(out, ds)
		case *syntax.DirectorDecl:
			kind := ""
			if d.Kind != nil {
				kind = d.Kind.Name
			}
			ds := sym(d.Name.Name, "director "+kind, protocol.SymbolKindObject, d.Range, d.Name.Range)
			ds.Children = props(&syntax.Object{Props: d.Props})
			for _, m := range d.Members {
				label := "member"
				for _, pr := range m.Props {
					if pr.Name != nil && pr.Name.Name == "backend" && pr.Value != nil {
						label = oneLine(src.Slice(pr.Value.Span()))
					}
				}
				child := sym(label, "member", protocol.SymbolKindField, m.Range, m.Range)
				child.Children = props(m)
				ds.Children = append(ds.Children, child)
			}
			out = append(out, ds)
		case *syntax.ACLDecl:
			ds := sym(d.Name.Name, "acl", protocol.SymbolKindArray, d.Range, d.Name.Range)
			for i, e := range d.Entries {
				if i >= maxChildSymbols || e.Addr == nil {
					break
				}
				ds.Children = append(ds.Children, sym(oneLine(src.Slice(e.Range)), "", protocol.SymbolKindConstant, e.Range, e.Addr.Range))
			}
			out = append(out, ds)
		case *syntax.TableDecl:
			detail := "table"
			if d.ValueType != nil {
				detail += " " + d.ValueType.Name
			}
			ds := sym(d.Name.Name, detail, protocol.SymbolKindStruct, d.Range, d.Name.Range)
			for i, e := range d.Entries {
				if i >= maxChildSymbols || e.Key == nil {
					break
				}
				ds.Children = append(ds.Children, sym(e.Key.Value, "", protocol.SymbolKindKey, e.Range, e.Key.Range))
			}
			out = append(out, ds)
		case *syntax.PenaltyboxDecl:
			out = append(out, sym(d.Name.Name, "penaltybox", protocol.SymbolKindObject, d.Range, d.Name.Range))
		case *syntax.RatecounterDecl:
			out = append(out, sym(d.Name.Name, "ratecounter", protocol.SymbolKindObject, d.Range, d.Name.Range))
		case *syntax.IncludeDecl:
			if d.Path != nil {
				out = append(out, sym(d.Path.Value, "include", protocol.SymbolKindFile, d.Range, d.Path.Range))
			}
		case *syntax.ImportDecl:
			out = append(out, sym(d.Name.Name, "import", protocol.SymbolKindModule, d.Range, d.Name.Range))
		}
	}
	if f.Snippet != nil {
		if s := snap.prog.SnippetSub(f); s != nil {
			out = append(out, subChildren(s, src, sym)...)
		}
	}
	return out, nil
}

// subChildren lists a subroutine's parameters, locals and labels declared
// in the file.
func subChildren(s *analysis.Sub, src *syntax.Source, sym func(string, string, protocol.SymbolKind, syntax.Range, syntax.Range) protocol.DocumentSymbol) []protocol.DocumentSymbol {
	var out []protocol.DocumentSymbol
	var locals []*analysis.Symbol
	for _, l := range s.Locals {
		locals = append(locals, l)
	}
	for _, l := range s.Labels {
		locals = append(locals, l)
	}
	sort.Slice(locals, func(i, j int) bool { return locals[i].NameLoc.Range.Start < locals[j].NameLoc.Range.Start })
	for _, l := range locals {
		if l.NameLoc.File != src || l.Decl == nil {
			continue
		}
		kind := protocol.SymbolKindVariable
		detail := l.Type.String()
		if l.Kind == analysis.SymLabel {
			kind, detail = protocol.SymbolKindKey, "label"
		}
		out = append(out, sym(l.Name, detail, kind, l.Decl.Span(), l.NameLoc.Range))
	}
	return out
}

// oneLine shortens source text to one line for a symbol's name or detail.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

// foldingRanges answers textDocument/foldingRange: declarations, blocks,
// nested objects, multi-line strings and runs of line comments.
func foldingRanges(ctx context.Context, q *docQuery, p *protocol.FoldingRangeParams) (any, error) {
	_, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	src := f.Source
	out := []protocol.FoldingRange{}
	add := func(r syntax.Range, kind protocol.FoldingRangeKind) {
		start := src.Position(r.Start).Line - 1
		end := src.Position(r.End).Line - 1
		// Keep the closing line visible when it holds only the brace.
		if r.End > r.Start && src.Byte(r.End-1) == '}' { // the range's last byte, in its own chunk
			end--
		}
		if end > start {
			out = append(out, protocol.FoldingRange{StartLine: uint32(start), EndLine: uint32(end), Kind: kind})
		}
	}
	syntax.Inspect(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.File:
			return true
		case syntax.Decl:
			add(n.Span(), protocol.RegionFoldingRange)
		case *syntax.Block:
			add(n.Range, protocol.RegionFoldingRange)
		case *syntax.Object:
			add(n.Range, protocol.RegionFoldingRange)
		case *syntax.StringLit:
			if n.Long {
				add(n.Range, protocol.RegionFoldingRange)
			}
		}
		return true
	})
	// Runs of line comments, and block comments.
	runStart, runEnd, prevLine := -1, -1, -2
	flush := func() {
		if runStart >= 0 && runEnd > runStart {
			out = append(out, protocol.FoldingRange{StartLine: uint32(runStart), EndLine: uint32(runEnd), Kind: protocol.CommentFoldingRange})
		}
		runStart = -1
	}
	for _, c := range f.Comments {
		line := src.Position(c.Start).Line - 1
		if strings.HasPrefix(c.Text, "/*") {
			flush()
			end := src.Position(c.End).Line - 1
			if end > line {
				out = append(out, protocol.FoldingRange{StartLine: uint32(line), EndLine: uint32(end), Kind: protocol.CommentFoldingRange})
			}
			prevLine = -2
			continue
		}
		if syntax.IsMacroText(c.Text) || !onlyCommentOnLine(src, c) {
			flush()
			prevLine = -2
			continue
		}
		if line != prevLine+1 {
			flush()
			runStart = line
		}
		runEnd, prevLine = line, line
	}
	flush()
	return out, nil
}

// onlyCommentOnLine reports whether a comment starts its line.
func onlyCommentOnLine(src *syntax.Source, c *syntax.Comment) bool {
	line := src.Position(c.Start).Line - 1
	return strings.TrimSpace(src.Slice(syntax.Range{Start: src.LineStart(line), End: c.Start})) == ""
}

// selectionRanges answers textDocument/selectionRange: from the innermost
// node at each position out to the whole file.
func selectionRanges(ctx context.Context, q *docQuery, p *protocol.SelectionRangeParams) (any, error) {
	_, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	out := make([]*protocol.SelectionRange, 0, len(p.Positions))
	for _, lp := range p.Positions {
		pos := q.conv.offset(f.Source, lp)
		path := syntax.PathTo(f, pos)
		var sr *protocol.SelectionRange
		var last syntax.Range
		first := true
		for i, n := range path {
			if innerLink(path, i) {
				continue
			}
			r := n.Span()
			if !first && r == last {
				continue
			}
			first = false
			last = r
			sr = &protocol.SelectionRange{Range: q.conv.rng(f.Source, r), Parent: sr}
		}
		if sr == nil {
			p := q.conv.position(f.Source, pos)
			sr = &protocol.SelectionRange{Range: protocol.Range{Start: p, End: p}}
		}
		out = append(out, sr)
	}
	return out, nil
}

// innerLink reports whether path[i] is an inner link of an operator chain
// (a + b + c nests as ((a + b) + c)): selection then goes from an operand
// straight to the whole chain, as for a flat list, instead of through one
// range per link (a million nested ranges for a million operands).
// Operators of another precedence (a && b inside a || chain) keep their
// own level.
func innerLink(path []syntax.Node, i int) bool {
	b, ok := path[i].(*syntax.BinaryExpr)
	if !ok || i == 0 {
		return false
	}
	parent, ok := path[i-1].(*syntax.BinaryExpr)
	return ok && parent.X == b && precedence(parent.Op) == precedence(b.Op)
}

// precedence groups the binary operators by binding strength.
func precedence(op syntax.Token) int {
	switch op {
	case syntax.LOR:
		return 1
	case syntax.LAND:
		return 2
	case syntax.PLUS, syntax.MINUS:
		return 4
	case syntax.STAR, syntax.SLASH, syntax.PERCENT:
		return 5
	}
	return 3 // comparisons and matches
}

// inlayHints answers textDocument/inlayHint: the node a vcl_* subroutine
// runs on after its name, and the type of each declared local.
func inlayHints(ctx context.Context, q *docQuery, p *inlayHintParams) (any, error) {
	snap, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	src := f.Source
	lo := q.conv.offset(src, p.Range.Start)
	hi := q.conv.offset(src, p.Range.End)
	if p.Range == (protocol.Range{}) {
		hi = src.End()
	}
	out := []InlayHint{}
	syntax.Inspect(f, func(n syntax.Node) bool {
		r := n.Span()
		if _, isFile := n.(*syntax.File); !isFile && (r.End < lo || r.Start > hi) {
			return false
		}
		switch n := n.(type) {
		case *syntax.SubDecl:
			if s := snap.prog.Subs[n.Name.Name]; s != nil && s.Builtin && s.Decl == n {
				info := catalog.SubInfoOf(s.Kind)
				out = append(out, InlayHint{
					Position:    q.conv.position(src, n.Name.End),
					Label:       info.Node,
					Kind:        inlayHintType,
					Tooltip:     n.Name.Name + " runs on the " + info.Node + " node",
					PaddingLeft: true,
				})
			}
		case *syntax.DeclareStmt:
			if n.Name != nil && n.Name.Name != "" {
				out = append(out, InlayHint{
					Position:    q.conv.position(src, n.Name.End),
					Label:       ": " + n.VarType.String(),
					Kind:        inlayHintType,
					Tooltip:     n.Name.Name + " is " + n.VarType.String(),
					PaddingLeft: false,
				})
			}
			return false
		case syntax.Expr:
			return false
		}
		return true
	})
	return out, nil
}
