package lsp

import (
	"strings"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// This file works out what the cursor is in the middle of, from the tokens
// of the project's scanner between the start of the enclosing declaration
// and the cursor (the syntax tree alone cannot say much about half-typed
// code).

// cursorKind classifies a completion position.
type cursorKind int

const (
	curNone        cursorKind = iota // nothing to offer (inside a string, after a literal, …)
	curComment                       // in a comment: only the #FASTLY macro
	curTopLevel                      // start of a top-level declaration
	curSubName                       // after `sub `
	curStatement                     // start of a statement in a body
	curSetTarget                     // after set / add
	curUnsetTarget                   // after unset / remove
	curDeclare                       // after declare
	curDeclareType                   // after declare local var.x
	curReturn                        // after return / return(
	curCall                          // after call
	curGoto                          // after goto
	curACL                           // after ~ or !~
	curExpr                          // in an expression
)

// cursorContext is what the completion and signature help handlers need to
// know about a position.
type cursorContext struct {
	kind cursorKind
	// prefix is the partial name before the cursor and start where it
	// begins (start == cursor when nothing is typed).
	prefix string
	start  syntax.Pos
	// comment is the comment text before the cursor (curComment) and
	// commentStart where it begins.
	comment      string
	commentStart syntax.Pos
	// sub is the enclosing subroutine (nil at top level).
	sub *analysis.Sub
	// want is the type the expression should have when known (the target
	// of `set X =`, a function parameter).
	want catalog.Type
	// call is the innermost unclosed function call around the cursor.
	call *callSite
	// inDecl is the enclosing non-subroutine declaration (backend, table…).
	inDecl syntax.Decl
}

// callSite is an unclosed call: its function name, the position of its
// '(' and the index of the argument the cursor is in.
type callSite struct {
	name   string
	lparen syntax.Pos
	arg    int
}

// scanStart returns where scanning for the context of pos may begin: the
// start of the declaration around pos, or the end of the one before it.
func scanStart(f *syntax.File, pos syntax.Pos) (syntax.Pos, syntax.Decl) {
	start := syntax.Pos(0)
	for _, d := range f.Decls {
		r := d.Span()
		if r.Start <= pos && pos <= r.End {
			if r.End == pos && endsWithBrace(f.Source, r) {
				start = r.End
				continue
			}
			return r.Start, d
		}
		if r.End <= pos {
			start = r.End
		}
	}
	return start, nil
}

func endsWithBrace(src *syntax.Source, r syntax.Range) bool {
	if r.End <= r.Start {
		return false
	}
	last := src.Byte(r.End - 1) // the range's last byte, in its own chunk
	return last == '}' || last == ';'
}

// tokensBefore scans the text from start to pos and returns its tokens
// (comments included), with their positions in src. The stretch may cross
// chunks of a chunked file, so positions are mapped through offsets.
func tokensBefore(src *syntax.Source, start, pos syntax.Pos) []syntax.Tok {
	if start > pos {
		start = pos
	}
	base := src.Offset(start)
	sc := syntax.NewScanner(src.Slice(syntax.Range{Start: start, End: pos}), nil)
	var toks []syntax.Tok
	for {
		t := sc.Next()
		if t.Kind == syntax.EOF {
			break
		}
		t.Start = src.PosOf(base + int(t.Start))
		t.End = src.PosOf(base + int(t.End))
		toks = append(toks, t)
	}
	return toks
}

// analyzeCursor works out the context of pos in f.
func analyzeCursor(prog *analysis.Program, f *syntax.File, pos syntax.Pos) *cursorContext {
	pos = clampPos(f.Source, pos)
	start, decl := scanStart(f, pos)
	cc := &cursorContext{start: pos, sub: prog.SubAt(f, pos)}
	if decl != nil {
		if _, isSub := decl.(*syntax.SubDecl); !isSub {
			cc.inDecl = decl
		}
	}
	toks := tokensBefore(f.Source, start, pos)

	// Inside a comment or a string?
	if n := len(toks); n > 0 {
		last := toks[n-1]
		if last.End == pos {
			switch last.Kind {
			case syntax.COMMENT, syntax.MACRO:
				if strings.HasPrefix(last.Text, "#") || strings.HasPrefix(last.Text, "//") {
					cc.kind = curComment
					cc.comment = last.Text
					cc.commentStart = last.Start
					return cc
				}
				if !strings.HasSuffix(last.Text, "*/") {
					cc.kind = curNone // inside a block comment
					return cc
				}
			case syntax.STRING:
				if len(last.Text) < 2 || !strings.HasSuffix(last.Text, "\"") {
					return cc // inside a string
				}
			case syntax.LSTRING:
				if !strings.HasSuffix(last.Text, "\"}") {
					return cc
				}
			}
		}
	}
	// Significant tokens only.
	sig := toks[:0:0]
	for _, t := range toks {
		if t.Kind != syntax.COMMENT {
			sig = append(sig, t)
		}
	}
	// The partial name: adjacent IDENT . - : tokens ending at the cursor.
	i := len(sig)
	for i > 0 {
		t := sig[i-1]
		end := pos
		if i < len(sig) {
			end = sig[i].Start
		}
		if t.End != end {
			break
		}
		if t.Kind != syntax.IDENT && t.Kind != syntax.DOT && t.Kind != syntax.MINUS && t.Kind != syntax.COLON {
			break
		}
		i--
	}
	// The name must start with an identifier (or a dot for a property).
	for i < len(sig) && sig[i].Kind != syntax.IDENT && !(sig[i].Kind == syntax.DOT && cc.inDecl != nil) {
		i++
	}
	if i < len(sig) {
		cc.start = sig[i].Start
		cc.prefix = f.Source.Slice(syntax.Range{Start: cc.start, End: pos})
	}
	before := sig[:i]
	if len(before) > 0 && cc.prefix == "" && before[len(before)-1].End == pos {
		// Right after a literal or an operator with no space: `10s|`.
		switch before[len(before)-1].Kind {
		case syntax.STRING, syntax.LSTRING, syntax.INT, syntax.FLOAT, syntax.DURATION, syntax.IPADDR, syntax.RPAREN:
			return cc
		}
	}

	stmt := currentStatement(before)
	if len(stmt) > 0 && stmt[0].Kind == syntax.IDENT && stmt[0].Text == "else" {
		stmt = stmt[1:]
	}
	if len(stmt) == 2 && stmt[0].Kind == syntax.IDENT && stmt[1].Kind == syntax.COLON {
		stmt = nil // after a label
	}

	if cc.inDecl != nil {
		cc.kind = curNone
		return cc
	}
	if len(stmt) == 1 && stmt[0].Kind == syntax.IDENT && stmt[0].Text == "sub" {
		// Naming a subroutine (the parser already sees a sub being declared).
		cc.kind = curSubName
		cc.sub = nil
		return cc
	}
	if cc.sub == nil {
		switch {
		case len(stmt) == 0:
			cc.kind = curTopLevel
		case len(stmt) == 1 && stmt[0].Kind == syntax.IDENT && stmt[0].Text == "sub":
			cc.kind = curSubName
		}
		return cc
	}
	cc.classifyStatement(prog, stmt)
	return cc
}

// currentStatement returns the tokens after the last ; { } (or macro) that
// is not inside parentheses.
func currentStatement(toks []syntax.Tok) []syntax.Tok {
	depth := 0
	for j := len(toks) - 1; j >= 0; j-- {
		k := toks[j].Kind
		if k == syntax.RPAREN {
			depth++
		} else if k == syntax.LPAREN {
			if depth > 0 {
				depth--
			}
		} else if depth == 0 && (k == syntax.SEMICOLON || k == syntax.LBRACE || k == syntax.RBRACE || k == syntax.MACRO) {
			return toks[j+1:]
		}
	}
	return toks
}

// callAt returns the unclosed call around pos, reading the tokens before
// it (strings included, so it works inside a string argument).
func callAt(f *syntax.File, pos syntax.Pos) *callSite {
	pos = clampPos(f.Source, pos)
	start, _ := scanStart(f, pos)
	var sig []syntax.Tok
	for _, t := range tokensBefore(f.Source, start, pos) {
		if t.Kind != syntax.COMMENT {
			sig = append(sig, t)
		}
	}
	return innermostCall(currentStatement(sig))
}

// classifyStatement sets the kind from the statement's tokens so far.
func (cc *cursorContext) classifyStatement(prog *analysis.Program, stmt []syntax.Tok) {
	if len(stmt) == 0 {
		cc.kind = curStatement
		return
	}
	first := stmt[0]
	kw := ""
	if first.Kind == syntax.IDENT {
		kw = first.Text
	}
	switch kw {
	case "set", "add":
		if len(stmt) == 1 {
			cc.kind = curSetTarget
			return
		}
		if len(stmt) >= 3 && stmt[1].Kind == syntax.IDENT && stmt[2].Kind.IsAssign() {
			cc.want = typeOfName(cc.sub, stmt[1].Text)
		}
	case "unset", "remove":
		if len(stmt) == 1 {
			cc.kind = curUnsetTarget
		}
		return
	case "declare":
		switch {
		case len(stmt) == 1:
			cc.kind = curDeclare
		case len(stmt) == 3 && stmt[1].Text == "local":
			cc.kind = curDeclareType
		}
		return
	case "return":
		if len(stmt) == 1 || (len(stmt) == 2 && stmt[1].Kind == syntax.LPAREN) {
			if cc.sub.ReturnT == catalog.TypeUnknown {
				cc.kind = curReturn
				return
			}
			cc.want = cc.sub.ReturnT
		}
	case "call":
		if len(stmt) == 1 {
			cc.kind = curCall
		}
		return
	case "goto":
		if len(stmt) == 1 {
			cc.kind = curGoto
		}
		return
	case "esi", "restart":
		return
	}
	// In an expression: the innermost unclosed call, and what precedes the
	// cursor.
	cc.kind = curExpr
	cc.call = innermostCall(stmt)
	last := stmt[len(stmt)-1]
	if last.Kind == syntax.MATCH || last.Kind == syntax.NOMATCH {
		cc.kind = curACL
		return
	}
	if cc.call != nil {
		if p, ok := paramOf(prog, cc.call); ok {
			cc.want = p
		} else {
			cc.want = catalog.TypeUnknown
		}
	}
}

// innermostCall finds the unclosed '(' nearest the end that follows a name,
// and counts the commas after it.
func innermostCall(stmt []syntax.Tok) *callSite {
	type open struct {
		idx    int
		commas int
	}
	var stack []open
	for i, t := range stmt {
		switch t.Kind {
		case syntax.LPAREN:
			stack = append(stack, open{idx: i})
		case syntax.RPAREN:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case syntax.COMMA:
			if len(stack) > 0 {
				stack[len(stack)-1].commas++
			}
		}
	}
	for k := len(stack) - 1; k >= 0; k-- {
		o := stack[k]
		if o.idx == 0 || stmt[o.idx-1].Kind != syntax.IDENT {
			continue // a grouping parenthesis
		}
		name := stmt[o.idx-1].Text
		if isStatementWord(name) {
			continue
		}
		return &callSite{name: name, lparen: stmt[o.idx].Start, arg: o.commas}
	}
	return nil
}

// isStatementWord reports keywords that are followed by '(' without being
// functions.
func isStatementWord(s string) bool {
	switch s {
	case "if", "elsif", "elseif", "return", "set", "error", "log", "synthetic":
		return true
	}
	return false
}

// paramOf returns the type of the parameter the call's current argument
// binds to, for a builtin function or a user subroutine.
func paramOf(prog *analysis.Program, c *callSite) (catalog.Type, bool) {
	if fn, ok := lookupFunction(c.name); ok {
		for i := range fn.Overloads {
			if p, ok := fn.Overloads[i].ParamAt(c.arg); ok {
				return p.Type, true
			}
		}
		return catalog.TypeUnknown, false
	}
	if sub, ok := prog.Subs[c.name]; ok && sub.Decl != nil && c.arg < len(sub.Decl.Params) {
		return sub.Decl.Params[c.arg].VarType, true
	}
	return catalog.TypeUnknown, false
}

// paramNameOf returns the name of the current argument's parameter.
func paramNameOf(c *callSite) string {
	if fn, ok := lookupFunction(c.name); ok {
		for i := range fn.Overloads {
			if p, ok := fn.Overloads[i].ParamAt(c.arg); ok {
				return p.Name
			}
		}
	}
	return ""
}

// typeOfName returns the type of a variable or local named in code.
func typeOfName(sub *analysis.Sub, name string) catalog.Type {
	if strings.HasPrefix(name, "var.") && sub != nil {
		if sym, ok := sub.Locals[name]; ok {
			return sym.Type
		}
		return catalog.TypeUnknown
	}
	if v, ok := lookupVariable(name); ok {
		return v.Type
	}
	return catalog.TypeUnknown
}
