package format

import (
	"fmt"
	"strings"

	"github.com/vclide/vclide/analysis/syntax"
)

// token is one significant token of the source with the comments that
// precede it. It holds no pointers (its text is sliced from the source on
// demand) to keep large files cheap.
type token struct {
	start, end syntax.Pos
	// nl is the number of newlines between the previous comment or token and
	// this token.
	nl int32
	// comments[c0:c1] are the comments between the previous significant token
	// and this one; c0 advances as they are printed.
	c0, c1 int32
	kind   syntax.Token
	// brk is true when any line break separates this token from the previous
	// significant token (directly or through comments).
	brk bool
}

// comment is one comment of the source.
type comment struct {
	start, end syntax.Pos
	text       string
	nl         int32 // newlines between the previous token or comment and this one
	line       bool  // a # or // comment, which ends its line
	multi      bool  // a block comment spanning lines
}

// tokenize splits the source into significant tokens (MACRO included) and
// comments. The last token is EOF.
func tokenize(src string) ([]token, []comment) {
	sc := syntax.NewScanner(src, nil)
	toks := make([]token, 0, len(src)/5+16) // VCL averages 5-8 bytes per token
	var comments []comment
	prevEnd := syntax.Pos(0)
	c0 := int32(0)
	brk := false
	for {
		t := sc.Next()
		nl := int32(strings.Count(src[prevEnd:t.Start], "\n"))
		prevEnd = t.End
		if t.Kind == syntax.COMMENT {
			text := t.Text
			line := !strings.HasPrefix(text, "/*")
			if line {
				text = strings.TrimRight(text, " \t\r")
			}
			c := comment{start: t.Start, end: t.End, text: text, nl: nl, line: line,
				multi: !line && strings.IndexByte(text, '\n') >= 0}
			comments = append(comments, c)
			brk = brk || nl > 0 || c.line || c.multi
			continue
		}
		toks = append(toks, token{kind: t.Kind, start: t.Start, end: t.End,
			nl: nl, brk: brk || nl > 0, c0: c0, c1: int32(len(comments))})
		c0 = int32(len(comments))
		brk = false
		if t.Kind == syntax.EOF {
			return toks, comments
		}
	}
}

// text returns the source text of t (a macro without trailing blanks).
func (p *printer) text(t *token) string {
	s := p.src[t.start:t.end]
	if t.kind == syntax.MACRO {
		s = strings.TrimRight(s, " \t\r")
	}
	return s
}

// writer accumulates the output. Line breaks are requested lazily so that a
// trailing comment can still be placed on the current line, and indentation
// is written only in front of content.
type writer struct {
	buf        []byte
	unit       string   // one level of indentation
	indents    []string // cache of indentation strings
	lineStart  int      // offset of the current line in buf
	lineIndent int      // indentation level of the current line
	content    bool     // the current line holds something besides indentation
	pending    int      // line breaks requested before the next content (0-2)
	pendIndent int      // indentation of the line after the pending break
	space      bool     // a space is wanted before the next content
	// mark, when armed, receives the start offset of the next new line.
	armed bool
	mark  int
}

func (w *writer) indent(n int) string {
	for len(w.indents) <= n {
		w.indents = append(w.indents, strings.Repeat(w.unit, len(w.indents)))
	}
	return w.indents[n]
}

// newline asks for a line break before the next content; the next line is
// indented n levels.
func (w *writer) newline(n int) {
	if w.pending == 0 {
		w.pending = 1
	}
	w.pendIndent = n
}

// blank asks for a blank line before the next content.
func (w *writer) blank(n int) {
	w.pending = 2
	w.pendIndent = n
}

// emit writes s, first honouring a pending line break or space.
func (w *writer) emit(s string) {
	if w.pending > 0 {
		if len(w.buf) > 0 {
			for k := 0; k < w.pending; k++ {
				w.buf = append(w.buf, '\n')
			}
		}
		w.lineStart = len(w.buf)
		if w.armed {
			w.mark, w.armed = w.lineStart, false
		}
		w.buf = append(w.buf, w.indent(w.pendIndent)...)
		w.lineIndent = w.pendIndent
		w.pending = 0
		w.content = false
	} else if w.armed && !w.content {
		w.mark, w.armed = w.lineStart, false
	}
	if w.space && w.content {
		w.buf = append(w.buf, ' ')
	}
	w.buf = append(w.buf, stripCR(s)...)
	w.content = true
	w.space = false
}

