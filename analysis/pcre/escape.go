package pcre

// escKind says what a backslash sequence means.
type escKind uint8

const (
	eLit         escKind = iota // a character (r)
	eShort                      // a class shorthand: d D s S w W h H v V N R X C
	eProp                       // \p{…} / \P{…}
	eAssert                     // b B A Z z G K
	eBackref                    // by number (num)
	eBackrefName                // by name (name)
	eRecurse                    // \g<n> subroutine call by number
	eRecurseName                // \g<name> subroutine call by name
	eQ                          // \Q
	eE                          // \E
	eBadInClass                 // an escape PCRE2 rejects inside a class
)

// escape is a decoded backslash sequence.
type escape struct {
	kind escKind
	r    rune
	c    byte // eShort, eAssert, eBadInClass: the letter
	name string
	neg  bool
	num  int
}

// parseEscapeAtom parses a backslash sequence outside a class.
func (p *parser) parseEscapeAtom() (*node, bool) {
	start := p.pos
	e := p.escape(false)
	n := p.alloc(node{pos: start})
	q := true
	switch e.kind {
	case eLit:
		n.kind, n.r = nLit, e.r
	case eShort:
		n.kind, n.esc = nEsc, e.c
		switch e.c {
		case 'R':
			p.reason(`\R`)
		case 'X':
			p.reason(`\X`)
		case 'C':
			p.reason(`\C`)
		}
	case eProp:
		n.kind, n.name, n.neg = nProp, e.name, e.neg
		if !goKnowsProperty(e.name) {
			p.reason(`Unicode property \p{` + e.name + `}`)
		}
	case eAssert:
		n.kind, n.esc = nAssert, e.c
		q = false
		switch e.c {
		case 'G':
			p.reason(`\G`)
		case 'K':
			p.reason(`\K`)
		}
	case eBackref, eBackrefName:
		n.kind, n.index, n.name = nBackref, e.num, e.name
		p.reason("backreference")
		p.refs = append(p.refs, n)
	case eRecurse, eRecurseName:
		n.kind, n.index, n.name = nRecurse, e.num, e.name
		p.reason("recursion")
		p.refs = append(p.refs, n)
	default:
		// \Q and \E are consumed by skipTransparent before an atom is read.
		n.kind = nEmpty
		q = false
	}
	n.end = p.pos
	return n, q
}

