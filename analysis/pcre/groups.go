package pcre

// parseParen parses everything that starts with "(": groups, assertions,
// option settings, recursions, conditionals, callouts and verbs. It reports
// whether a quantifier may follow.
func (p *parser) parseParen() (*node, bool) {
	start := p.pos
	if start+1 >= len(p.src) {
		p.fail(start, start+1, "missing closing parenthesis")
	}
	switch p.src[start+1] {
	case '*':
		return p.parseStarParen(start)
	case '?':
	default:
		p.pos++
		if p.fl&fNoAutoCapture != 0 {
			return p.groupBody(start, gNonCapture, 0, p.fl), true
		}
		return p.groupBody(start, gCapture, p.newCapture(start), p.fl), true
	}
	p.pos += 2
	if p.eof() {
		p.fail(start, start+1, "missing closing parenthesis")
	}
	c := p.src[p.pos]
	switch c {
	case ':':
		p.pos++
		return p.groupBody(start, gNonCapture, 0, p.fl), true
	case '|':
		p.pos++
		p.reason("branch reset group")
		return p.groupBody(start, gBranchReset, 0, p.fl), true
	case '>':
		p.pos++
		p.reason("atomic group")
		return p.groupBody(start, gAtomic, 0, p.fl), true
	case '=', '!', '*':
		p.pos++
		p.reason("look-ahead")
		kind := gLookahead
		if c == '!' {
			kind = gNegLookahead
		} else if c == '*' {
			kind = gNonAtomicLookahead
		}
		return p.groupBody(start, kind, 0, p.fl), true
	case '<':
		if p.pos+1 < len(p.src) {
			switch p.src[p.pos+1] {
			case '=', '!', '*':
				kind := gLookbehind
				if p.src[p.pos+1] == '!' {
					kind = gNegLookbehind
				} else if p.src[p.pos+1] == '*' {
					kind = gNonAtomicLookbehind
				}
				p.pos += 2
				p.reason("look-behind")
				return p.groupBody(start, kind, 0, p.fl), true
			}
		}
		return p.namedGroup(start, p.pos+1, '>'), true
	case '\'':
		return p.namedGroup(start, p.pos+1, '\''), true
	case 'P':
		p.pos++
		if p.eof() {
			p.fail(start, start+1, "missing closing parenthesis")
		}
		switch p.src[p.pos] {
		case '<':
			return p.namedGroup(start, p.pos+1, '>'), true
		case '>':
			name, end := p.readName(p.pos+1, ')')
			p.pos = end
			return p.recursion(start, 0, name), true
		case '=':
			name, end := p.readName(p.pos+1, ')')
			p.pos = end
			p.reason("backreference")
			n := p.alloc(node{kind: nBackref, name: name, pos: start, end: p.pos})
			p.refs = append(p.refs, n)
			return n, true
		}
		p.fail(p.pos, p.pos+1, "unrecognized character after (?P")
	case 'R':
		p.pos++
		if p.eof() || p.src[p.pos] != ')' {
			p.fail(start, p.pos+1, "(?R (recursive pattern call) must be followed by )")
		}
		p.pos++
		return p.recursion(start, 0, ""), true
	case '+':
		if p.pos+1 >= len(p.src) || !isDigit(p.src[p.pos+1]) {
			p.fail(p.pos, p.pos+1, "digit expected after (?+ or (?-")
		}
		return p.numberedRecursion(start), true
	case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return p.numberedRecursion(start), true
	case '&':
		name, end := p.readName(p.pos+1, ')')
		p.pos = end
		return p.recursion(start, 0, name), true
	case 'C':
		p.pos++
		return p.parseCallout(start), false
	case '(':
		return p.parseCond(start), true
	case '-':
		if p.pos+1 < len(p.src) && isDigit(p.src[p.pos+1]) {
			return p.numberedRecursion(start), true
		}
	}
	return p.parseOptions(start)
}

// namedGroup parses a named capture group whose name starts at i.
func (p *parser) namedGroup(start, i int, term byte) *node {
	name, end := p.readName(i, term)
	index := p.newCapture(start)
	p.addName(name, index, i, end-1)
	p.pos = end
	return p.groupBody(start, gCapture, index, p.fl)
}

