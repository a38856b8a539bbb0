package syntax

import (
	"strconv"
	"strings"

	"github.com/vclide/vclide/analysis/types"
)

// parseBlock parses { statements }.
func (p *parser) parseBlock(what string) *Block {
	b := p.slabs.blocks.new()
	b.Start = p.tok.Start
	if _, ok := p.expect(LBRACE, "to open "+what); !ok {
		b.Start, b.End = p.prevEnd, p.prevEnd
		return b
	}
	p.depth++
	if p.depth > maxDepth {
		p.errorAt(p.tok.Range, "blocks nested too deeply")
		p.depth--
		p.skipBalanced()
		b.End = p.prevEnd
		return b
	}
	for !p.is(RBRACE) && !p.is(EOF) {
		before := p.tok.Start
		if p.tok.Kind == IDENT && declKeywords[p.tok.Text] && p.tok.NewlineBefore && p.depth == 1 && p.looksLikeDecl() {
			// A declaration inside a body almost always means a '}' is
			// missing: stop here so the declaration parses normally.
			p.errorAt(Range{p.prevEnd, p.prevEnd}, "missing '}' to close "+what)
			p.depth--
			b.End = p.prevEnd
			return b
		}
		if s := p.parseStmt(); s != nil {
			b.Stmts = append(b.Stmts, s)
		}
		if p.tok.Start == before && !p.is(EOF) && !p.is(RBRACE) {
			p.next()
		}
	}
	p.depth--
	p.expect(RBRACE, "to close "+what)
	b.End = p.prevEnd
	return b
}

// looksLikeDecl reports whether the current keyword starts a top-level
// declaration (`sub vcl_recv {`, `backend F_x {`, …).
func (p *parser) looksLikeDecl() bool {
	n := p.peek(1)
	if n.Kind != IDENT {
		return false
	}
	switch p.tok.Text {
	case "import", "pragma":
		return false
	case "director", "table", "sub":
		k := p.peek(2).Kind
		return k == LBRACE || k == IDENT
	}
	return p.peek(2).Kind == LBRACE
}

// skipNested skips the rest of a too-deep expression, stopping before the
// ')' that closes the enclosing level (or at ';', '}' and end of file).
func (p *parser) skipNested() {
	depth := 0
	for !p.is(EOF) {
		switch p.tok.Kind {
		case LPAREN:
			depth++
		case RPAREN:
			if depth == 0 {
				return
			}
			depth--
		case SEMICOLON, RBRACE:
			if depth == 0 {
				return
			}
		}
		p.next()
	}
}

func (p *parser) skipBalanced() {
	depth := 1
	for !p.is(EOF) && depth > 0 {
		switch p.tok.Kind {
		case LBRACE:
			depth++
		case RBRACE:
			depth--
		}
		p.next()
	}
}

