package syntax

import (
	"strconv"
	"strings"

	"github.com/vclide/vclide/analysis/types"
)

// maxDepth bounds expression and block nesting so hostile input cannot
// exhaust the stack; deeper nesting is reported as an error.
const maxDepth = 500

// Parse parses one VCL file. It always returns a File; syntax errors are in
// File.Errors, each with a message and range, and the tree holds everything
// that could be recovered around them.
func Parse(name, text string) *File {
	src := NewSource(name, text)
	p := newParser(text)
	p.file.Source = src
	p.next()
	p.parseFile()
	p.file.HasLabels = p.labels
	return p.file
}

func newParser(text string) *parser {
	p := &parser{file: &File{}, errEpoch: -1}
	p.sc = NewScanner(text, p.errorAt)
	return p
}

type parser struct {
	sc   *Scanner
	file *File

	tok     Tok // current token
	prevEnd Pos // end of the previous significant token
	ahead   []Tok

	slabs      nodeSlabs
	depth      int
	subTyped   bool // inside a subroutine that declares a return type
	lastErrPos Pos
	hasErr     bool

	// prevKind is the kind of the last consumed token; consumed counts
	// consumptions and errEpoch is the count at the last reported error.
	// Together they tell whether a declaration ended cleanly (see
	// endedCleanly).
	prevKind Token
	consumed int
	errEpoch int
	// labels is set when a goto label is parsed (in the current chunk).
	labels bool
	// chunks is non-nil in a chunked parse (ParseChunked, Reparse).
	chunks *chunker
}

func (p *parser) errorAt(r Range, msg string) {
	p.errEpoch = p.consumed
	// One error per position: avoid cascades at the same spot.
	if p.hasErr && r.Start == p.lastErrPos {
		return
	}
	p.hasErr = true
	p.lastErrPos = r.Start
	p.file.Errors = append(p.file.Errors, &Error{Range: r, Msg: msg})
}

// rawNext returns the next significant token, collecting comments.
func (p *parser) rawNext() Tok {
	nl := false
	for {
		t := p.sc.Next()
		if t.Kind == COMMENT {
			nl = nl || t.NewlineBefore
			p.file.Comments = append(p.file.Comments, &Comment{Range: t.Range, Text: t.Text})
			if strings.HasPrefix(t.Text, "#") || strings.HasPrefix(t.Text, "//") {
				nl = true // a line comment always ends its line
			}
			continue
		}
		if t.Kind == MACRO {
			p.file.Comments = append(p.file.Comments, &Comment{Range: t.Range, Text: t.Text})
		}
		t.NewlineBefore = t.NewlineBefore || nl
		return t
	}
}

func (p *parser) next() {
	if p.tok.Kind != 0 || p.tok.End != 0 {
		p.prevEnd = p.tok.End
	}
	p.prevKind = p.tok.Kind
	p.consumed++
	if len(p.ahead) > 0 {
		p.tok = p.ahead[0]
		p.ahead = p.ahead[1:]
		return
	}
	p.tok = p.rawNext()
}

// peek returns the token k positions after the current one (k >= 1).
func (p *parser) peek(k int) Tok {
	for len(p.ahead) < k {
		p.ahead = append(p.ahead, p.rawNext())
	}
	return p.ahead[k-1]
}

func (p *parser) is(kind Token) bool { return p.tok.Kind == kind }

func (p *parser) isKeyword(word string) bool { return p.tok.Kind == IDENT && p.tok.Text == word }

func describe(t Tok) string {
	switch t.Kind {
	case EOF:
		return "end of file"
	case IDENT:
		return "'" + t.Text + "'"
	case STRING, LSTRING:
		return "string " + quoteText(t.Text)
	case INT, FLOAT, DURATION, IPADDR:
		return t.Kind.String() + " " + t.Text
	case ILLEGAL:
		return quoteText(t.Text)
	}
	return "'" + t.Kind.String() + "'"
}