// recursion builds a recursion or subroutine-call node.
func (p *parser) recursion(start, index int, name string) *node {
	p.reason("recursion")
	n := p.alloc(node{kind: nRecurse, index: index, name: name, pos: start, end: p.pos})
	p.refs = append(p.refs, n)
	return n
}

// numberedRecursion parses (?n), (?+n) and (?-n).
func (p *parser) numberedRecursion(start int) *node {
	n, end, _ := p.readNumber(p.pos, !isDigit(p.src[p.pos]))
	p.pos = end
	if p.eof() || p.src[p.pos] != ')' {
		p.fail(start, start+1, "missing closing parenthesis")
	}
	p.pos++
	return p.recursion(start, n, "")
}

// parseOptions parses (?imnsxU-imnsx) and (?imnsx-imnsx:…); p.pos is just
// after "(?".
func (p *parser) parseOptions(start int) (*node, bool) {
	fl := p.fl
	hyphenOK, unset := true, false
	if p.src[p.pos] == '^' {
		fl &^= fCaseless | fMultiline | fNoAutoCapture | fDotall | fExtended | fExtendedMore
		hyphenOK = false
		p.pos++
	}
	for !p.eof() && p.src[p.pos] != ')' && p.src[p.pos] != ':' {
		c := p.src[p.pos]
		p.pos++
		var bit flags
		switch c {
		case '-':
			if !hyphenOK {
				p.fail(p.pos-1, p.pos, "invalid hyphen in option setting")
			}
			unset, hyphenOK = true, false
			continue
		case 'i':
			bit = fCaseless
		case 'm':
			bit = fMultiline
		case 'n':
			bit = fNoAutoCapture
		case 's':
			bit = fDotall
		case 'U':
			bit = fUngreedy
		case 'J':
			bit = fDupNames
		case 'x':
			bit = fExtended
			if !p.eof() && p.src[p.pos] == 'x' {
				bit |= fExtendedMore
				p.pos++
			} else if !unset {
				fl &^= fExtendedMore
			}
			if unset {
				bit |= fExtendedMore
			}
		case 'r':
			// Caseless restrict (PCRE2 10.43): no effect on ASCII matching.
		case 'a':
			// ASCII restrictions (PCRE2 10.43), optionally (?aD) (?aS) …
			for !p.eof() && stringsContainsByte("DSWPT", p.src[p.pos]) {
				p.pos++
			}
		default:
			p.fail(p.pos-1, p.pos, "unrecognized character after (? or (?-")
		}
		if unset {
			fl &^= bit
		} else {
			fl |= bit
		}
	}
	if p.eof() {
		p.fail(start, start+1, "missing closing parenthesis")
	}
	if p.src[p.pos] == ')' {
		p.pos++
		p.fl = fl
		return p.alloc(node{kind: nFlags, caseless: fl&fCaseless != 0, pos: start, end: p.pos}), false
	}
	p.pos++ // ':'
	return p.groupBody(start, gNonCapture, 0, fl), true
}

func stringsContainsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

// parseCallout parses (?C), (?Cn) and (?C"text"); p.pos is after "(?C".
func (p *parser) parseCallout(start int) *node {
	if p.eof() {
		p.fail(start, start+1, "missing closing parenthesis")
	}
	c := p.src[p.pos]
	if c != ')' && !isDigit(c) {
		var close byte
		switch c {
		case '`', '\'', '"', '^', '%', '#', '$':
			close = c
		case '{':
			close = '}'
		default:
			p.fail(p.pos, p.pos+1, "invalid delimiter after (?C")
		}
		strStart := p.pos
		i := p.pos
		for {
			i++
			if i >= len(p.src) {
				p.fail(strStart, len(p.src), "missing terminating delimiter for callout with string argument")
			}
			if p.src[i] == close {
				i++
				if i >= len(p.src) || p.src[i] != close {
					break
				}
			}
		}
		p.pos = i
	} else {
		n := 0
		for !p.eof() && isDigit(p.src[p.pos]) {
			n = n*10 + int(p.src[p.pos]-'0')
			if n > maxCalloutNum {
				p.fail(start, p.pos+1, "number after (?C is greater than 255")
			}
			p.pos++
		}
	}
	if p.eof() || p.src[p.pos] != ')' {
		p.fail(start, p.pos+1, "closing parenthesis for (?C expected")
	}
	p.pos++
	p.reason("callout")
	return p.alloc(node{kind: nCallout, pos: start, end: p.pos})
}