// parseStmt parses one statement; it returns nil only when nothing could be
// recovered (the error is already reported).
func (p *parser) parseStmt() Stmt {
	start := p.tok.Start
	switch p.tok.Kind {
	case MACRO:
		return p.parseMacro()
	case LBRACE:
		return p.parseBlock("block")
	case SEMICOLON:
		p.next() // empty statement
		return nil
	case IDENT:
		switch p.tok.Text {
		case "set", "add":
			return p.parseSet()
		case "unset", "remove":
			remove := p.tok.Text == "remove"
			p.next()
			target := p.parseName("a variable to " + map[bool]string{true: "remove", false: "unset"}[remove])
			end := p.expectSemi("unset")
			return &UnsetStmt{Range: Range{start, end}, Remove: remove, Target: target}
		case "declare":
			return p.parseDeclare()
		case "if":
			return p.parseIf("if")
		case "return":
			return p.parseReturn()
		case "call":
			p.next()
			name := p.parseName("subroutine name after call")
			cs := &CallStmt{Name: name}
			if p.is(LPAREN) {
				cs.Parens = true
				cs.Args = p.parseCall(name).Args
			}
			cs.Range = Range{start, p.expectSemi("call")}
			return cs
		case "error":
			return p.parseError()
		case "restart":
			p.next()
			end := p.expectSemi("restart")
			return &RestartStmt{Range{start, end}}
		case "esi":
			p.next()
			end := p.expectSemi("esi")
			return &EsiStmt{Range{start, end}}
		case "synthetic", "synthetic.base64":
			b64 := p.tok.Text == "synthetic.base64"
			p.next()
			v := p.parseExpr()
			end := p.expectSemi("synthetic")
			return &SyntheticStmt{Range: Range{start, end}, Base64: b64, Value: v}
		case "log":
			p.next()
			v := p.parseExpr()
			end := p.expectSemi("log")
			return &LogStmt{Range: Range{start, end}, Value: v}
		case "goto":
			p.next()
			label := p.parseName("label after goto")
			end := p.expectSemi("goto")
			return &GotoStmt{Range: Range{start, end}, Label: label}
		case "include":
			return p.parseInclude()
		case "else", "elsif", "elseif":
			p.errorAt(p.tok.Range, "'"+p.tok.Text+"' without a matching if")
			p.next()
			if p.is(IDENT) && p.tok.Text == "if" {
				p.next()
			}
			if p.is(LPAREN) {
				p.parseParenCond("else")
			}
			if p.is(LBRACE) {
				return p.parseBlock("else block")
			}
			return &BadStmt{Range{start, p.prevEnd}}
		}
		// label:
		if p.peek(1).Kind == COLON && !strings.Contains(p.tok.Text, ".") {
			label := &Ident{Range: p.tok.Range, Name: p.tok.Text}
			p.labels = true
			p.next()
			p.next()
			return &LabelStmt{Range: Range{start, p.prevEnd}, Label: label}
		}
		// bare function call: h3.alt_svc();
		if p.peek(1).Kind == LPAREN {
			call := p.parseCall(p.ident(p.tok))
			end := p.expectSemi("function call")
			return &ExprStmt{Range: Range{start, end}, Call: call}
		}
		p.errorAt(p.tok.Range, "unexpected "+describe(p.tok)+": expected a statement (set, unset, if, return, call, error, …)")
	case RBRACE:
		p.errorAt(p.tok.Range, "unexpected '}'")
		p.next()
		return nil
	default:
		p.errorAt(p.tok.Range, "unexpected "+describe(p.tok)+": expected a statement")
	}
	p.syncStmt()
	if p.prevEnd > start {
		return &BadStmt{Range{start, p.prevEnd}}
	}
	return nil
}

func (p *parser) parseMacro() Stmt {
	m := &MacroStmt{Range: p.tok.Range}
	text := p.tok.Text
	// "#FASTLY recv" → find the argument after the word FASTLY.
	i := strings.IndexByte(text, '#') + 1
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	i += len("fastly")
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	j := i
	for j < len(text) && text[j] != ' ' && text[j] != '\t' && text[j] != '\r' {
		j++
	}
	m.Name = strings.ToLower(text[i:j])
	m.NamePos = Range{m.Start + Pos(i), m.Start + Pos(j)}
	p.next()
	return m
}

func (p *parser) parseSet() Stmt {
	start := p.tok.Start
	add := p.tok.Text == "add"
	kw := p.tok.Text
	p.next()
	s := p.slabs.sets.new()
	s.Add = add
	s.Target = p.parseName("a variable to " + kw)
	if p.tok.Kind.IsAssign() {
		s.Op = p.tok.Kind
		s.OpPos = p.tok.Start
		p.next()
	} else {
		p.errorAt(p.tok.Range, "expected '=' or an assignment operator after "+kw+" "+s.Target.Name+", found "+describe(p.tok))
		p.syncStmt()
		return &BadStmt{Range{start, p.prevEnd}}
	}
	s.Value = p.parseExpr()
	s.End = p.expectSemi(kw + " statement")
	s.Start = start
	return s
}

