package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// hover answers textDocument/hover.
func hover(ctx context.Context, q *docQuery, p *protocol.TextDocumentPositionParams) (any, error) {
	snap, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	pos := q.conv.offset(f.Source, p.Position)
	id := snap.identAt(f, pos)
	if id == nil {
		return hoverMacro(snap, f, pos, q.conv), nil
	}
	sub := snap.prog.SubAt(f, pos)
	md := hoverIdent(snap, f, id, sub)
	if md == "" {
		return nil, nil
	}
	r := q.conv.rng(f.Source, id.Range)
	return &protocol.Hover{Contents: protocol.MarkupContent{Kind: protocol.Markdown, Value: md}, Range: &r}, nil
}

// hoverIdent describes what an identifier denotes, in Markdown.
func hoverIdent(snap *snapshot, f *syntax.File, id *syntax.Ident, sub *analysis.Sub) string {
	if sym := snap.symbolOf(id); sym != nil {
		if sym.Kind == analysis.SymSub {
			if s := snap.prog.Subs[sym.Name]; s != nil && s.Builtin {
				return hoverBuiltinSub(s.Kind)
			}
		}
		return hoverSymbol(snap, sym)
	}
	switch ref := snap.prog.RefOf(id).(type) {
	case *catalog.Variable:
		return hoverVariable(id.Name, ref, sub)
	}
	if fn, ok := lookupFunction(id.Name); ok && isCallName(f, id) {
		return hoverFunction(fn, sub)
	}
	if k, ok := catalog.ParseSub(id.Name); ok && strings.HasPrefix(id.Name, "vcl_") {
		return hoverBuiltinSub(k)
	}
	if ret := returnActionAt(f, id); ret && sub != nil {
		return hoverReturnAction(id.Name, sub)
	}
	if t, ok := catalog.ParseType(id.Name); ok {
		return "```vcl\n" + t.String() + "\n```\nVCL type"
	}
	return ""
}

// isCallName reports whether id names the function of a call.
func isCallName(f *syntax.File, id *syntax.Ident) bool {
	path := syntax.PathTo(f, id.Start)
	for i := len(path) - 1; i >= 0; i-- {
		if call, ok := path[i].(*syntax.CallExpr); ok && call.Fn == id {
			return true
		}
	}
	return false
}

// returnActionAt reports whether id is the action of a return statement.
func returnActionAt(f *syntax.File, id *syntax.Ident) bool {
	path := syntax.PathTo(f, id.Start)
	for i := len(path) - 1; i >= 0; i-- {
		if r, ok := path[i].(*syntax.ReturnStmt); ok {
			return r.Action == id
		}
	}
	return false
}

func hoverVariable(name string, v *catalog.Variable, sub *analysis.Sub) string {
	var b strings.Builder
	fmt.Fprintf(&b, "```vcl\n%s %s\n```\n", v.Type, name)
	if name != v.Name {
		fmt.Fprintf(&b, "one of `%s`\n\n", v.Name)
	}
	if sub != nil && sub.Scopes != 0 {
		here := sub.Scopes.String()
		if !sub.Builtin {
			here = sub.Name + " (runs in " + here + ")"
		}
		fmt.Fprintf(&b, "In %s: read %s · set %s · unset %s\n\n", here,
			yesNo(sub.Scopes&^v.Read == 0 && v.Read != 0), yesNo(sub.Scopes&^v.Set == 0 && v.Set != 0), yesNo(sub.Scopes&^v.Unset == 0 && v.Unset != 0))
	}
	for _, a := range []struct {
		verb string
		set  catalog.SubSet
	}{{"Read", v.Read}, {"Set", v.Set}, {"Unset", v.Unset}} {
		if a.set == 0 {
			fmt.Fprintf(&b, "- %s: never\n", a.verb)
		} else if a.set == catalog.AllSubs {
			fmt.Fprintf(&b, "- %s: in every subroutine\n", a.verb)
		} else {
			fmt.Fprintf(&b, "- %s: %s\n", a.verb, a.set)
		}
	}
	if v.Deprecated {
		b.WriteString("\n**Deprecated.**\n")
	}
	if v.Description != "" {
		b.WriteString("\n" + v.Description + "\n")
	}
	if v.Link != "" {
		fmt.Fprintf(&b, "\n[Fastly reference](%s)", v.Link)
	}
	return b.String()
}

func yesNo(ok bool) string {
	if ok {
		return "✓"
	}
	return "✗"
}

func hoverFunction(fn *catalog.Function, sub *analysis.Sub) string {
	var b strings.Builder
	b.WriteString("```vcl\n")
	for i := range fn.Overloads {
		sig := &fn.Overloads[i]
		fmt.Fprintf(&b, "%s %s%s\n", sig.Return, fn.Name, sig.String()[len(sig.Return.String())+1:])
	}
	b.WriteString("```\n")
	if fn.Subs == catalog.AllSubs {
		b.WriteString("Available in every subroutine.\n")
	} else {
		fmt.Fprintf(&b, "Available in %s.\n", fn.Subs)
	}
	if sub != nil && sub.Scopes != 0 && sub.Scopes&^fn.Subs != 0 {
		fmt.Fprintf(&b, "\n**Not available in %s.**\n", (sub.Scopes &^ fn.Subs).String())
	}
	if fn.Deprecated {
		b.WriteString("\n**Deprecated.**\n")
	}
	if fn.Description != "" {
		b.WriteString("\n" + fn.Description + "\n")
	}
	if fn.Link != "" {
		fmt.Fprintf(&b, "\n[Fastly reference](%s)", fn.Link)
	}
	return b.String()
}

