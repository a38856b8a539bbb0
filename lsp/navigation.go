package lsp

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// definition answers textDocument/definition (and declaration): the
// declaration of a user symbol, or the file an include line loads.
func definition(ctx context.Context, q *docQuery, p *protocol.TextDocumentPositionParams) (any, error) {
	snap, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	pos := q.conv.offset(f.Source, p.Position)
	if inc := includeAt(snap, f, pos); inc != nil {
		return []protocol.Location{{URI: q.s.sess.uriOf(inc.Source.Name)}}, nil
	}
	id := snap.identAt(f, pos)
	if id == nil {
		return nil, nil
	}
	sym := snap.symbolOf(id)
	if sym == nil || sym.External || sym.NameLoc.File == nil {
		return nil, nil
	}
	return []protocol.Location{q.location(sym.NameLoc)}, nil
}

// includeAt returns the file loaded by the include line under pos.
func includeAt(snap *snapshot, f *syntax.File, pos syntax.Pos) *syntax.File {
	for _, n := range syntax.PathTo(f, pos) {
		switch n := n.(type) {
		case *syntax.IncludeDecl:
			return snap.prog.Includes[n]
		case *syntax.IncludeStmt:
			return snap.prog.Includes[n]
		}
	}
	return nil
}

// location converts an analysis location.
func (q *docQuery) location(l analysis.Location) protocol.Location {
	return protocol.Location{URI: q.s.sess.uriOf(l.File.Name), Range: q.conv.rng(l.File, l.Range)}
}

// refLoc is a location by path, used to merge results across snapshots.
type refLoc struct {
	src  *syntax.Source
	rng  syntax.Range
	decl bool
}

// globalKinds are the symbols that live across files (and so across the
// workspace), as opposed to locals, parameters and labels.
func globalKind(k analysis.SymbolKind) bool {
	switch k {
	case analysis.SymLocal, analysis.SymParam, analysis.SymLabel:
		return false
	}
	return true
}

// sameKindClass reports whether two kinds denote the same namespace
// (backends and directors are used interchangeably).
func sameKindClass(a, b analysis.SymbolKind) bool {
	norm := func(k analysis.SymbolKind) analysis.SymbolKind {
		if k == analysis.SymDirector {
			return analysis.SymBackend
		}
		return k
	}
	return norm(a) == norm(b)
}

// undefinedCodes map a symbol kind to the diagnostic an unresolved use of
// it gets.
func undefinedCode(k analysis.SymbolKind) string {
	switch k {
	case analysis.SymBackend, analysis.SymDirector:
		return analysis.CodeUndefinedBackend
	case analysis.SymACL:
		return analysis.CodeUndefinedACL
	case analysis.SymTable:
		return analysis.CodeUndefinedTable
	case analysis.SymSub:
		return analysis.CodeUnknownSub
	}
	return analysis.CodeUndefinedObject
}