// alphaAssertions maps the (*name: …) spellings of groups to their kinds.
var alphaAssertions = map[string]groupKind{
	"pla": gLookahead, "positive_lookahead": gLookahead,
	"nla": gNegLookahead, "negative_lookahead": gNegLookahead,
	"plb": gLookbehind, "positive_lookbehind": gLookbehind,
	"nlb": gNegLookbehind, "negative_lookbehind": gNegLookbehind,
	"napla": gNonAtomicLookahead, "non_atomic_positive_lookahead": gNonAtomicLookahead,
	"naplb": gNonAtomicLookbehind, "non_atomic_positive_lookbehind": gNonAtomicLookbehind,
	"atomic": gAtomic,
	"sr":     gScriptRun, "script_run": gScriptRun,
	"asr": gAtomicScriptRun, "atomic_script_run": gAtomicScriptRun,
}

// verbs lists the backtracking control verbs and whether each needs a name.
var verbs = map[string]bool{
	"ACCEPT": false, "FAIL": false, "F": false, "COMMIT": false, "PRUNE": false,
	"SKIP": false, "THEN": false, "MARK": true, "": true,
}

// parseStarParen parses (*VERB), (*VERB:NAME) and (*alpha_assertion:…).
func (p *parser) parseStarParen(start int) (*node, bool) {
	i := start + 2
	if i >= len(p.src) || p.src[i] == ')' {
		// PCRE2 ignores the "(" and then finds "*" with nothing to repeat.
		p.fail(start+1, start+2, "quantifier does not follow a repeatable item")
	}
	for i < len(p.src) && isWordByte(p.src[i]) {
		i++
	}
	name := p.src[start+2 : i]
	if c := p.src[start+2]; 'a' <= c && c <= 'z' {
		kind, ok := alphaAssertions[name]
		if !ok || i >= len(p.src) || p.src[i] != ':' {
			p.fail(start, i, "(*alpha_assertion) not recognized")
		}
		p.pos = i + 1
		switch {
		case kind.isLookbehind():
			p.reason("look-behind")
		case kind.isLookaround():
			p.reason("look-ahead")
		case kind == gAtomic:
			p.reason("atomic group")
		default:
			p.reason("script run")
		}
		return p.groupBody(start, kind, 0, p.fl), true
	}
	needsArg, ok := verbs[name]
	if !ok || i >= len(p.src) || (p.src[i] != ':' && p.src[i] != ')') {
		p.fail(start, i+1, "(*VERB) not recognized or malformed")
	}
	if p.src[i] == ':' && i+1 < len(p.src) && p.src[i+1] == ')' {
		i++
	}
	if needsArg && p.src[i] != ':' {
		p.fail(start, i+1, "(*MARK) must have an argument")
	}
	if p.src[i] == ':' {
		close := i + 1
		for close < len(p.src) && p.src[close] != ')' {
			close++
		}
		if close >= len(p.src) {
			p.fail(start, len(p.src), "(*VERB) not recognized or malformed")
		}
		i = close
	}
	p.pos = i + 1
	p.reason("backtracking control verb")
	return p.alloc(node{kind: nVerb, name: name, pos: start, end: p.pos}), name == "ACCEPT"
}

