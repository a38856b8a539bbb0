package syntax

import "strings"

// Scanner splits VCL source into tokens. It never fails: characters it cannot
// place become ILLEGAL tokens and unterminated constructs are reported through
// the error handler and end at the end of the file.
type Scanner struct {
	src string
	off int
	err func(r Range, msg string)
	// delta turns a byte offset in src into the Pos the scanner reports:
	// 0 for an ordinary parse, base-offset of the current chunk in a
	// chunked parse (see ParseChunked).
	delta Pos
}

// Tok is one scanned token: its kind, range and source text.
type Tok struct {
	Kind Token
	Range
	Text string
	// NewlineBefore is true when a line break separates this token from the
	// previous one (used to recover from a missing ';').
	NewlineBefore bool
}

// NewScanner returns a scanner over src reporting errors to err (may be nil).
func NewScanner(src string, err func(r Range, msg string)) *Scanner {
	if err == nil {
		err = func(Range, string) {}
	}
	sc := &Scanner{src: src, err: err}
	if strings.HasPrefix(src, BOM) {
		sc.off = len(BOM) // a byte-order mark at the start is not a token
	}
	return sc
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isHex(c byte) bool    { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
func isIdentChar(c byte) bool {
	return isLetter(c) || isDigit(c)
}

// Next returns the next token, including COMMENT and MACRO tokens.
func (s *Scanner) Next() Tok {
	nl := false
	src, off := s.src, s.off
	for off < len(src) {
		switch src[off] {
		case ' ', '\t', '\r', '\f', '\v':
			off++
			continue
		case '\n':
			nl = true
			off++
			continue
		}
		break
	}
	s.off = off
	t := s.scan()
	t.NewlineBefore = nl
	t.Text = s.src[t.Start-s.delta : t.End-s.delta]
	return t
}

func (s *Scanner) tok(kind Token, start int) Tok {
	return Tok{Kind: kind, Range: s.rng(start, s.off)}
}

// rng is the range of the bytes [start, end) of src as positions.
func (s *Scanner) rng(start, end int) Range {
	return Range{Pos(start) + s.delta, Pos(end) + s.delta}
}

func (s *Scanner) peekByte(k int) byte {
	if s.off+k < len(s.src) {
		return s.src[s.off+k]
	}
	return 0
}

func (s *Scanner) scan() Tok {
	start := s.off
	if s.off >= len(s.src) {
		return s.tok(EOF, start)
	}
	c := s.src[s.off]
	switch {
	case isLetter(c):
		return s.scanIdent(start)
	case isDigit(c):
		return s.scanNumber(start)
	}
	s.off++
	switch c {
	case '#':
		return s.scanHashComment(start)
	case '/':
		switch s.peekByte(0) {
		case '/':
			s.skipLine()
			return s.tok(COMMENT, start)
		case '*':
			s.off++
			end := strings.Index(s.src[s.off:], "*/")
			if end < 0 {
				s.off = len(s.src)
				s.err(s.rng(start, start+2), "comment not terminated: missing '*/'")
			} else {
				s.off += end + 2
			}
			return s.tok(COMMENT, start)
		case '=':
			s.off++
			return s.tok(QUO_ASSIGN, start)
		}
		return s.tok(SLASH, start)
	case '"':
		return s.scanString(start)
	case '{':
		if t, ok := s.scanLongString(start); ok {
			return t
		}
		return s.tok(LBRACE, start)
	case '}':
		return s.tok(RBRACE, start)
	case '(':
		return s.tok(LPAREN, start)
	case ')':
		return s.tok(RPAREN, start)
	case ';':
		return s.tok(SEMICOLON, start)
	case ',':
		return s.tok(COMMA, start)
	case ':':
		return s.tok(COLON, start)
	case '.':
		return s.tok(DOT, start)
	case '~':
		return s.tok(MATCH, start)
	case '=':
		return s.op2('=', EQL, ASSIGN, start)
	case '!':
		switch s.peekByte(0) {
		case '=':
			s.off++
			return s.tok(NEQ, start)
		case '~':
			s.off++
			return s.tok(NOMATCH, start)
		}
		return s.tok(NOT, start)
	case '<':
		if s.peekByte(0) == '<' && s.peekByte(1) == '=' {
			s.off += 2
			return s.tok(SHL_ASSIGN, start)
		}
		return s.op2('=', LEQ, LSS, start)
	case '>':
		if s.peekByte(0) == '>' && s.peekByte(1) == '=' {
			s.off += 2
			return s.tok(SHR_ASSIGN, start)
		}
		return s.op2('=', GEQ, GTR, start)
	case '&':
		if s.peekByte(0) == '&' {
			s.off++
			return s.op2('=', LAND_ASSIGN, LAND, start)
		}
		if s.peekByte(0) == '=' {
			s.off++
			return s.tok(AND_ASSIGN, start)
		}
	case '|':
		if s.peekByte(0) == '|' {
			s.off++
			return s.op2('=', LOR_ASSIGN, LOR, start)
		}
		if s.peekByte(0) == '=' {
			s.off++
			return s.tok(OR_ASSIGN, start)
		}
	case '+':
		return s.op2('=', ADD_ASSIGN, PLUS, start)
	case '-':
		return s.op2('=', SUB_ASSIGN, MINUS, start)
	case '*':
		return s.op2('=', MUL_ASSIGN, STAR, start)
	case '%':
		return s.op2('=', REM_ASSIGN, PERCENT, start)
	case '^':
		if s.peekByte(0) == '=' {
			s.off++
			return s.tok(XOR_ASSIGN, start)
		}
	}
	// Skip the rest of a multi-byte character so ranges stay on rune
	// boundaries.
	for s.off < len(s.src) && s.src[s.off]&0xC0 == 0x80 {
		s.off++
	}
	t := s.tok(ILLEGAL, start)
	s.err(t.Range, "unexpected character "+quoteText(s.src[start:s.off]))
	return t
}

// op2 returns yes when the next byte is next (consuming it), else no.
func (s *Scanner) op2(next byte, yes, no Token, start int) Tok {
	if s.peekByte(0) == next {
		s.off++
		return s.tok(yes, start)
	}
	return s.tok(no, start)
}

func (s *Scanner) skipLine() {
	if i := strings.IndexByte(s.src[s.off:], '\n'); i >= 0 {
		s.off += i
	} else {
		s.off = len(s.src)
	}
}

// scanHashComment scans a # comment; "#FASTLY name" (any case) is a MACRO.
func (s *Scanner) scanHashComment(start int) Tok {
	s.skipLine()
	text := s.src[start:s.off]
	if IsMacroText(text) {
		return s.tok(MACRO, start)
	}
	return s.tok(COMMENT, start)
}

func (s *Scanner) scanIdent(start int) Tok {
	hasDot := false
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case isIdentChar(c):
			s.off++
		case c == '.' || c == '-':
			// Hyphens and dots continue a name only when followed by a name
			// character: req.http.X-Foo, var.X-Exp.
			if !isIdentChar(s.peekByte(1)) {
				goto done
			}
			if c == '.' {
				hasDot = true
			}
			s.off++
		case c == ':' && hasDot && isIdentChar(s.peekByte(1)):
			// Header subfield: req.http.Cookie:session. Labels (no dot) end at ':'.
			s.off++
		default:
			goto done
		}
	}
done:
	text := s.src[start:s.off]
	if (text == "rol" || text == "ror") && s.peekByte(0) == '=' && s.peekByte(1) != '=' {
		s.off++
		if text == "rol" {
			return s.tok(ROL_ASSIGN, start)
		}
		return s.tok(ROR_ASSIGN, start)
	}
	return s.tok(IDENT, start)
}

