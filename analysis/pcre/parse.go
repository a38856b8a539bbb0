package pcre

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// flags are the PCRE2 options that can change inside a pattern.
type flags uint16

const (
	fCaseless flags = 1 << iota
	fMultiline
	fDotall
	fExtended
	fExtendedMore
	fNoAutoCapture
	fUngreedy
	fDupNames
)

// Limits that PCRE2 enforces with its default build settings.
const (
	maxNest       = 250   // parentheses nesting
	maxGroupNum   = 65535 // capture groups and group numbers
	maxNameLen    = 32    // group names
	maxRepeatNum  = 65535 // {n,m} counts
	maxCalloutNum = 255
)

// bailout is panicked by parser.fail and recovered by parse.
type bailout struct{}

// groupName records a named capture group.
type groupName struct {
	name  string
	index int
}

// resetCtx tracks capture numbering inside a (?|…) branch reset group.
type resetCtx struct {
	base, max int
}

// parser holds the state of one parse of a pattern.
type parser struct {
	src   string
	pos   int
	fl    flags
	inQ   bool // inside \Q…\E
	ncap  int  // capture groups opened so far (PCRE numbering)
	depth int

	names     []groupName
	refs      []*node  // nodes that refer to groups, checked after the parse
	startOpts []string // start-of-pattern options that change the meaning
	reasons   []string
	err       *SyntaxError
	slab      []node // nodes are allocated from here, one block per parse

	// scr is set for a validation-only parse (Check): nodes, lists and
	// classes then come from memory reused from pattern to pattern, since
	// the tree does not outlive the parse.
	scr *scratch
	// stack holds the items of the branches and alternatives being read,
	// so that each list is allocated once, at its final length.
	stack []*node
}

// parse parses a whole pattern. On a syntax error the returned parser's err
// is set and the tree is nil.
func parse(src string) (root *node, p *parser) {
	p = &parser{src: src}
	return p.run(), p
}

// run parses p.src and returns the tree, or nil on a syntax error (p.err).
func (p *parser) run() (root *node) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			root = nil
		}
	}()
	p.startOptions()
	root = p.parseAlt(nil)
	if p.pos < len(p.src) {
		p.fail(p.pos, p.pos+1, "unmatched closing parenthesis")
	}
	p.checkLookbehinds(root)
	p.resolve()
	return root
}

// fail records a syntax error spanning [off, end) and aborts the parse.
func (p *parser) fail(off, end int, msg string) {
	n := len(p.src)
	if off >= n {
		off = n - 1
	}
	if off < 0 {
		off = 0
	}
	if end > n {
		end = n
	}
	if end <= off {
		end = off + 1
		if end > n {
			end = n
		}
	}
	p.err = &SyntaxError{Offset: off, End: end, Msg: msg}
	panic(bailout{})
}

// reason notes a construct that Go's regexp package cannot run.
func (p *parser) reason(r string) {
	if p.scr != nil {
		return // only Features reports reasons
	}
	for _, x := range p.reasons {
		if x == r {
			return
		}
	}
	p.reasons = append(p.reasons, r)
}

func (p *parser) eof() bool { return p.pos >= len(p.src) }

func (p *parser) hasPrefix(s string) bool { return strings.HasPrefix(p.src[p.pos:], s) }

// runeAt decodes the character at i. A byte that is not valid UTF-8 is
// taken as the character with that code (as PCRE2 does without UTF mode).
func (p *parser) runeAt(i int) (rune, int) {
	r, size := utf8.DecodeRuneInString(p.src[i:])
	if r == utf8.RuneError && size <= 1 {
		return rune(p.src[i]), 1
	}
	return r, size
}

// startOptions skips the (*UTF), (*LIMIT_MATCH=n), … items that may open a
// pattern.
func (p *parser) startOptions() {
	for p.hasPrefix("(*") {
		rest := p.src[p.pos+2:]
		matched := false
		for _, o := range startOptionNames {
			if strings.HasSuffix(o, "=") {
				if !strings.HasPrefix(rest, o) {
					continue
				}
				i := len(o)
				for i < len(rest) && isDigit(rest[i]) {
					i++
				}
				if i == len(o) || i >= len(rest) || rest[i] != ')' {
					p.fail(p.pos, p.pos+2+i, "(*VERB) not recognized or malformed")
				}
				p.pos += 2 + i + 1
				matched = true
				break
			}
			if strings.HasPrefix(rest, o+")") {
				if semanticStartOptions[o] {
					p.reason("(*" + o + ") option")
					p.startOpts = append(p.startOpts, o)
				}
				p.pos += 2 + len(o) + 1
				matched = true
				break
			}
		}
		if !matched {
			return
		}
	}
}