// parseCond parses a conditional group (?(condition)yes|no); p.pos is at
// the "(" of the condition.
func (p *parser) parseCond(start int) *node {
	p.reason("conditional group")
	n := p.alloc(node{kind: nCond, pos: start})
	p.pos++
	if p.eof() {
		p.fail(start, start+1, "missing closing parenthesis")
	}
	c := p.src[p.pos]
	switch {
	case c == '?' || c == '*':
		p.pos--
		if p.hasPrefix("(?C") {
			p.pos += 3
			p.parseCallout(p.pos - 3)
		}
		if !p.atAssertion() {
			p.fail(p.pos, p.pos+1, "assertion expected after (?( or (?(?C)")
		}
		n.cond = cAssert
		n.condNode, _ = p.parseParen()
	default:
		if num, end, ok := p.readNumber(p.pos, true); ok {
			if num <= 0 {
				p.fail(p.pos, end, "reference to non-existent subpattern")
			}
			n.cond, n.index = cNumber, num
			p.pos = end
			p.expectCondClose(start)
			p.refs = append(p.refs, n)
		} else if p.hasPrefix("VERSION") && p.pos+7 < len(p.src) && p.src[p.pos+7] != ')' {
			p.parseVersion()
			n.cond = cVersion
		} else {
			p.condName(n, start)
		}
	}
	p.depth++
	if p.depth > maxNest {
		p.fail(start, start+1, "parentheses are too deeply nested")
	}
	saved := p.fl
	body := p.parseAlt(nil)
	if p.eof() || p.inQ || p.src[p.pos] != ')' {
		p.fail(start, start+1, "missing closing parenthesis")
	}
	p.pos++
	p.fl = saved
	p.depth--
	branches := 1
	if body.kind == nAlt {
		branches = len(body.subs)
	}
	if n.cond == cDefine && branches > 1 {
		p.fail(start, p.pos, "DEFINE subpattern contains more than one branch")
	}
	if branches > 2 {
		p.fail(start, p.pos, "conditional subpattern contains more than two branches")
	}
	n.end = p.pos
	n.subs = p.list1(body)
	return n
}

// atAssertion reports whether a look-around assertion starts at p.pos.
func (p *parser) atAssertion() bool {
	for _, s := range []string{"(?=", "(?!", "(?<=", "(?<!"} {
		if p.hasPrefix(s) {
			return true
		}
	}
	for name, kind := range alphaAssertions {
		if kind.isLookaround() && kind != gNonAtomicLookahead && kind != gNonAtomicLookbehind &&
			p.hasPrefix("(*"+name+":") {
			return true
		}
	}
	return false
}

// expectCondClose reads the ")" that ends a condition.
func (p *parser) expectCondClose(start int) {
	if p.eof() || p.src[p.pos] != ')' {
		p.fail(p.pos, p.pos+1, "missing closing parenthesis for condition")
	}
	p.pos++
}

// condName parses a condition that names a group or a recursion.
func (p *parser) condName(n *node, start int) {
	switch {
	case p.hasPrefix("R&"):
		name, end := p.readName(p.pos+2, ')')
		p.pos = end
		n.cond, n.name = cRecursion, name
		p.refs = append(p.refs, n)
	case p.src[p.pos] == '<' || p.src[p.pos] == '\'':
		term := byte('>')
		if p.src[p.pos] == '\'' {
			term = '\''
		}
		name, end := p.readName(p.pos+1, term)
		p.pos = end
		p.expectCondClose(start)
		n.cond, n.name = cNumber, name
		p.refs = append(p.refs, n)
	default:
		name, end := p.readName(p.pos, ')')
		p.pos = end
		switch {
		case name == "DEFINE":
			n.cond = cDefine
		case name[0] == 'R' && allDigits(name[1:]):
			n.cond = cRecursion
		default:
			n.cond, n.name = cNumber, name
			p.refs = append(p.refs, n)
		}
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// parseVersion parses the rest of (?(VERSION>=10.3) or (?(VERSION=10).
func (p *parser) parseVersion() {
	at := p.pos
	bad := func() { p.fail(at, p.pos+1, "syntax error or number too big in (?(VERSION condition") }
	p.pos += 7
	if !p.eof() && p.src[p.pos] == '>' {
		p.pos++
	}
	if p.eof() || p.src[p.pos] != '=' {
		bad()
	}
	p.pos++
	digits := 0
	major := 0
	for !p.eof() && isDigit(p.src[p.pos]) {
		major = major*10 + int(p.src[p.pos]-'0')
		if major > 1000 {
			bad()
		}
		p.pos++
		digits++
	}
	if digits == 0 || p.eof() {
		bad()
	}
	if p.src[p.pos] == '.' {
		p.pos++
		if p.eof() || !isDigit(p.src[p.pos]) {
			bad()
		}
		p.pos++
		if !p.eof() && isDigit(p.src[p.pos]) {
			p.pos++
		}
	}
	if p.eof() || p.src[p.pos] != ')' {
		bad()
	}
	p.pos++
}