func (s *Scanner) scanDigits() int {
	n := 0
	for s.off < len(s.src) && isDigit(s.src[s.off]) {
		s.off++
		n++
	}
	return n
}

func (s *Scanner) scanNumber(start int) Tok {
	if s.src[s.off] == '0' && (s.peekByte(1) == 'x' || s.peekByte(1) == 'X') && isHex(s.peekByte(2)) {
		s.off += 2
		for s.off < len(s.src) && isHex(s.src[s.off]) {
			s.off++
		}
		if s.peekByte(0) == '.' && isHex(s.peekByte(1)) {
			s.off++
			for s.off < len(s.src) && isHex(s.src[s.off]) {
				s.off++
			}
			if (s.peekByte(0) == 'p' || s.peekByte(0) == 'P') && (isDigit(s.peekByte(1)) || (s.peekByte(1) == '-' || s.peekByte(1) == '+') && isDigit(s.peekByte(2))) {
				s.off += 2
				s.scanDigits()
			}
			return s.tok(FLOAT, start)
		}
		return s.tok(INT, start)
	}
	s.scanDigits()
	// IP address: 1.2.3.4
	if s.peekByte(0) == '.' && isDigit(s.peekByte(1)) {
		save := s.off
		dots := 0
		for s.peekByte(0) == '.' && isDigit(s.peekByte(1)) {
			s.off++
			s.scanDigits()
			dots++
		}
		if dots == 3 && !isIdentChar(s.peekByte(0)) {
			return s.tok(IPADDR, start)
		}
		s.off = save
	}
	kind := INT
	if s.peekByte(0) == '.' && isDigit(s.peekByte(1)) {
		s.off++
		s.scanDigits()
		kind = FLOAT
	}
	if (s.peekByte(0) == 'e' || s.peekByte(0) == 'E') && (isDigit(s.peekByte(1)) || (s.peekByte(1) == '-' || s.peekByte(1) == '+') && isDigit(s.peekByte(2))) {
		s.off += 2
		s.scanDigits()
		return s.tok(FLOAT, start)
	}
	// Duration units.
	unitStart := s.off
	for s.off < len(s.src) && (s.src[s.off] >= 'a' && s.src[s.off] <= 'z') {
		s.off++
	}
	switch s.src[unitStart:s.off] {
	case "":
		return s.tok(kind, start)
	case "ms", "s", "m", "h", "d", "y":
		if s.off < len(s.src) && isIdentChar(s.src[s.off]) {
			break
		}
		return s.tok(DURATION, start)
	}
	for s.off < len(s.src) && isIdentChar(s.src[s.off]) {
		s.off++
	}
	t := s.tok(ILLEGAL, start)
	s.err(t.Range, "malformed number "+quoteText(s.src[start:s.off])+": duration units are ms, s, m, h, d and y")
	return t
}

