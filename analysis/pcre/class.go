package pcre

// posixNames are the POSIX classes PCRE2 accepts inside a class.
var posixNames = map[string]bool{
	"alpha": true, "lower": true, "upper": true, "alnum": true, "ascii": true,
	"blank": true, "cntrl": true, "digit": true, "graph": true, "print": true,
	"punct": true, "space": true, "word": true, "xdigit": true,
}

// Range states while reading a class, as in PCRE2.
const (
	rsNone    = iota // no character that could start a range
	rsOK             // a character that may start a range was just read
	rsStarted        // that character and a "-" were read
)

// classState tracks a possible range while reading a class.
type classState struct {
	state int
	lo    rune
	loPos int
}

// parseClass parses a bracketed class; p.pos is at "[".
func (p *parser) parseClass() *node {
	start := p.pos
	p.pos++
	unterminated := func() {
		p.fail(start, start+1, "missing terminating ] for character class")
	}
	if !p.eof() && stringsContainsByte(":.=", p.src[p.pos]) {
		if end, ok := p.posixSyntax(p.pos); ok {
			if p.src[p.pos] == ':' {
				p.fail(start, end+2, "POSIX named classes are supported only within a class")
			}
			p.fail(start, end+2, "POSIX collating elements are not supported")
		}
	}
	cls := p.newClass()
	for {
		if p.eof() {
			unterminated()
		}
		switch {
		case p.hasPrefix(`\E`):
			p.pos += 2
			continue
		case p.hasPrefix(`\Q\E`):
			p.pos += 4
			continue
		case p.fl&fExtendedMore != 0 && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t'):
			p.pos++
			continue
		case !cls.neg && p.src[p.pos] == '^':
			cls.neg = true
			p.pos++
			continue
		}
		break
	}
	var st classState
	first := true
	for {
		if p.eof() {
			unterminated()
		}
		itemPos := p.pos
		if p.inQ {
			if p.hasPrefix(`\E`) {
				p.inQ = false
				p.pos += 2
				continue
			}
			r, size := p.runeAt(p.pos)
			p.pos += size
			p.classChar(cls, &st, r, itemPos)
			first = false
			continue
		}
		c := p.src[p.pos]
		if c == ']' && !first {
			p.pos++
			break
		}
		first = false
		if p.fl&fExtendedMore != 0 && (c == ' ' || c == '\t') {
			p.pos++
			continue
		}
		if c == '[' && p.pos+1 < len(p.src) && stringsContainsByte(":.=", p.src[p.pos+1]) {
			if end, ok := p.posixSyntax(p.pos + 1); ok {
				p.classPosix(cls, &st, end)
				continue
			}
		}
		if c == '-' && st.state == rsOK {
			st.state = rsStarted
			p.pos++
			continue
		}
		if c != '\\' {
			r, size := p.runeAt(p.pos)
			p.pos += size
			p.classChar(cls, &st, r, itemPos)
			continue
		}
		p.classEscape(cls, &st, itemPos)
	}
	if st.state == rsStarted {
		cls.items = append(cls.items, classItem{kind: ciRange, lo: '-', hi: '-'})
	}
	return p.alloc(node{kind: nClass, cls: cls, pos: start, end: p.pos})
}

// classChar adds a character, completing a range if one was started.
func (p *parser) classChar(cls *charClass, st *classState, r rune, at int) {
	if st.state == rsStarted {
		if r < st.lo {
			p.fail(st.loPos, p.pos, "range out of order in character class")
		}
		cls.items[len(cls.items)-1].hi = r
		st.state = rsNone
		return
	}
	cls.items = append(cls.items, classItem{kind: ciRange, lo: r, hi: r})
	st.state, st.lo, st.loPos = rsOK, r, at
}

// classPosix handles [:name:] inside a class; end is the offset of the
// closing ":".
func (p *parser) classPosix(cls *charClass, st *classState, end int) {
	at := p.pos
	if st.state == rsStarted {
		p.fail(st.loPos, end+2, "invalid range in character class")
	}
	if p.src[at+1] != ':' {
		p.fail(at, end+2, "POSIX collating elements are not supported")
	}
	name := p.src[at+2 : end]
	neg := false
	if len(name) > 0 && name[0] == '^' {
		neg, name = true, name[1:]
	}
	if !posixNames[name] {
		p.fail(at, end+2, "unknown POSIX class name")
	}
	p.pos = end + 2
	if p.pos+1 < len(p.src) && p.src[p.pos] == '-' && p.src[p.pos+1] != ']' {
		p.fail(at, p.pos+1, "invalid range in character class")
	}
	st.state = rsNone
	cls.items = append(cls.items, classItem{kind: ciPosix, name: name, neg: neg})
}

// classEscape handles a backslash sequence inside a class.
func (p *parser) classEscape(cls *charClass, st *classState, at int) {
	e := p.escape(true)
	switch e.kind {
	case eLit:
		p.classChar(cls, st, e.r, at)
		return
	case eQ:
		p.inQ = true
		return
	case eE:
		return
	case eBadInClass:
		p.fail(at, p.pos, "escape sequence is invalid in character class")
	}
	if st.state == rsStarted {
		p.fail(st.loPos, p.pos, "invalid range in character class")
	}
	st.state = rsNone
	switch e.kind {
	case eShort:
		cls.items = append(cls.items, classItem{kind: ciEsc, esc: e.c})
	case eProp:
		cls.items = append(cls.items, classItem{kind: ciProp, name: e.name, neg: e.neg})
		if !goKnowsProperty(e.name) {
			p.reason(`Unicode property \p{` + e.name + `}`)
		}
	default:
		p.fail(at, p.pos, "escape sequence is invalid in character class")
	}
	if p.pos+1 < len(p.src) && p.src[p.pos] == '-' && p.src[p.pos+1] != ']' {
		p.fail(at, p.pos+1, "invalid range in character class")
	}
}

// posixSyntax reports whether a POSIX-style [:…:], [.….] or [=…=] item
// starts at i (the offset of the first ":", "." or "="), returning the
// offset of the closing one.
func (p *parser) posixSyntax(i int) (int, bool) {
	term := p.src[i]
	for j := i + 1; len(p.src)-j >= 2; j++ {
		switch {
		case p.src[j] == '\\' && (p.src[j+1] == ']' || p.src[j+1] == '\\'):
			j++
		case (p.src[j] == '[' && p.src[j+1] == term) || p.src[j] == ']':
			return 0, false
		case p.src[j] == term && p.src[j+1] == ']':
			return j, true
		}
	}
	return 0, false
}