// expect consumes a token of the given kind or reports an error naming what
// was wanted and what it is needed for.
func (p *parser) expect(kind Token, context string) (Range, bool) {
	if p.tok.Kind == kind {
		r := p.tok.Range
		p.next()
		return r, true
	}
	p.errorAt(p.tok.Range, "expected '"+kind.String()+"' "+context+", found "+describe(p.tok))
	return Range{p.tok.Start, p.tok.Start}, false
}

// expectSemi consumes the ';' ending a statement. When it is missing and the
// next token starts a new line, the error points at the end of the statement
// and parsing goes on as if it were there.
func (p *parser) expectSemi(what string) Pos {
	if p.tok.Kind == SEMICOLON {
		end := p.tok.End
		p.next()
		return end
	}
	if p.tok.NewlineBefore || p.tok.Kind == RBRACE || p.tok.Kind == EOF {
		p.errorAt(Range{p.prevEnd, p.prevEnd}, "missing ';' after "+what)
		return p.prevEnd
	}
	p.errorAt(p.tok.Range, "expected ';' after "+what+", found "+describe(p.tok))
	p.syncStmt()
	return p.prevEnd
}

// syncStmt skips to the end of the current statement: past the next ';' at
// this nesting level, or up to a '}' that closes the enclosing block, or to
// a token that starts a new line and looks like a statement.
func (p *parser) syncStmt() {
	depth := 0
	for {
		switch p.tok.Kind {
		case EOF:
			return
		case SEMICOLON:
			if depth == 0 {
				p.next()
				return
			}
		case LBRACE:
			depth++
		case RBRACE:
			if depth == 0 {
				return
			}
			depth--
			if depth == 0 {
				p.next()
				return
			}
		case IDENT:
			if depth == 0 && p.tok.NewlineBefore && statementKeywords[p.tok.Text] {
				return
			}
		case MACRO:
			if depth == 0 {
				return
			}
		}
		p.next()
	}
}

var statementKeywords = map[string]bool{
	"set": true, "unset": true, "add": true, "remove": true, "declare": true, "if": true,
	"return": true, "call": true, "error": true, "restart": true, "synthetic": true,
	"synthetic.base64": true, "esi": true, "log": true, "goto": true, "include": true,
}

var declKeywords = map[string]bool{
	"sub": true, "acl": true, "backend": true, "director": true, "table": true,
	"penaltybox": true, "ratecounter": true, "import": true, "pragma": true,
}

// ---------------------------------------------------------------------------
// File and declarations

func (p *parser) parseFile() {
	var snippet []Stmt
	snippetStart := Pos(-1)
	clean := false // the last item was a declaration that ended cleanly
	for !p.is(EOF) {
		if clean && p.chunks != nil && p.boundary() {
			break // reparsing reached a chunk of the old file that is reused
		}
		clean = false
		before := p.tok.Start
		if p.startsDescribe() {
			p.file.Decls = append(p.file.Decls, p.parseDescribe())
			clean = p.endedCleanly()
		} else if p.tok.Kind == IDENT && declKeywords[p.tok.Text] {
			if d := p.parseDecl(); d != nil {
				p.file.Decls = append(p.file.Decls, d)
				clean = p.endedCleanly()
			}
		} else if p.isKeyword("include") {
			inc := p.parseInclude()
			decl := &IncludeDecl{Range: inc.Range, Path: inc.Path}
			p.file.Includes[len(p.file.Includes)-1] = decl
			p.file.Decls = append(p.file.Decls, decl)
			clean = p.endedCleanly()
		} else if p.is(RBRACE) {
			p.errorAt(p.tok.Range, "unexpected '}' at top level: no block is open")
			p.next()
		} else if p.is(IDENT) && (p.tok.Text == "C" || p.tok.Text == "W") && p.peek(1).Kind == NOT && (p.peek(2).NewlineBefore || p.peek(2).Kind == EOF) {
			// "C!" and "W!" marker lines in Fastly-generated VCL.
			p.next()
			p.next()
		} else {
			// A bare statement: the file is a snippet.
			if snippetStart < 0 {
				snippetStart = p.tok.Start
			}
			if s := p.parseStmt(); s != nil {
				snippet = append(snippet, s)
			}
		}
		if p.tok.Start == before && !p.is(EOF) {
			p.next() // guarantee progress
		}
	}
	if snippetStart >= 0 {
		end := snippetStart
		if len(snippet) > 0 {
			end = snippet[len(snippet)-1].Span().End
		}
		p.file.Snippet = &Block{Range: Range{snippetStart, end}, Stmts: snippet}
	}
}