func (s *Scanner) scanString(start int) Tok {
	for s.off < len(s.src) {
		switch s.src[s.off] {
		case '"':
			s.off++
			return s.tok(STRING, start)
		case '\n':
			t := s.tok(STRING, start)
			s.err(s.rng(start, start+1), "string not terminated: plain strings cannot span lines (use a long string {\"…\"})")
			return t
		}
		s.off++
	}
	s.err(s.rng(start, start+1), "string not terminated: missing '\"'")
	return s.tok(STRING, start)
}

// scanLongString scans {"…"} or {delim"…"delim} after the '{' at start.
func (s *Scanner) scanLongString(start int) (Tok, bool) {
	i := s.off
	for i < len(s.src) && isIdentChar(s.src[i]) {
		i++
	}
	if i >= len(s.src) || s.src[i] != '"' {
		return Tok{}, false
	}
	delim := s.src[s.off:i]
	closing := "\"" + delim + "}"
	end := strings.Index(s.src[i+1:], closing)
	if end < 0 {
		if delim != "" {
			// `{name"` is not a long string unless it is closed.
			return Tok{}, false
		}
		s.off = len(s.src)
		s.err(s.rng(start, i+1), "long string not terminated: missing '"+closing+"'")
		return s.tok(LSTRING, start), true
	}
	s.off = i + 1 + end + len(closing)
	return s.tok(LSTRING, start), true
}

func quoteText(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return "'" + s + "'"
}

// StringValue decodes a STRING or LSTRING token's text to its value:
// %XX and %uXXXX escapes are decoded in plain strings, long strings are
// verbatim.
func StringValue(kind Token, text string) string {
	if kind == LSTRING {
		q := strings.IndexByte(text, '"')
		delimLen := q - 1
		body := text[q+1:]
		if cut := len(body) - (delimLen + 2); cut >= 0 {
			return body[:cut]
		}
		return ""
	}
	if len(text) >= 2 && text[len(text)-1] == '"' {
		text = text[1 : len(text)-1]
	} else if len(text) >= 1 {
		text = text[1:]
	}
	if strings.IndexByte(text, '%') < 0 {
		return text
	}
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '%' {
			if i+2 < len(text) && isHex(text[i+1]) && isHex(text[i+2]) {
				b.WriteByte(unhex(text[i+1])<<4 | unhex(text[i+2]))
				i += 2
				continue
			}
			if i+5 < len(text) && (text[i+1] == 'u' || text[i+1] == 'U') && isHex(text[i+2]) && isHex(text[i+3]) && isHex(text[i+4]) && isHex(text[i+5]) {
				r := rune(unhex(text[i+2]))<<12 | rune(unhex(text[i+3]))<<8 | rune(unhex(text[i+4]))<<4 | rune(unhex(text[i+5]))
				b.WriteRune(r)
				i += 5
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// macroSubs are the arguments a #FASTLY macro takes.
var macroSubs = map[string]bool{"recv": true, "hash": true, "hit": true, "miss": true, "pass": true,
	"fetch": true, "error": true, "deliver": true, "log": true}

// IsMacroText reports whether a # comment is a `#FASTLY <sub>` macro: the
// word FASTLY (any case) followed by one subroutine name and nothing else.
// "# Fastly only deals with GMT" stays a comment.
func IsMacroText(text string) bool {
	body := strings.TrimLeft(strings.TrimPrefix(text, "#"), " \t")
	if len(body) < 7 || !strings.EqualFold(body[:6], "fastly") || (body[6] != ' ' && body[6] != '\t') {
		return false
	}
	word := strings.TrimSpace(body[6:])
	return macroSubs[strings.ToLower(word)]
}