// occurrences lists every place a symbol is written: its declaration and
// its uses in the snapshot, and for a global also in every other program of
// the workspace that mentions it.
func (q *docQuery) occurrences(ctx context.Context, snap *snapshot, sym *analysis.Symbol) ([]refLoc, error) {
	seen := map[string]bool{}
	var out []refLoc
	add := func(src *syntax.Source, r syntax.Range, decl bool) {
		if src == nil {
			return
		}
		key := fmt.Sprintf("%s:%d:%d", src.Name, r.Start, r.End)
		if seen[key] {
			return
		}
		seen[key] = true
		out = append(out, refLoc{src: src, rng: r, decl: decl})
	}
	collect := func(s *snapshot, sy *analysis.Symbol) {
		if !sy.External {
			add(sy.NameLoc.File, sy.NameLoc.Range, true)
		}
		for _, l := range s.refsOf(sy) {
			add(l.File, l.Range, false)
		}
	}
	collect(snap, sym)
	if globalKind(sym.Kind) {
		covered := snap.deps()
		for _, path := range q.s.sess.index.uses(sym.Name) {
			if covered[path] {
				continue
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			other := q.s.sess.snapshotOf(q.s.sess.viewFor(path), path)
			if other == nil {
				continue
			}
			for p := range other.deps() {
				covered[p] = true
			}
			if os := otherSymbol(other, sym); os != nil {
				collect(other, os)
				continue
			}
			// Unresolved uses: the diagnostics that name it.
			code := undefinedCode(sym.Kind)
			for _, d := range other.prog.Diagnostics {
				if d.Code != code {
					continue
				}
				if d.Data["name"] == sym.Name || (code == analysis.CodeUnknownSub && d.File.Slice(d.Range) == sym.Name) {
					add(d.File, d.Range, false)
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].src.Name != out[j].src.Name {
			return out[i].src.Name < out[j].src.Name
		}
		return out[i].rng.Start < out[j].rng.Start
	})
	return out, nil
}

// otherSymbol finds the symbol of the same name and kind in another
// snapshot.
func otherSymbol(s *snapshot, sym *analysis.Symbol) *analysis.Symbol {
	if sym.Kind == analysis.SymSub {
		if sub := s.prog.Subs[sym.Name]; sub != nil {
			return sub.Symbol
		}
		return nil
	}
	if g := s.prog.Globals[sym.Name]; g != nil && sameKindClass(g.Kind, sym.Kind) {
		return g
	}
	return nil
}

// references answers textDocument/references.
func references(ctx context.Context, q *docQuery, p *protocol.ReferenceParams) (any, error) {
	snap, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	id := snap.identAt(f, q.conv.offset(f.Source, p.Position))
	if id == nil {
		return nil, nil
	}
	sym := snap.symbolOf(id)
	if sym == nil {
		return nil, nil
	}
	occ, err := q.occurrences(ctx, snap, sym)
	if err != nil {
		return nil, err
	}
	out := []protocol.Location{}
	for _, o := range occ {
		if o.decl && !p.Context.IncludeDeclaration {
			continue
		}
		out = append(out, protocol.Location{URI: q.s.sess.uriOf(o.src.Name), Range: q.conv.rng(o.src, o.rng)})
	}
	return out, nil
}

// documentHighlight answers textDocument/documentHighlight: the symbol's
// occurrences in this file (declaration as a write).
func documentHighlight(ctx context.Context, q *docQuery, p *protocol.TextDocumentPositionParams) (any, error) {
	snap, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	id := snap.identAt(f, q.conv.offset(f.Source, p.Position))
	if id == nil {
		return nil, nil
	}
	sym := snap.symbolOf(id)
	out := []protocol.DocumentHighlight{}
	if sym == nil {
		// Predefined variables: highlight the same name in this file.
		if _, ok := snap.prog.RefOf(id).(*catalog.Variable); !ok {
			return nil, nil
		}
		for _, other := range snap.identsOf(f) {
			if other.Name == id.Name {
				out = append(out, protocol.DocumentHighlight{Range: q.conv.rng(f.Source, other.Range), Kind: protocol.DocumentHighlightKindRead})
			}
		}
		return out, nil
	}
	if sym.NameLoc.File == f.Source {
		out = append(out, protocol.DocumentHighlight{Range: q.conv.rng(f.Source, sym.NameLoc.Range), Kind: protocol.DocumentHighlightKindWrite})
	}
	for _, l := range snap.refsOf(sym) {
		if l.File == f.Source {
			out = append(out, protocol.DocumentHighlight{Range: q.conv.rng(f.Source, l.Range), Kind: protocol.DocumentHighlightKindRead})
		}
	}
	return out, nil
}

// renameTarget finds the symbol to rename at pos, or explains why there is
// none.
func renameTarget(snap *snapshot, f *syntax.File, pos syntax.Pos) (*syntax.Ident, *analysis.Symbol, error) {
	id := snap.identAt(f, pos)
	if id == nil {
		return nil, nil, nil
	}
	sym := snap.symbolOf(id)
	if sym == nil {
		switch ref := snap.prog.RefOf(id).(type) {
		case *catalog.Variable:
			return id, nil, rpcError(codeRequestFailed, fmt.Sprintf("%s is a predefined Fastly variable and cannot be renamed", ref.Name))
		}
		if _, ok := catalog.LookupFunction(id.Name); ok {
			return id, nil, rpcError(codeRequestFailed, fmt.Sprintf("%s is a builtin Fastly function and cannot be renamed", id.Name))
		}
		if _, ok := catalog.ParseSub(id.Name); ok && strings.HasPrefix(id.Name, "vcl_") {
			return id, nil, rpcError(codeRequestFailed, fmt.Sprintf("%s is a predefined Fastly subroutine and cannot be renamed", id.Name))
		}
		return id, nil, rpcError(codeRequestFailed, fmt.Sprintf("%s is not a name declared in this VCL, so it cannot be renamed", id.Name))
	}
	if sym.Kind == analysis.SymSub {
		if s := snap.prog.Subs[sym.Name]; s != nil && s.Builtin {
			return id, nil, rpcError(codeRequestFailed, fmt.Sprintf("%s is a predefined Fastly subroutine and cannot be renamed", sym.Name))
		}
	}
	if sym.External {
		return id, nil, rpcError(codeRequestFailed, fmt.Sprintf("%s is declared in %s, not in VCL: rename it there", sym.Name, configFileName))
	}
	return id, sym, nil
}

// prepareRename answers textDocument/prepareRename.
func prepareRename(ctx context.Context, q *docQuery, p *protocol.TextDocumentPositionParams) (any, error) {
	snap, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	id, sym, err := renameTarget(snap, f, q.conv.offset(f.Source, p.Position))
	if err != nil {
		return nil, err
	}
	if sym == nil {
		return nil, nil
	}
	return &prepareRenameResult{Range: q.conv.rng(f.Source, id.Range), Placeholder: id.Name}, nil
}

// rename answers textDocument/rename with edits across every file that
// mentions the symbol.
func rename(ctx context.Context, q *docQuery, p *protocol.RenameParams) (any, error) {
	snap, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	_, sym, err := renameTarget(snap, f, q.conv.offset(f.Source, p.Position))
	if err != nil {
		return nil, err
	}
	if sym == nil {
		return nil, rpcError(codeRequestFailed, "there is no renamable name at this position")
	}
	if err := checkNewName(snap, sym, p.NewName); err != nil {
		return nil, err
	}
	occ, err := q.occurrences(ctx, snap, sym)
	if err != nil {
		return nil, err
	}
	edit := &protocol.WorkspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{}}
	for _, o := range occ {
		uri := q.s.sess.uriOf(o.src.Name)
		edit.Changes[uri] = append(edit.Changes[uri], protocol.TextEdit{Range: q.conv.rng(o.src, o.rng), NewText: p.NewName})
	}
	return edit, nil
}

// checkNewName refuses names that are not identifiers, that break a
// convention the language imposes, or that collide with another name.
func checkNewName(snap *snapshot, sym *analysis.Symbol, name string) error {
	fail := func(format string, args ...any) error {
		return rpcError(codeRequestFailed, fmt.Sprintf(format, args...))
	}
	sc := syntax.NewScanner(name, nil)
	t := sc.Next()
	if name == "" || t.Kind != syntax.IDENT || t.Text != name || sc.Next().Kind != syntax.EOF {
		return fail("%q is not a valid VCL name", name)
	}
	if name == sym.Name {
		return fail("%s already has that name", sym.Name)
	}
	switch sym.Kind {
	case analysis.SymLocal, analysis.SymParam:
		if !strings.HasPrefix(name, "var.") || len(name) <= len("var.") || strings.Count(name, ".") != 1 {
			return fail("local variables are named var.NAME, so %q cannot be used", name)
		}
		if sym.Owner != nil {
			if _, ok := sym.Owner.Locals[name]; ok {
				return fail("%s is already declared in %s", name, sym.Owner.Name)
			}
		}
		return nil
	case analysis.SymLabel:
		if strings.ContainsAny(name, ".-:") {
			return fail("a label is a plain name, not %q", name)
		}
		if sym.Owner != nil {
			if _, ok := sym.Owner.Labels[name]; ok {
				return fail("label %s already exists in %s", name, sym.Owner.Name)
			}
		}
		return nil
	}
	if strings.ContainsAny(name, ".:") {
		return fail("%s names cannot contain '.' or ':' (%q)", sym.Kind, name)
	}
	if _, ok := catalog.LookupVariable(name); ok {
		return fail("%s is a predefined Fastly variable", name)
	}
	if _, ok := catalog.LookupFunction(name); ok {
		return fail("%s is a builtin Fastly function", name)
	}
	if sym.Kind == analysis.SymSub {
		if strings.HasPrefix(name, "vcl_") {
			return fail("names starting with vcl_ are reserved for Fastly's subroutines")
		}
		if _, ok := snap.prog.Subs[name]; ok {
			return fail("subroutine %s already exists", name)
		}
		return nil
	}
	if g, ok := snap.prog.Globals[name]; ok {
		return fail("%s is already declared as %s", name, catalog.WithArticle(g.Kind.String()))
	}
	return nil
}