func hoverBuiltinSub(k catalog.Sub) string {
	info := catalog.SubInfoOf(k)
	var b strings.Builder
	fmt.Fprintf(&b, "```vcl\nsub %s\n```\n", k.VCLName())
	fmt.Fprintf(&b, "Runs on the **%s** node.\n\n", info.Node)
	fmt.Fprintf(&b, "Valid returns: %s (default: `%s`)\n", codeList(info.Returns), info.DefaultReturn)
	if info.Description != "" {
		b.WriteString("\n" + info.Description + "\n")
	}
	if info.Link != "" {
		fmt.Fprintf(&b, "\n[Fastly reference](%s)", info.Link)
	}
	return b.String()
}

func hoverReturnAction(action string, sub *analysis.Sub) string {
	if sub.Scopes == 0 {
		return "return action `" + action + "`"
	}
	var ok, bad []string
	for _, k := range sub.Scopes.Subs() {
		if catalog.ValidReturn(k, action) {
			ok = append(ok, k.VCLName())
		} else {
			bad = append(bad, k.VCLName())
		}
	}
	s := "return action `" + action + "`"
	if len(ok) > 0 {
		s += "\n\nvalid in " + strings.Join(ok, ", ")
	}
	if len(bad) > 0 {
		s += "\n\n**not valid in " + strings.Join(bad, ", ") + "**"
	}
	return s
}

func codeList(words []string) string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = "`" + w + "`"
	}
	return strings.Join(out, ", ")
}

// hoverSymbol shows a user symbol's declaration.
func hoverSymbol(snap *snapshot, sym *analysis.Symbol) string {
	var b strings.Builder
	if sym.External {
		fmt.Fprintf(&b, "```vcl\n%s %s\n```\nDeclared in %s (it lives in the Fastly service).", sym.Kind, sym.Name, configFileName)
		return b.String()
	}
	b.WriteString("```vcl\n")
	b.WriteString(declarationText(sym))
	b.WriteString("\n```\n")
	switch sym.Kind {
	case analysis.SymSub:
		if s := snap.prog.Subs[sym.Name]; s != nil {
			if s.Scopes != 0 {
				fmt.Fprintf(&b, "Runs in %s.\n\n", s.Scopes)
			}
			var callers []string
			seen := map[string]bool{}
			for _, c := range s.Callers {
				if !seen[c.Name] {
					seen[c.Name] = true
					callers = append(callers, c.Name)
				}
			}
			if len(callers) > 0 {
				fmt.Fprintf(&b, "Called from %s.\n\n", strings.Join(callers, ", "))
			}
		}
	case analysis.SymLocal, analysis.SymParam, analysis.SymLabel:
		if sym.Owner != nil {
			fmt.Fprintf(&b, "%s of %s.\n\n", capitalize(sym.Kind.String()), sym.Owner.Name)
		}
	}
	if sym.NameLoc.File != nil {
		pos := sym.NameLoc.File.Position(sym.NameLoc.Range.Start)
		fmt.Fprintf(&b, "Declared in %s:%d; used %d time(s).", filepath.Base(sym.NameLoc.File.Name), pos.Line, len(snap.refsOf(sym)))
	}
	return b.String()
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// maxDeclLines bounds how much of a declaration a hover shows.
const maxDeclLines = 12

// declarationText renders the source of a symbol's declaration: the
// header of a subroutine, the statement of a local, a short declaration
// whole.
func declarationText(sym *analysis.Symbol) string {
	src := sym.NameLoc.File
	if src == nil || sym.Decl == nil {
		return sym.Kind.String() + " " + sym.Name
	}
	r := sym.Decl.Span()
	switch d := sym.Decl.(type) {
	case *syntax.SubDecl:
		end := d.Name.End
		if d.Body != nil {
			end = d.Body.Start
		}
		return strings.TrimSpace(src.Slice(syntax.Range{Start: d.Start, End: end}))
	case *syntax.Param:
		return strings.TrimSpace(src.Slice(r))
	case *syntax.LabelStmt:
		return d.Label.Name + ":"
	}
	text := src.Slice(r)
	lines := strings.Split(text, "\n")
	if len(lines) > maxDeclLines {
		lines = append(lines[:maxDeclLines-1], "  …", lines[len(lines)-1])
	}
	return dedent(lines)
}

// dedent removes the indentation the continuation lines share.
func dedent(lines []string) string {
	common := -1
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	if common > 0 {
		for i := 1; i < len(lines); i++ {
			if len(lines[i]) >= common {
				lines[i] = lines[i][common:]
			}
		}
	}
	return strings.Join(lines, "\n")
}

// hoverMacro explains a #FASTLY macro under the cursor.
func hoverMacro(snap *snapshot, f *syntax.File, pos syntax.Pos, conv posConv) *protocol.Hover {
	for _, c := range f.Comments {
		if c.Start <= pos && pos <= c.End && syntax.IsMacroText(c.Text) {
			word := strings.TrimSpace(c.Text[strings.Index(strings.ToUpper(c.Text), "FASTLY")+len("FASTLY"):])
			k, ok := catalog.ParseSub(word)
			if !ok {
				return nil
			}
			r := conv.rng(f.Source, c.Range)
			md := fmt.Sprintf("`#FASTLY %s`: Fastly replaces this line with the code it generates for %s (backend selection, default TTLs, request settings from the UI).", k, k.VCLName())
			return &protocol.Hover{Contents: protocol.MarkupContent{Kind: protocol.Markdown, Value: md}, Range: &r}
		}
	}
	return nil
}