var startOptionNames = []string{
	"UTF8", "UTF", "UCP", "NOTEMPTY_ATSTART", "NOTEMPTY", "NO_AUTO_POSSESS",
	"NO_DOTSTAR_ANCHOR", "NO_JIT", "NO_START_OPT", "LIMIT_HEAP=", "LIMIT_MATCH=",
	"LIMIT_DEPTH=", "LIMIT_RECURSION=", "CRLF", "CR", "LF", "ANYCRLF", "ANY",
	"NUL", "BSR_ANYCRLF", "BSR_UNICODE", "CASELESS_RESTRICT", "TURKISH_CASING",
}

// semanticStartOptions change what a pattern matches; the others only
// affect optimisation, limits or settings that are already the default.
var semanticStartOptions = map[string]bool{
	"UCP": true, "NOTEMPTY_ATSTART": true, "NOTEMPTY": true, "CRLF": true,
	"CR": true, "ANYCRLF": true, "ANY": true, "NUL": true, "BSR_ANYCRLF": true,
	"CASELESS_RESTRICT": true, "TURKISH_CASING": true,
}

// parseAlt parses alternatives up to a ")" or the end of the pattern,
// leaving the ")" unread.
func (p *parser) parseAlt(reset *resetCtx) *node {
	start := p.pos
	mark := len(p.stack)
	defer p.pop(mark)
	for {
		b := p.parseBranch()
		p.stack = append(p.stack, b)
		if p.eof() || p.inQ || p.src[p.pos] != '|' {
			break
		}
		p.pos++
		if reset != nil {
			if p.ncap > reset.max {
				reset.max = p.ncap
			}
			p.ncap = reset.base
		}
	}
	if reset != nil && reset.max > p.ncap {
		p.ncap = reset.max
	}
	if len(p.stack) == mark+1 {
		return p.stack[mark]
	}
	return p.alloc(node{kind: nAlt, pos: start, end: p.pos, subs: p.list(p.stack[mark:])})
}

// parseBranch parses one alternative: a sequence of possibly quantified
// items.
func (p *parser) parseBranch() *node {
	start := p.pos
	mark := len(p.stack)
	defer p.pop(mark)
	okq := false // whether the previous item may be quantified
	for {
		p.skipTransparent()
		if p.eof() {
			break
		}
		c := p.src[p.pos]
		if !p.inQ {
			if c == '|' || c == ')' {
				break
			}
			qpos := p.pos
			min, max, isQuant := 0, 0, false
			switch c {
			case '*':
				min, max, isQuant = 0, -1, true
				p.pos++
			case '+':
				min, max, isQuant = 1, -1, true
				p.pos++
			case '?':
				min, max, isQuant = 0, 1, true
				p.pos++
			case '{':
				var end int
				min, max, end, isQuant = p.readRepeat(p.pos)
				if isQuant {
					p.pos = end
				}
			}
			if isQuant {
				if !okq {
					p.fail(qpos, p.pos, "quantifier does not follow a repeatable item")
				}
				p.quantify(p.stack[mark:], min, max)
				okq = false
				continue
			}
		}
		n, q := p.parseAtom()
		p.stack = append(p.stack, n)
		okq = q
	}
	switch len(p.stack) - mark {
	case 0:
		return p.alloc(node{kind: nEmpty, pos: start, end: p.pos})
	case 1:
		return p.stack[mark]
	}
	return p.alloc(node{kind: nConcat, pos: start, end: p.pos, subs: p.list(p.stack[mark:])})
}

// quantify wraps the last item in a repeat, reading a following lazy "?" or
// possessive "+".
func (p *parser) quantify(items []*node, min, max int) {
	last := items[len(items)-1]
	p.skipTransparent()
	lazy, poss := false, false
	if !p.eof() && !p.inQ {
		switch p.src[p.pos] {
		case '?':
			lazy = true
			p.pos++
		case '+':
			poss = true
			p.pos++
		}
	}
	if p.fl&fUngreedy != 0 && !poss {
		lazy = !lazy
	}
	if poss {
		p.reason("possessive quantifier")
	}
	if min > 1000 || max > 1000 {
		p.reason("repeat count above 1000")
	}
	items[len(items)-1] = p.alloc(node{kind: nRepeat, pos: last.pos, end: p.pos,
		min: min, max: max, lazy: lazy, poss: poss, subs: p.list1(last)})
}