func (p *parser) parseDeclare() Stmt {
	start := p.tok.Start
	p.next()
	if p.isKeyword("local") {
		p.next()
	} else {
		p.errorAt(p.tok.Range, "expected 'local' after declare, found "+describe(p.tok))
	}
	d := &DeclareStmt{}
	d.Name = p.parseName("a variable name (var.name) to declare")
	if d.Name.Name != "" && !strings.HasPrefix(d.Name.Name, "var.") {
		p.errorAt(d.Name.Range, "local variable names must start with 'var.' ("+d.Name.Name+")")
	}
	d.TypeName = p.parseName("a type (STRING, INTEGER, FLOAT, BOOL, TIME, RTIME, IP, BACKEND)")
	if d.TypeName.Name != "" {
		t, ok := types.ParseType(d.TypeName.Name)
		if !ok {
			p.errorAt(d.TypeName.Range, "unknown type '"+d.TypeName.Name+"': use STRING, INTEGER, FLOAT, BOOL, TIME, RTIME, IP, BACKEND or ACL")
		}
		d.VarType = t
	}
	if p.is(ASSIGN) {
		p.next()
		d.Value = p.parseExpr()
	}
	d.Range = Range{start, p.expectSemi("declare local")}
	return d
}

func (p *parser) parseParenCond(what string) Expr {
	if _, ok := p.expect(LPAREN, "around the "+what+" condition"); !ok {
		// Tolerate a missing '(': parse the condition up to '{'.
		return p.parseExpr()
	}
	cond := p.parseExpr()
	p.expect(RPAREN, "to close the "+what+" condition")
	return cond
}

func (p *parser) parseIf(keyword string) Stmt {
	start := p.tok.Start
	p.next()
	s := p.slabs.ifs.new()
	s.Keyword = keyword
	s.Cond = p.parseParenCond(keyword)
	s.Then = p.parseBlock(keyword + " block")
	switch {
	case p.isKeyword("else"):
		elseStart := p.tok.Start
		p.next()
		if p.isKeyword("if") {
			inner := p.parseIf("else if").(*IfStmt)
			inner.Start = elseStart
			s.Else = inner
		} else {
			s.Else = p.parseBlock("else block")
		}
	case p.isKeyword("elsif"), p.isKeyword("elseif"):
		s.Else = p.parseIf(p.tok.Text)
	}
	s.Range = Range{start, p.prevEnd}
	return s
}

// returnActions are the words return(…) accepts in untyped subroutines.
var returnActions = map[string]bool{
	"lookup": true, "pass": true, "error": true, "restart": true, "deliver": true,
	"deliver_stale": true, "fetch": true, "hash": true, "upgrade": true, "pipe": true,
	"hit_for_pass": true, "challenge": true,
}

func (p *parser) parseReturn() Stmt {
	start := p.tok.Start
	p.next()
	r := &ReturnStmt{}
	switch {
	case p.is(SEMICOLON) || p.is(RBRACE) || p.tok.NewlineBefore && !p.is(LPAREN):
	case p.is(LPAREN) && !p.subTyped && p.peek(1).Kind == IDENT && p.peek(2).Kind == RPAREN:
		p.next()
		r.Action = &Ident{Range: p.tok.Range, Name: p.tok.Text}
		r.Parens = true
		p.next()
		p.next()
	case p.is(IDENT) && !p.subTyped && returnActions[p.tok.Text]:
		r.Action = &Ident{Range: p.tok.Range, Name: p.tok.Text}
		p.next()
	default:
		r.Parens = p.is(LPAREN)
		r.Value = p.parseExpr()
		if pe, ok := r.Value.(*ParenExpr); ok {
			r.Value = pe.X
		}
	}
	r.Range = Range{start, p.expectSemi("return")}
	return r
}

func (p *parser) parseError() Stmt {
	start := p.tok.Start
	p.next()
	e := &ErrorStmt{}
	if !p.is(SEMICOLON) && !p.is(RBRACE) && !p.tok.NewlineBefore {
		e.Code = p.parseUnary()
		if !p.is(SEMICOLON) && !p.is(RBRACE) && !p.tok.NewlineBefore {
			e.Response = p.parseExpr()
		}
	}
	e.Range = Range{start, p.expectSemi("error")}
	return e
}

// ---------------------------------------------------------------------------
// Expressions
//
// Precedence, lowest first: ||, &&, !, comparison (== != < > <= >= ~ !~),
// concatenation by juxtaposition, + -, * / %, unary -, primary.

func (p *parser) parseExpr() Expr {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		p.errorAt(p.tok.Range, "expression nested too deeply")
		start := p.tok.Start
		p.skipNested()
		return &BadExpr{Range: Range{start, p.prevEnd}}
	}
	return p.parseOr()
}