// appendTrailing writes a trailing comment at the end of the current line,
// before any pending line break.
func (w *writer) appendTrailing(s string) {
	w.buf = append(w.buf, ' ')
	w.buf = append(w.buf, stripCR(s)...)
	w.space = false
}

// String returns the output with exactly one final newline (or nothing for
// an empty file).
func (w *writer) String() string {
	if len(w.buf) == 0 {
		return ""
	}
	return string(append(w.buf, '\n'))
}

// mismatch is raised when the tree and the token stream disagree; the
// enclosing top-level item is then copied verbatim.
type mismatch struct{ msg string }

// printer walks the tree and the token stream together.
type printer struct {
	src      string
	tree     *syntax.File
	toks     []token
	comments []comment
	i        int // next token
	w        writer
	// cont is the indentation of continuation lines of the current statement
	// or parenthesis.
	cont   int
	parens []parenState
	// srcEnd is the end of the last token or comment printed.
	srcEnd syntax.Pos
	// fallbacks counts top-level items copied verbatim after a mismatch;
	// lastMismatch describes the last one (for tests).
	fallbacks    int
	lastMismatch string
	// recs is non-nil when spans are recorded for range formatting.
	recs   []rec
	parent int // record of the enclosing statement (-1 at top level)
	lists  int // number of item lists opened so far
}

func newPrinter(f *syntax.File, opts Options) *printer {
	toks, comments := tokenize(f.Source.Text)
	unit := "  "
	if opts.UseTabs {
		unit = "\t"
	} else if opts.IndentWidth > 0 {
		unit = strings.Repeat(" ", opts.IndentWidth)
	}
	p := &printer{src: f.Source.Text, tree: f, toks: toks, comments: comments, parent: -1}
	p.w.unit = unit
	p.w.buf = make([]byte, 0, len(p.src)+len(p.src)/8+16)
	return p
}

func (p *printer) fail(format string, args ...any) {
	panic(mismatch{fmt.Sprintf(format, args...)})
}

// tok returns the next unprinted token.
func (p *printer) tok() *token { return &p.toks[p.i] }

// peekKind returns the kind of the token k places after the next one.
func (p *printer) peekKind(k int) syntax.Token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k].kind
	}
	return syntax.EOF
}

// sp asks for a space before the next token.
func (p *printer) sp() { p.w.space = true }

// brk keeps a line break the source had before the next token.
func (p *printer) brk() {
	if p.tok().brk {
		p.w.newline(p.cont)
	}
}

// put prints the next token after the comments before it.
func (p *printer) put() {
	t := p.tok()
	p.inlineComments(t)
	switch t.kind {
	case syntax.SEMICOLON, syntax.COMMA, syntax.RPAREN, syntax.COLON:
		p.w.space = false // never after a comment either
	}
	p.w.emit(p.text(t))
	p.srcEnd = t.end
	p.i++
}

// take prints the next token, which must be of the given kind.
func (p *printer) take(kind syntax.Token) {
	if t := p.tok(); t.kind != kind {
		p.fail("expected %s at %d, found %q", kind, t.start, p.text(t))
	}
	p.put()
}

// takeAt prints the next token, which must start at pos.
func (p *printer) takeAt(pos syntax.Pos) {
	if t := p.tok(); t.start != pos {
		p.fail("expected a token at %d, found %q at %d", pos, p.text(t), t.start)
	}
	p.put()
}

// takeWord prints the next token, which must be the identifier word.
func (p *printer) takeWord(word string) {
	if t := p.tok(); t.kind != syntax.IDENT || p.text(t) != word {
		p.fail("expected %q at %d, found %q", word, t.start, p.text(t))
	}
	p.put()
}