// readRepeat reads a {n}, {n,} or {n,m} quantifier at i. ok is false when
// the text there is not a quantifier (PCRE then takes "{" literally); a
// count that is too big or out of order is a syntax error.
func (p *parser) readRepeat(i int) (min, max, end int, ok bool) {
	start := i
	i++
	min, i, ok = p.readCount(start, i)
	if !ok || i >= len(p.src) {
		return 0, 0, 0, false
	}
	if p.src[i] == '}' {
		return min, min, i + 1, true
	}
	if p.src[i] != ',' {
		return 0, 0, 0, false
	}
	i++
	if i >= len(p.src) {
		return 0, 0, 0, false
	}
	if p.src[i] == '}' {
		return min, -1, i + 1, true
	}
	max, i, ok = p.readCount(start, i)
	if !ok || i >= len(p.src) || p.src[i] != '}' {
		return 0, 0, 0, false
	}
	if max < min {
		p.fail(start, i+1, "numbers out of order in {} quantifier")
	}
	return min, max, i + 1, true
}

// readCount reads the decimal digits of a repeat count.
func (p *parser) readCount(qstart, i int) (n, end int, ok bool) {
	j := i
	for j < len(p.src) && isDigit(p.src[j]) {
		if n <= maxRepeatNum {
			n = n*10 + int(p.src[j]-'0')
		}
		j++
	}
	if j == i {
		return 0, i, false
	}
	if n > maxRepeatNum {
		p.fail(qstart, j, "number too big in {} quantifier")
	}
	return n, j, true
}

// skipTransparent skips what PCRE ignores between items: \Q and \E
// markers, (?#…) comments and, in extended mode, white space and
// #-comments.
func (p *parser) skipTransparent() {
	for !p.eof() {
		if p.inQ {
			if p.hasPrefix(`\E`) {
				p.inQ = false
				p.pos += 2
				continue
			}
			return
		}
		if p.hasPrefix(`\Q`) {
			p.inQ = true
			p.pos += 2
			continue
		}
		if p.hasPrefix(`\E`) {
			p.pos += 2
			continue
		}
		if p.fl&fExtended != 0 {
			r, size := p.runeAt(p.pos)
			if isPatternSpace(r) {
				p.pos += size
				continue
			}
			if r == '#' {
				nl := strings.IndexByte(p.src[p.pos:], '\n')
				if nl < 0 {
					p.pos = len(p.src)
				} else {
					p.pos += nl + 1
				}
				continue
			}
		}
		if p.hasPrefix("(?#") {
			close := strings.IndexByte(p.src[p.pos:], ')')
			if close < 0 {
				p.fail(p.pos, len(p.src), "missing ) after (?# comment")
			}
			p.pos += close + 1
			continue
		}
		return
	}
}

// isPatternSpace reports the characters extended mode ignores.
func isPatternSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0x85, 0x200e, 0x200f, 0x2028, 0x2029:
		return true
	}
	return false
}

// parseAtom parses one item that is not a quantifier. It reports whether a
// quantifier may follow it.
func (p *parser) parseAtom() (*node, bool) {
	start := p.pos
	if p.inQ {
		r, size := p.runeAt(p.pos)
		p.pos += size
		return p.alloc(node{kind: nLit, r: r, pos: start, end: p.pos}), true
	}
	switch p.src[p.pos] {
	case '\\':
		return p.parseEscapeAtom()
	case '^', '$':
		p.pos++
		return p.alloc(node{kind: nAssert, esc: p.src[start], multiline: p.fl&fMultiline != 0,
			pos: start, end: p.pos}), false
	case '.':
		p.pos++
		return p.alloc(node{kind: nDot, dotall: p.fl&fDotall != 0, pos: start, end: p.pos}), true
	case '[':
		return p.parseClass(), true
	case '(':
		return p.parseParen()
	}
	r, size := p.runeAt(p.pos)
	p.pos += size
	return p.alloc(node{kind: nLit, r: r, pos: start, end: p.pos}), true
}

// newCapture numbers a new capture group.
func (p *parser) newCapture(at int) int {
	if p.ncap >= maxGroupNum {
		p.fail(at, at+1, "too many capturing groups (maximum 65535)")
	}
	p.ncap++
	return p.ncap
}

// addName registers the name of capture group index.
func (p *parser) addName(name string, index, at, end int) {
	for _, g := range p.names {
		if g.name == name {
			if g.index == index {
				return
			}
			if p.fl&fDupNames == 0 {
				p.fail(at, end, "two named subpatterns have the same name (PCRE2_DUPNAMES not set)")
			}
		} else if g.index == index {
			p.fail(at, end, "different names for subpatterns of the same number are not allowed")
		}
	}
	p.names = append(p.names, groupName{name: name, index: index})
}