func (p *parser) parseDecl() Decl {
	switch p.tok.Text {
	case "sub":
		return p.parseSub()
	case "acl":
		return p.parseACL()
	case "backend":
		start := p.tok.Start
		p.next()
		name := p.parseName("backend name")
		body := p.parseObject("backend " + name.Name)
		return &BackendDecl{Range: Range{start, p.prevEnd}, Name: name, Body: body}
	case "director":
		return p.parseDirector()
	case "table":
		return p.parseTable()
	case "penaltybox", "ratecounter":
		kw := p.tok.Text
		start := p.tok.Start
		p.next()
		name := p.parseName(kw + " name")
		body := p.parseObject(kw + " " + name.Name)
		if kw == "penaltybox" {
			return &PenaltyboxDecl{Range: Range{start, p.prevEnd}, Name: name, Body: body}
		}
		return &RatecounterDecl{Range: Range{start, p.prevEnd}, Name: name, Body: body}
	case "import":
		start := p.tok.Start
		p.next()
		name := p.parseName("module name")
		end := p.expectSemi("import")
		return &ImportDecl{Range: Range{start, end}, Name: name}
	case "pragma":
		start := p.tok.Start
		p.next()
		textStart := p.tok.Start
		for !p.is(SEMICOLON) && !p.is(EOF) && !(p.tok.NewlineBefore && p.tok.Start != textStart) {
			p.next()
		}
		text := ""
		if p.prevEnd > textStart {
			text = strings.TrimSpace(p.sc.src[textStart-p.sc.delta : p.prevEnd-p.sc.delta])
		}
		end := p.expectSemi("pragma")
		return &PragmaDecl{Range: Range{start, end}, Text: text}
	}
	return nil
}

// parseName parses an identifier used as a declaration or reference name.
func (p *parser) parseName(what string) *Ident {
	if p.is(IDENT) {
		id := p.ident(p.tok)
		p.next()
		return id
	}
	p.errorAt(p.tok.Range, "expected "+what+", found "+describe(p.tok))
	return &Ident{Range: Range{p.prevEnd, p.prevEnd}}
}

func (p *parser) parseSub() Decl {
	start := p.tok.Start
	p.next()
	name := p.parseName("subroutine name")
	sub := &SubDecl{Name: name}
	if p.is(LPAREN) {
		sub.Params = p.parseParams(name.Name)
	}
	if p.is(IDENT) {
		sub.ReturnType = &Ident{Range: p.tok.Range, Name: p.tok.Text}
		if _, ok := types.ParseType(p.tok.Text); !ok {
			p.errorAt(p.tok.Range, "unknown return type '"+p.tok.Text+"' for subroutine "+name.Name)
		}
		p.next()
	}
	p.subTyped = sub.ReturnType != nil
	sub.Body = p.parseBlock("subroutine " + name.Name)
	p.subTyped = false
	sub.Range = Range{start, p.prevEnd}
	return sub
}