func (p *parser) parseOr() Expr {
	x := p.parseAnd()
	for p.is(LOR) {
		op, pos := p.tok.Kind, p.tok.Start
		p.next()
		x = p.binary(x, op, pos, p.parseAnd())
	}
	return x
}

func (p *parser) parseAnd() Expr {
	x := p.parseNot()
	for p.is(LAND) {
		op, pos := p.tok.Kind, p.tok.Start
		p.next()
		x = p.binary(x, op, pos, p.parseNot())
	}
	return x
}

func (p *parser) parseNot() Expr {
	if p.is(NOT) {
		pos := p.tok.Start
		p.next()
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			p.errorAt(p.tok.Range, "expression nested too deeply")
			return &BadExpr{Range: Range{pos, p.prevEnd}}
		}
		return &UnaryExpr{OpPos: pos, Op: NOT, X: p.parseNot()}
	}
	return p.parseCmp()
}

func (p *parser) parseCmp() Expr {
	x := p.parseConcat()
	switch p.tok.Kind {
	case EQL, NEQ, LSS, GTR, LEQ, GEQ, MATCH, NOMATCH:
		op, pos := p.tok.Kind, p.tok.Start
		p.next()
		x = p.binary(x, op, pos, p.parseConcat())
	}
	return x
}

// startsOperand reports whether the current token can begin a juxtaposed
// concatenation operand.
func (p *parser) startsOperand() bool {
	switch p.tok.Kind {
	case STRING, LSTRING, INT, FLOAT, DURATION, IPADDR:
		return true
	case IDENT:
		if p.tok.Text == "if" {
			return p.isTernary()
		}
		return !p.tok.NewlineBefore || !statementKeywords[p.tok.Text]
	case LPAREN:
		return true
	}
	return false
}

func (p *parser) parseConcat() Expr {
	x := p.parseAdd()
	if !p.startsOperand() {
		return x
	}
	c := p.slabs.concats.new()
	c.Parts = append(make([]Expr, 0, 4), x)
	for p.startsOperand() {
		before := p.tok.Start
		c.Parts = append(c.Parts, p.parseAdd())
		if p.tok.Start == before {
			break
		}
	}
	return c
}

func (p *parser) parseAdd() Expr {
	x := p.parseMul()
	for p.is(PLUS) || p.is(MINUS) {
		op, pos := p.tok.Kind, p.tok.Start
		p.next()
		x = p.binary(x, op, pos, p.parseMul())
	}
	return x
}

func (p *parser) parseMul() Expr {
	x := p.parseUnary()
	for p.is(STAR) || p.is(SLASH) || p.is(PERCENT) {
		op, pos := p.tok.Kind, p.tok.Start
		p.next()
		x = p.binary(x, op, pos, p.parseUnary())
	}
	return x
}

func (p *parser) parseUnary() Expr {
	if p.is(MINUS) || p.is(PLUS) || p.is(NOT) {
		op, pos := p.tok.Kind, p.tok.Start
		p.next()
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			p.errorAt(p.tok.Range, "expression nested too deeply")
			return &BadExpr{Range: Range{pos, p.prevEnd}}
		}
		return &UnaryExpr{OpPos: pos, Op: op, X: p.parseUnary()}
	}
	return p.parsePrimary()
}