// groupBody parses the body of a group whose opening text ends at p.pos,
// with fl in force inside, and reads the closing parenthesis.
func (p *parser) groupBody(start int, kind groupKind, index int, fl flags) *node {
	p.depth++
	if p.depth > maxNest {
		p.fail(start, start+1, "parentheses are too deeply nested")
	}
	saved := p.fl
	p.fl = fl
	var reset *resetCtx
	if kind == gBranchReset {
		reset = &resetCtx{base: p.ncap, max: p.ncap}
	}
	body := p.parseAlt(reset)
	if p.eof() || p.inQ || p.src[p.pos] != ')' {
		p.fail(start, start+1, "missing closing parenthesis")
	}
	p.pos++
	p.fl = saved
	p.depth--
	return p.alloc(node{kind: nGroup, group: kind, index: index, caseless: fl&fCaseless != 0,
		pos: start, end: p.pos, subs: p.list1(body)})
}

// readName reads a group name at i that must end with term, returning the
// name and the offset after term.
func (p *parser) readName(i int, term byte) (string, int) {
	if i >= len(p.src) {
		p.fail(i-1, i, "subpattern name expected")
	}
	if isDigit(p.src[i]) {
		p.fail(i, i+1, "subpattern name must start with a non-digit")
	}
	j := i
	for j < len(p.src) {
		r, size := p.runeAt(j)
		if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		j += size
	}
	name := p.src[i:j]
	if utf8.RuneCountInString(name) > maxNameLen {
		p.fail(i, j, "subpattern name is too long (maximum 32 code units)")
	}
	if name == "" {
		p.fail(i, i+1, "subpattern name expected")
	}
	if j >= len(p.src) || p.src[j] != term {
		p.fail(j, j+1, "syntax error in subpattern name (missing terminator?)")
	}
	return name, j + 1
}

// readNumber reads a group number at i, optionally signed. A signed number
// is relative to the groups opened so far. ok is false when no digits are
// there.
func (p *parser) readNumber(i int, signed bool) (n, end int, ok bool) {
	sign := 0
	j := i
	if signed && j < len(p.src) && (p.src[j] == '+' || p.src[j] == '-') {
		if p.src[j] == '+' {
			sign = 1
		} else {
			sign = -1
		}
		j++
	}
	if j >= len(p.src) || !isDigit(p.src[j]) {
		return 0, i, false
	}
	for j < len(p.src) && isDigit(p.src[j]) {
		if n <= maxGroupNum {
			n = n*10 + int(p.src[j]-'0')
		}
		j++
	}
	if n > maxGroupNum {
		p.fail(i, j, "subpattern number is too big")
	}
	switch {
	case sign != 0 && n == 0:
		p.fail(i, j, "a relative value of zero is not allowed")
	case sign > 0:
		n += p.ncap
	case sign < 0:
		if n > p.ncap {
			p.fail(i, j, "reference to non-existent subpattern")
		}
		n = p.ncap + 1 - n
	}
	return n, j, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func hexVal(c byte) int {
	switch {
	case isDigit(c):
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}

func isWordByte(c byte) bool {
	return c == '_' || isDigit(c) || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isAlnum(c byte) bool { return isWordByte(c) && c != '_' }

// alloc places n in the parser's slab: a pattern's nodes are allocated in
// one block sized to the pattern instead of one by one.
func (p *parser) alloc(n node) *node {
	if p.scr != nil {
		return p.scr.node(n)
	}
	if len(p.slab) == 0 {
		p.slab = make([]node, len(p.src)/4+4)
	}
	x := &p.slab[0]
	*x = n
	p.slab = p.slab[1:]
	return x
}

// pop drops the items a finished branch or alternative left on the stack.
func (p *parser) pop(mark int) {
	clear(p.stack[mark:])
	p.stack = p.stack[:mark]
}

// list copies the items of a sequence or alternative out of the stack.
func (p *parser) list(items []*node) []*node {
	if p.scr != nil {
		return p.scr.list(items)
	}
	return append([]*node(nil), items...)
}

// list1 is the list of one node (a repeat's or group's body).
func (p *parser) list1(n *node) []*node {
	if p.scr != nil {
		return p.scr.list([]*node{n})
	}
	return []*node{n}
}

// newClass returns an empty class for parseClass to fill.
func (p *parser) newClass() *charClass {
	if p.scr != nil {
		return p.scr.class()
	}
	return &charClass{}
}