// escape decodes the backslash sequence at p.pos (which is at the
// backslash), following PCRE2's rules for inside or outside a class.
func (p *parser) escape(inClass bool) escape {
	bs := p.pos
	p.pos++
	if p.eof() {
		p.fail(bs, bs+1, `\ at end of pattern`)
	}
	c := p.src[p.pos]
	if c >= 0x80 || !isAlnum(c) {
		r, size := p.runeAt(p.pos)
		p.pos += size
		return escape{kind: eLit, r: r}
	}
	p.pos++
	if inClass && stringsContainsByte("kAZzGKBRXC", c) {
		return escape{kind: eBadInClass, c: c}
	}
	switch c {
	case 'a':
		return escape{kind: eLit, r: 7}
	case 'e':
		return escape{kind: eLit, r: 27}
	case 'f':
		return escape{kind: eLit, r: '\f'}
	case 'n':
		return escape{kind: eLit, r: '\n'}
	case 'r':
		return escape{kind: eLit, r: '\r'}
	case 't':
		return escape{kind: eLit, r: '\t'}
	case 'b':
		if inClass {
			return escape{kind: eLit, r: '\b'}
		}
		return escape{kind: eAssert, c: c}
	case 'B', 'A', 'Z', 'z', 'G', 'K':
		return escape{kind: eAssert, c: c}
	case 'd', 'D', 's', 'S', 'w', 'W', 'h', 'H', 'v', 'V', 'R', 'X', 'C':
		return escape{kind: eShort, c: c}
	case 'N':
		return p.escapeN(bs, inClass)
	case 'p', 'P':
		return p.escapeProperty(bs, c == 'P')
	case 'Q':
		return escape{kind: eQ}
	case 'E':
		return escape{kind: eE}
	case 'g':
		if inClass {
			return escape{kind: eLit, r: 'g'}
		}
		return p.escapeG(bs)
	case 'k':
		if p.eof() || !stringsContainsByte("<'{", p.src[p.pos]) {
			p.fail(bs, p.pos, `\k is not followed by a braced, angle-bracketed, or quoted name`)
		}
		name, end := p.readName(p.pos+1, closer(p.src[p.pos]))
		p.pos = end
		return escape{kind: eBackrefName, name: name}
	case 'c':
		if p.eof() {
			p.fail(bs, p.pos, `\c at end of pattern`)
		}
		x := p.src[p.pos]
		if 'a' <= x && x <= 'z' {
			x -= 'a' - 'A'
		}
		if x < 32 || x > 126 {
			p.fail(bs, p.pos+1, `\c must be followed by a printable ASCII character`)
		}
		p.pos++
		return escape{kind: eLit, r: rune(x ^ 0x40)}
	case 'x':
		return p.escapeX(bs)
	case 'o':
		return p.escapeO(bs)
	case '0':
		return escape{kind: eLit, r: p.octal(0)}
	case '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if !inClass {
			i := p.pos - 1
			n := 0
			for i < len(p.src) && isDigit(p.src[i]) {
				if n <= maxGroupNum {
					n = n*10 + int(p.src[i]-'0')
				}
				i++
			}
			if n < 10 || c >= '8' || n <= p.ncap {
				if n > maxGroupNum {
					p.fail(bs, i, "subpattern number is too big")
				}
				p.pos = i
				return escape{kind: eBackref, num: n}
			}
		}
		if c >= '8' {
			return escape{kind: eLit, r: rune(c)}
		}
		return escape{kind: eLit, r: p.octal(rune(c - '0'))}
	case 'F', 'l', 'L', 'u', 'U':
		p.fail(bs, p.pos, `PCRE2 does not support \F, \L, \l, \N{name}, \U, or \u`)
	}
	p.fail(bs, p.pos, `unrecognized character follows \`)
	return escape{}
}

// closer returns the character that ends a name opened by c.
func closer(c byte) byte {
	switch c {
	case '<':
		return '>'
	case '{':
		return '}'
	}
	return c
}

// octal reads up to two more octal digits after a first digit v.
func (p *parser) octal(v rune) rune {
	for i := 0; i < 2 && !p.eof() && '0' <= p.src[p.pos] && p.src[p.pos] <= '7'; i++ {
		v = v*8 + rune(p.src[p.pos]-'0')
		p.pos++
	}
	return v
}

// escapeN handles \N, \N{U+hhhh} and \N{n,m} (\N then a quantifier).
func (p *parser) escapeN(bs int, inClass bool) escape {
	if !p.eof() && p.src[p.pos] == '{' {
		if p.hasPrefix("{U+") {
			p.pos += 2
			r := p.braced(bs, 16, "missing closing brace in \\x{}")
			return escape{kind: eLit, r: r}
		}
		if _, _, _, ok := p.readRepeat(p.pos); !ok {
			p.fail(bs, p.pos+1, `PCRE2 does not support \F, \L, \l, \N{name}, \U, or \u`)
		}
	}
	if inClass {
		p.fail(bs, p.pos, `\N is not supported in a class`)
	}
	return escape{kind: eShort, c: 'N'}
}

// escapeProperty parses the rest of \p or \P.
func (p *parser) escapeProperty(bs int, neg bool) escape {
	if p.eof() {
		p.fail(bs, p.pos, `malformed \P or \p sequence`)
	}
	var name string
	if p.src[p.pos] == '{' {
		p.pos++
		if !p.eof() && p.src[p.pos] == '^' {
			neg = !neg
			p.pos++
		}
		i := p.pos
		for i < len(p.src) && p.src[i] != '}' && p.src[i] != 0 && i-p.pos < 31 {
			i++
		}
		if i >= len(p.src) || p.src[i] != '}' {
			p.fail(bs, i, `malformed \P or \p sequence`)
		}
		name = p.src[p.pos:i]
		p.pos = i + 1
		if name == "" {
			p.fail(bs, p.pos, `unknown property name after \P or \p`)
		}
	} else {
		c := p.src[p.pos]
		if !('a' <= c && c <= 'z') && !('A' <= c && c <= 'Z') {
			p.fail(bs, p.pos+1, `malformed \P or \p sequence`)
		}
		name = string(c)
		p.pos++
	}
	return escape{kind: eProp, name: name, neg: neg}
}

// escapeG parses \g backreferences and subroutine calls.
func (p *parser) escapeG(bs int) escape {
	const bad = `\g is not followed by a braced, angle-bracketed, or quoted name/number or by a plain number`
	if p.eof() {
		p.fail(bs, p.pos, bad)
	}
	switch c := p.src[p.pos]; c {
	case '<', '\'':
		term := closer(c)
		if n, end, ok := p.readNumber(p.pos+1, true); ok {
			if end >= len(p.src) || p.src[end] != term {
				p.fail(bs, end+1, bad)
			}
			p.pos = end + 1
			return escape{kind: eRecurse, num: n}
		}
		name, end := p.readName(p.pos+1, term)
		p.pos = end
		return escape{kind: eRecurseName, name: name}
	case '{':
		n, end, ok := p.readNumber(p.pos+1, true)
		if !ok {
			name, end := p.readName(p.pos+1, '}')
			p.pos = end
			return escape{kind: eBackrefName, name: name}
		}
		if end >= len(p.src) || p.src[end] != '}' {
			p.fail(bs, end+1, bad)
		}
		if n <= 0 {
			p.fail(bs, end+1, "reference to non-existent subpattern")
		}
		p.pos = end + 1
		return escape{kind: eBackref, num: n}
	}
	n, end, ok := p.readNumber(p.pos, true)
	if !ok {
		p.fail(bs, p.pos+1, bad)
	}
	if n <= 0 {
		p.fail(bs, end, "reference to non-existent subpattern")
	}
	p.pos = end
	return escape{kind: eBackref, num: n}
}

// escapeX parses \xhh and \x{hhh…}.
func (p *parser) escapeX(bs int) escape {
	if !p.eof() && p.src[p.pos] == '{' {
		return escape{kind: eLit, r: p.braced(bs, 16, `missing closing brace in \x{}`)}
	}
	var v rune
	for i := 0; i < 2 && !p.eof() && isHex(p.src[p.pos]); i++ {
		v = v*16 + rune(hexVal(p.src[p.pos]))
		p.pos++
	}
	return escape{kind: eLit, r: v}
}

// escapeO parses \o{ooo…}.
func (p *parser) escapeO(bs int) escape {
	if p.eof() || p.src[p.pos] != '{' {
		p.fail(bs, p.pos, `missing opening brace after \o`)
	}
	return escape{kind: eLit, r: p.braced(bs, 8, `non-octal character in \o{} (closing brace missing?)`)}
}

// braced reads {digits} in the given base at p.pos (which is at "{") and
// returns the code point.
func (p *parser) braced(bs, base int, unclosed string) rune {
	p.pos++
	if p.eof() || p.src[p.pos] == '}' {
		p.fail(bs, p.pos+1, `digits missing in \x{} or \o{} or \N{U+}`)
	}
	v, overflow := 0, false
	for !p.eof() {
		c := p.src[p.pos]
		if !isHex(c) || (base == 8 && !('0' <= c && c <= '7')) {
			break
		}
		if !overflow {
			v = v*base + hexVal(c)
			overflow = v > 0x10FFFF
		}
		p.pos++
	}
	if overflow {
		p.fail(bs, p.pos, `character code point value in \x{} or \o{} is too large`)
	}
	if p.eof() || p.src[p.pos] != '}' {
		p.fail(bs, p.pos+1, unclosed)
	}
	p.pos++
	if 0xD800 <= v && v <= 0xDFFF {
		p.fail(bs, p.pos, "disallowed Unicode code point (>= 0xd800 && <= 0xdfff)")
	}
	return rune(v)
}
