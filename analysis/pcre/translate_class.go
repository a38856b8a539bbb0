package pcre

import (
	"sort"
	"strings"
	"unicode"
)

// rng is an inclusive range of code points.
type rng struct{ lo, hi rune }

// The ASCII sets PCRE2 uses without UCP.
var (
	setDigit = []rng{{'0', '9'}}
	setWord  = []rng{{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}
	setSpace = []rng{{'\t', '\r'}, {' ', ' '}}
	setHoriz = []rng{{'\t', '\t'}, {' ', ' '}, {0xa0, 0xa0}, {0x1680, 0x1680}, {0x180e, 0x180e},
		{0x2000, 0x200a}, {0x202f, 0x202f}, {0x205f, 0x205f}, {0x3000, 0x3000}}
	setVert = []rng{{'\n', '\r'}, {0x85, 0x85}, {0x2028, 0x2029}}

	posixSets = map[string][]rng{
		"alnum":  {{'0', '9'}, {'A', 'Z'}, {'a', 'z'}},
		"alpha":  {{'A', 'Z'}, {'a', 'z'}},
		"ascii":  {{0, 0x7f}},
		"blank":  {{'\t', '\t'}, {' ', ' '}},
		"cntrl":  {{0, 0x1f}, {0x7f, 0x7f}},
		"digit":  setDigit,
		"graph":  {{0x21, 0x7e}},
		"lower":  {{'a', 'z'}},
		"print":  {{0x20, 0x7e}},
		"punct":  {{0x21, 0x2f}, {0x3a, 0x40}, {0x5b, 0x60}, {0x7b, 0x7e}},
		"space":  setSpace,
		"upper":  {{'A', 'Z'}},
		"word":   setWord,
		"xdigit": {{'0', '9'}, {'A', 'F'}, {'a', 'f'}},
	}
)

// shorthandSet returns the set of a class escape and whether it is negated.
func shorthandSet(c byte) ([]rng, bool) {
	switch c {
	case 'd', 'D':
		return setDigit, c == 'D'
	case 'w', 'W':
		return setWord, c == 'W'
	case 's', 'S':
		return setSpace, c == 'S'
	case 'h', 'H':
		return setHoriz, c == 'H'
	case 'v', 'V':
		return setVert, c == 'V'
	}
	return nil, false
}

// complement returns the code points not in set (which must be sorted).
func complement(set []rng) []rng {
	s := append([]rng(nil), set...)
	sort.Slice(s, func(i, j int) bool { return s[i].lo < s[j].lo })
	var out []rng
	next := rune(0)
	for _, r := range s {
		if r.lo > next {
			out = append(out, rng{next, r.lo - 1})
		}
		if r.hi+1 > next {
			next = r.hi + 1
		}
	}
	if next <= unicode.MaxRune {
		out = append(out, rng{next, unicode.MaxRune})
	}
	return out
}

// goKnowsProperty reports whether Go's regexp understands \p{name} with
// PCRE2's meaning.
func goKnowsProperty(name string) bool {
	if name == "Any" || name == "L&" || name == "Lc" {
		return true
	}
	return unicode.Categories[name] != nil || unicode.Scripts[name] != nil
}

// netKnowsProperty reports whether regexp2 understands \p{name}: only the
// general categories.
func netKnowsProperty(name string) bool {
	return unicode.Categories[name] != nil && len(name) <= 2
}

// shorthand renders an escape such as \d or \R outside a class.
func (e *emitter) shorthand(n *node) {
	switch n.esc {
	case 'N':
		e.b.WriteString(`[^\n]`)
	case 'C':
		e.b.WriteString(`(?s:.)`)
	case 'R':
		if e.t == tGo {
			e.unsupported(n, `\R`)
			return
		}
		e.b.WriteString(`(?>\r\n|[\n-\r\u0085\u2028\u2029])`)
	case 'X':
		e.unsupported(n, `\X`)
	default:
		e.class(&node{kind: nClass, pos: n.pos, cls: &charClass{items: []classItem{{kind: ciEsc, esc: n.esc}}}})
	}
}

// class renders a bracketed class.
func (e *emitter) class(n *node) {
	cls := n.cls
	neg := cls.neg
	items := cls.items
	// A lone negated item that has no inline spelling is written by
	// negating the whole class instead.
	if len(items) == 1 && items[0].neg && (items[0].kind == ciProp || items[0].kind == ciPosix) {
		it := items[0]
		it.neg = false
		items = []classItem{it}
		neg = !neg
	}
	var b strings.Builder
	b.WriteString("[")
	if neg {
		b.WriteString("^")
	}
	for _, it := range items {
		s, ok := e.classItem(it)
		if !ok {
			what := `\p{` + it.name + `}`
			if it.kind != ciProp {
				what = "a class item"
			}
			e.unsupported(n, "the Unicode property "+what)
			return
		}
		b.WriteString(s)
	}
	b.WriteString("]")
	e.b.WriteString(b.String())
}

// classItem renders one member of a class for the target.
func (e *emitter) classItem(it classItem) (string, bool) {
	switch it.kind {
	case ciRange:
		return e.ranges([]rng{{it.lo, it.hi}}), true
	case ciEsc:
		if e.t == tGo {
			switch it.esc {
			case 'd', 'D', 'w', 'W':
				return `\` + string(it.esc), true
			case 's':
				return `[:space:]`, true
			case 'S':
				return `[:^space:]`, true
			}
		}
		set, neg := shorthandSet(it.esc)
		if neg {
			set = complement(set)
		}
		return e.ranges(set), true
	case ciPosix:
		if e.t == tGo {
			if it.neg {
				return "[:^" + it.name + ":]", true
			}
			return "[:" + it.name + ":]", true
		}
		set := posixSets[it.name]
		if it.neg {
			set = complement(set)
		}
		return e.ranges(set), true
	}
	return e.property(it.name, it.neg)
}

// property renders \p{name} or \P{name} inside a class.
func (e *emitter) property(name string, neg bool) (string, bool) {
	switch name {
	case "Any":
		if neg {
			return "", true
		}
		return e.ranges([]rng{{0, unicode.MaxRune}}), true
	case "L&", "Lc":
		if neg {
			return "", false
		}
		return `\p{Lu}\p{Ll}\p{Lt}`, true
	}
	known := goKnowsProperty(name)
	if e.t == tNet {
		known = netKnowsProperty(name)
	}
	if !known {
		return "", false
	}
	if neg {
		return `\P{` + name + `}`, true
	}
	return `\p{` + name + `}`, true
}

// ranges renders ranges as class content.
func (e *emitter) ranges(set []rng) string {
	var b strings.Builder
	for _, r := range set {
		b.WriteString(e.char(r.lo, true))
		if r.hi > r.lo {
			b.WriteString("-")
			b.WriteString(e.char(r.hi, true))
		}
	}
	return b.String()
}