func (p *parser) parsePrimary() Expr {
	t := p.tok
	switch t.Kind {
	case STRING, LSTRING:
		p.next()
		lit := p.slabs.strs.new()
		lit.Range, lit.Value, lit.Long = t.Range, StringValue(t.Kind, t.Text), t.Kind == LSTRING
		return lit
	case INT:
		p.next()
		v, err := strconv.ParseInt(t.Text, 0, 64)
		if err != nil {
			p.errorAt(t.Range, "integer "+t.Text+" out of range")
		}
		return &IntLit{Range: t.Range, Value: v, Raw: t.Text}
	case FLOAT:
		p.next()
		v, err := strconv.ParseFloat(t.Text, 64)
		if err != nil {
			p.errorAt(t.Range, "malformed float "+t.Text)
		}
		return &FloatLit{Range: t.Range, Value: v, Raw: t.Text}
	case DURATION:
		p.next()
		return &DurationLit{Range: t.Range, Seconds: durationSeconds(t.Text), Raw: t.Text}
	case IPADDR:
		p.next()
		return &IPLit{Range: t.Range, Raw: t.Text}
	case LPAREN:
		p.next()
		x := p.parseExpr()
		p.expect(RPAREN, "to close '('")
		return &ParenExpr{Range: Range{t.Start, p.prevEnd}, X: x}
	case IDENT:
		switch t.Text {
		case "true", "false":
			p.next()
			return &BoolLit{Range: t.Range, Value: t.Text == "true"}
		case "if":
			if p.peek(1).Kind == LPAREN {
				return p.parseIfExpr()
			}
		}
		id := p.ident(t)
		p.next()
		if p.is(LPAREN) {
			return p.parseCall(id)
		}
		return id
	}
	p.errorAt(t.Range, "expected an expression, found "+describe(t))
	if t.Kind != SEMICOLON && t.Kind != RBRACE && t.Kind != RPAREN && t.Kind != EOF && t.Kind != LBRACE {
		p.next()
		return &BadExpr{Range: t.Range}
	}
	return &BadExpr{Range: Range{p.prevEnd, p.prevEnd}}
}

// isTernary reports whether the current `if` starts an if(cond, a, b)
// expression rather than an if statement: the parenthesis holds a comma at
// its top level.
func (p *parser) isTernary() bool {
	if p.peek(1).Kind != LPAREN {
		return false
	}
	depth := 0
	for k := 1; k < 4000; k++ {
		switch p.peek(k).Kind {
		case LPAREN:
			depth++
		case RPAREN:
			depth--
			if depth == 0 {
				return false
			}
		case COMMA:
			if depth == 1 {
				return true
			}
		case EOF, SEMICOLON, LBRACE, RBRACE:
			return false
		}
	}
	return false
}

func (p *parser) binary(x Expr, op Token, pos Pos, y Expr) *BinaryExpr {
	b := p.slabs.binary.new()
	b.X, b.Op, b.OpPos, b.Y, b.Start = x, op, pos, y, x.Span().Start
	return b
}

// parseCall parses NAME(args…) with the name already scanned into fn.
func (p *parser) parseCall(fn *Ident) *CallExpr {
	if p.tok.Range == fn.Range {
		p.next()
	}
	c := p.slabs.calls.new()
	c.Fn, c.Lparen = fn, p.tok.Start
	p.next() // '('
	for !p.is(RPAREN) && !p.is(EOF) && !p.is(SEMICOLON) && !p.is(LBRACE) {
		before := p.tok.Start
		c.Args = append(c.Args, p.parseExpr())
		if p.is(COMMA) {
			p.next()
			continue
		}
		if p.tok.Start == before {
			break
		}
		if !p.is(RPAREN) {
			p.errorAt(p.tok.Range, "expected ',' or ')' in the arguments of "+fn.Name+", found "+describe(p.tok))
			break
		}
	}
	if _, ok := p.expect(RPAREN, "to close the arguments of "+fn.Name); ok {
		c.Rparen = p.prevEnd
	} else {
		c.Rparen = p.prevEnd
	}
	if c.Rparen < fn.End {
		c.Rparen = fn.End
	}
	return c
}

func (p *parser) parseIfExpr() Expr {
	start := p.tok.Start
	p.next() // if
	p.next() // (
	e := &IfExpr{}
	e.Cond = p.parseExpr()
	p.expect(COMMA, "after the if() condition")
	e.Then = p.parseExpr()
	p.expect(COMMA, "after the if() true value")
	e.Else = p.parseExpr()
	p.expect(RPAREN, "to close if()")
	e.Range = Range{start, p.prevEnd}
	return e
}

// durationSeconds converts a duration literal (10s, 1.5h, 100ms) to seconds.
func durationSeconds(text string) float64 {
	i := len(text)
	for i > 0 && text[i-1] >= 'a' && text[i-1] <= 'z' {
		i--
	}
	n, _ := strconv.ParseFloat(text[:i], 64)
	switch text[i:] {
	case "ms":
		return n / 1000
	case "m":
		return n * 60
	case "h":
		return n * 3600
	case "d":
		return n * 86400
	case "y":
		return n * 365 * 86400
	}
	return n
}