// parseParams parses (TYPE var.a, TYPE var.b) after a subroutine name.
func (p *parser) parseParams(sub string) []*Param {
	p.next() // '('
	var params []*Param
	for !p.is(RPAREN) && !p.is(EOF) && !p.is(LBRACE) {
		before := p.tok.Start
		prm := &Param{}
		prm.Start = p.tok.Start
		prm.TypeName = p.parseName("a parameter type")
		if t, ok := types.ParseType(prm.TypeName.Name); ok {
			prm.VarType = t
		} else if prm.TypeName.Name != "" {
			p.errorAt(prm.TypeName.Range, "unknown parameter type '"+prm.TypeName.Name+"'")
		}
		prm.Name = p.parseName("a parameter name (var.name)")
		if prm.Name.Name != "" && !strings.HasPrefix(prm.Name.Name, "var.") {
			p.errorAt(prm.Name.Range, "parameter names must start with 'var.' ("+prm.Name.Name+")")
		}
		prm.End = p.prevEnd
		if prm.End < prm.Start {
			prm.Start = prm.End
		}
		params = append(params, prm)
		if p.is(COMMA) {
			p.next()
		} else if !p.is(RPAREN) {
			p.errorAt(p.tok.Range, "expected ',' or ')' in the parameters of "+sub+", found "+describe(p.tok))
			break
		}
		if p.tok.Start == before {
			break
		}
	}
	p.expect(RPAREN, "to close the parameters of "+sub)
	return params
}

func (p *parser) parseACL() Decl {
	start := p.tok.Start
	p.next()
	name := p.parseName("ACL name")
	acl := &ACLDecl{Name: name}
	if _, ok := p.expect(LBRACE, "to open acl "+name.Name); ok {
		for !p.is(RBRACE) && !p.is(EOF) {
			before := p.tok.Start
			e := &ACLEntry{Mask: -1}
			e.Start = p.tok.Start
			if p.is(NOT) {
				e.Negated = true
				p.next()
			}
			if p.is(STRING) {
				e.Addr = &StringLit{Range: p.tok.Range, Value: StringValue(STRING, p.tok.Text)}
				p.next()
				if p.is(SLASH) {
					p.next()
					if p.is(INT) {
						n, _ := strconv.Atoi(p.tok.Text)
						e.Mask = n
						p.next()
					} else {
						p.errorAt(p.tok.Range, "expected a prefix length after '/' in acl entry, found "+describe(p.tok))
					}
				}
				e.End = p.expectSemi("acl entry")
				acl.Entries = append(acl.Entries, e)
			} else {
				p.errorAt(p.tok.Range, "expected a quoted address in acl "+name.Name+" (like \"192.0.2.0\"/24;), found "+describe(p.tok))
				p.syncStmt()
			}
			if p.tok.Start == before {
				p.next()
			}
		}
		p.expect(RBRACE, "to close acl "+name.Name)
	}
	acl.Range = Range{start, p.prevEnd}
	return acl
}

// parseObject parses { .prop = value; … } (used by backends, probes,
// director members, penaltyboxes and ratecounters).
func (p *parser) parseObject(what string) *Object {
	obj := &Object{}
	obj.Start = p.tok.Start
	if _, ok := p.expect(LBRACE, "to open "+what); !ok {
		obj.Start, obj.End = p.prevEnd, p.prevEnd
		return obj
	}
	for !p.is(RBRACE) && !p.is(EOF) {
		before := p.tok.Start
		if p.is(DOT) {
			obj.Props = append(obj.Props, p.parseProperty())
		} else {
			p.errorAt(p.tok.Range, "expected a property like '.name = value;' in "+what+", found "+describe(p.tok))
			p.syncStmt()
		}
		if p.tok.Start == before {
			p.next()
		}
	}
	p.expect(RBRACE, "to close "+what)
	obj.End = p.prevEnd
	return obj
}

func (p *parser) parseProperty() *Property {
	prop := &Property{}
	prop.Start = p.tok.Start
	p.next() // '.'
	prop.Name = p.parseName("property name after '.'")
	p.expect(ASSIGN, "after property ."+prop.Name.Name)
	if p.is(LBRACE) {
		prop.Object = p.parseObject("." + prop.Name.Name)
		prop.End = p.prevEnd
		if p.is(SEMICOLON) {
			p.next()
			prop.End = p.prevEnd
		}
		return prop
	}
	if p.is(INT) && p.peek(1).Kind == PERCENT {
		// Director quorum: .quorum = 50%;
		lit := &IntLit{Range: Range{p.tok.Start, p.peek(1).End}}
		lit.Value, _ = strconv.ParseInt(p.tok.Text, 10, 64)
		lit.Raw = p.tok.Text + "%"
		p.next()
		p.next()
		prop.Value = lit
	} else {
		prop.Value = p.parseExpr()
	}
	prop.End = p.expectSemi("property ." + prop.Name.Name)
	return prop
}