// takeRange prints the tokens of r glued together (a literal is one token;
// a director quorum `50%` is two).
func (p *printer) takeRange(r syntax.Range) {
	p.takeAt(r.Start)
	for p.tok().start < r.End && p.tok().kind != syntax.EOF {
		p.put()
	}
}

// drop skips the next token (a stray ';'), handing its comments to the
// token after it.
func (p *printer) drop() {
	t, next := p.toks[p.i], &p.toks[p.i+1]
	if next.c0 == next.c1 {
		next.nl += t.nl
	} else if c := &p.comments[next.c0]; c.nl == 0 {
		c.nl = t.nl // a comment after the ';' is on the ';''s line
	}
	next.c0 = t.c0
	next.brk = next.brk || t.brk
	p.i++
}

// inlineComments prints the comments before t inside a statement: trailing
// ones on the current line, the others on lines of their own.
func (p *printer) inlineComments(t *token) {
	for ; t.c0 < t.c1; t.c0++ {
		c := &p.comments[t.c0]
		ends := c.line || c.multi
		if c.nl == 0 && p.w.content {
			p.w.appendTrailing(c.text)
			if ends && p.w.pending == 0 {
				p.w.newline(p.cont)
			}
		} else {
			if p.w.pending == 0 {
				p.w.newline(p.cont)
			}
			p.w.emit(c.text)
			if ends {
				p.w.newline(p.w.lineIndent)
			}
		}
		if !ends {
			p.w.space = true
		}
		p.srcEnd = c.end
	}
}

// leading prints the comments before the next item of a list (statement,
// declaration, property, entry) at the item's indentation. A comment on the
// same line as what precedes it stays there. first reports whether nothing
// has been printed in the list yet (no blank line then); *forceBlank asks
// for a blank line before the first line printed and is cleared once used.
// It returns the start of the first comment printed on its own line, or -1.
func (p *printer) leading(indent int, first, forceBlank *bool) (ownStart syntax.Pos) {
	t := p.tok()
	ownStart = -1
	for ; t.c0 < t.c1; t.c0++ {
		c := &p.comments[t.c0]
		if c.nl == 0 && p.w.content {
			p.w.appendTrailing(c.text)
		} else {
			if ownStart < 0 {
				ownStart = c.start
			}
			if !*first && (c.nl >= 2 || *forceBlank) {
				p.w.blank(indent)
			} else {
				p.w.newline(indent)
			}
			*forceBlank = false
			p.w.emit(c.text)
			*first = false
		}
		p.srcEnd = c.end
		if c.line || c.multi {
			p.w.newline(indent)
		} else {
			p.w.space = true
		}
	}
	return ownStart
}

// trailing prints the comments that follow the last token on its line.
func (p *printer) trailing() {
	t := p.tok()
	for ; t.c0 < t.c1; t.c0++ {
		c := &p.comments[t.c0]
		if c.nl != 0 || !p.w.content {
			return
		}
		p.w.appendTrailing(c.text)
		p.srcEnd = c.end
		if c.line || c.multi {
			t.c0++
			p.w.newline(p.w.lineIndent)
			return
		}
		p.w.space = true
	}
}

// atCol0 reports whether pos starts its source line.
func (p *printer) atCol0(pos syntax.Pos) bool {
	return pos == 0 || p.src[pos-1] == '\n'
}

// onlySpaceBefore reports whether only blanks precede pos on its line.
func (p *printer) onlySpaceBefore(pos syntax.Pos) bool {
	for i := int(pos) - 1; i >= 0; i-- {
		switch p.src[i] {
		case '\n':
			return true
		case ' ', '\t', '\r', '\f', '\v':
		default:
			return false
		}
	}
	return true
}

// onlySpaceAfter reports whether only blanks follow pos on its line.
func (p *printer) onlySpaceAfter(pos syntax.Pos) bool {
	for i := int(pos); i < len(p.src); i++ {
		switch p.src[i] {
		case '\n':
			return true
		case ' ', '\t', '\r', '\f', '\v':
		default:
			return false
		}
	}
	return true
}
