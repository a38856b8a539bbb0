package syntax

import "strings"

// ParseExpr parses text as one VCL expression (what a debugger's watch or
// console evaluates). The expression's positions are offsets in text,
// whose Source is returned for messages. Anything after the expression is
// an error.
func ParseExpr(name, text string) (Expr, *Source, []*Error) {
	p := newFragmentParser(name, text)
	if p.is(EOF) {
		p.errorAt(p.tok.Range, "expected an expression")
		return &BadExpr{Range: p.tok.Range}, p.file.Source, p.file.Errors
	}
	e := p.parseExpr()
	if !p.is(EOF) {
		p.errorAt(Range{p.tok.Start, Pos(len(text))}, "unexpected "+describeTok(p.tok)+" after the expression")
	}
	return e, p.file.Source, p.file.Errors
}

// ParseStmt parses text as one statement, as it would appear in a
// subroutine body; the final semicolon may be left out.
func ParseStmt(name, text string) (Stmt, *Source, []*Error) {
	trimmed := strings.TrimRight(text, " \t\r\n")
	if !strings.HasSuffix(trimmed, ";") && !strings.HasSuffix(trimmed, "}") {
		text = trimmed + ";"
	}
	p := newFragmentParser(name, text)
	if p.is(EOF) {
		p.errorAt(p.tok.Range, "expected a statement")
		return nil, p.file.Source, p.file.Errors
	}
	st := p.parseStmt()
	if !p.is(EOF) {
		p.errorAt(Range{p.tok.Start, Pos(len(text))}, "unexpected "+describeTok(p.tok)+" after the statement: give one statement")
	}
	return st, p.file.Source, p.file.Errors
}

func newFragmentParser(name, text string) *parser {
	p := newParser(text)
	p.file.Source = NewSource(name, text)
	p.next()
	return p
}

// describeTok names a token for messages.
func describeTok(t Tok) string {
	if t.Text != "" {
		return "“" + t.Text + "”"
	}
	return t.Kind.String()
}