func (p *parser) parseDirector() Decl {
	start := p.tok.Start
	p.next()
	d := &DirectorDecl{Name: p.parseName("director name")}
	d.Kind = p.parseName("director type (random, hash, client, chash, fallback, shield…)")
	what := "director " + d.Name.Name
	if _, ok := p.expect(LBRACE, "to open "+what); ok {
		for !p.is(RBRACE) && !p.is(EOF) {
			before := p.tok.Start
			switch {
			case p.is(DOT):
				d.Props = append(d.Props, p.parseProperty())
			case p.is(LBRACE):
				d.Members = append(d.Members, p.parseObject("director member"))
			default:
				p.errorAt(p.tok.Range, "expected a property or a member block { .backend = …; } in "+what+", found "+describe(p.tok))
				p.syncStmt()
			}
			if p.tok.Start == before {
				p.next()
			}
		}
		p.expect(RBRACE, "to close "+what)
	}
	d.Range = Range{start, p.prevEnd}
	return d
}

func (p *parser) parseTable() Decl {
	start := p.tok.Start
	p.next()
	t := &TableDecl{Name: p.parseName("table name")}
	if p.is(IDENT) {
		t.ValueType = &Ident{Range: p.tok.Range, Name: p.tok.Text}
		if _, ok := types.ParseType(p.tok.Text); !ok {
			p.errorAt(p.tok.Range, "unknown table value type '"+p.tok.Text+"'")
		}
		p.next()
	}
	what := "table " + t.Name.Name
	if _, ok := p.expect(LBRACE, "to open "+what); ok {
		for !p.is(RBRACE) && !p.is(EOF) {
			before := p.tok.Start
			if p.is(STRING) || p.is(LSTRING) {
				e := &TableEntry{}
				e.Start = p.tok.Start
				e.Key = &StringLit{Range: p.tok.Range, Value: StringValue(p.tok.Kind, p.tok.Text), Long: p.tok.Kind == LSTRING}
				p.next()
				p.expect(COLON, "after table key")
				e.Value = p.parseExpr()
				e.End = p.prevEnd
				t.Entries = append(t.Entries, e)
				if p.is(COMMA) {
					p.next()
				} else if !p.is(RBRACE) {
					if p.tok.NewlineBefore {
						p.errorAt(Range{p.prevEnd, p.prevEnd}, "missing ',' after table entry")
					} else {
						p.errorAt(p.tok.Range, "expected ',' or '}' after table entry, found "+describe(p.tok))
						p.syncTableEntry()
					}
				}
			} else {
				p.errorAt(p.tok.Range, "expected a quoted key in "+what+" (like \"key\": value,), found "+describe(p.tok))
				p.syncTableEntry()
			}
			if p.tok.Start == before {
				p.next()
			}
		}
		p.expect(RBRACE, "to close "+what)
	}
	t.Range = Range{start, p.prevEnd}
	return t
}

func (p *parser) syncTableEntry() {
	for !p.is(EOF) && !p.is(RBRACE) {
		if p.is(COMMA) {
			p.next()
			return
		}
		if (p.is(STRING) || p.is(LSTRING)) && p.tok.NewlineBefore {
			return
		}
		p.next()
	}
}

func (p *parser) parseInclude() *IncludeStmt {
	start := p.tok.Start
	p.next()
	inc := &IncludeStmt{}
	if p.is(STRING) || p.is(LSTRING) {
		inc.Path = &StringLit{Range: p.tok.Range, Value: StringValue(p.tok.Kind, p.tok.Text)}
		p.next()
	} else {
		p.errorAt(p.tok.Range, "expected a quoted file name after include, found "+describe(p.tok))
		inc.Path = &StringLit{Range: Range{p.prevEnd, p.prevEnd}}
	}
	end := p.expectSemi("include")
	inc.Range = Range{start, end}
	p.file.Includes = append(p.file.Includes, inc)
	return inc
}
