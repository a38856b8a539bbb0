package pcre

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// target is the engine a pattern is translated for.
type target uint8

const (
	tGo  target = iota // Go's regexp (RE2 syntax)
	tNet               // github.com/dlclark/regexp2 (.NET syntax)
)

// Engine names returned by Regexp.Engine.
const (
	EngineRE2       = "regexp"  // Go's standard library RE2 engine
	EngineBacktrack = "regexp2" // github.com/dlclark/regexp2
)

// UnsupportedError reports a valid PCRE construct that neither engine
// available to the interpreter can run.
type UnsupportedError struct {
	Construct string // what the construct is, e.g. "recursion"
	Offset    int    // where it starts in the pattern
}

// Error implements error.
func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("regular expression uses %s (offset %d), which is valid PCRE but cannot be run here", e.Construct, e.Offset)
}

// emitter writes a translated pattern.
type emitter struct {
	t         target
	b         strings.Builder
	caseless  bool
	nlSubject bool // Go: the translation may differ when the subject ends in "\n"
	err       *UnsupportedError
}

// translate renders the parsed pattern for an engine. nlSubject is true
// when the Go translation needs the backtracking engine for subjects that
// end with a newline.
func translate(root *node, t target) (pattern string, nlSubject bool, err error) {
	e := &emitter{t: t}
	e.emit(root)
	if e.err != nil {
		return "", false, e.err
	}
	return e.b.String(), e.nlSubject, nil
}

// unsupported records the first construct the target cannot express.
func (e *emitter) unsupported(n *node, what string) {
	if e.err == nil {
		e.err = &UnsupportedError{Construct: what, Offset: n.pos}
	}
}

const (
	asciiWord  = "0-9A-Za-z_"
	netBound   = `(?:(?<=[` + asciiWord + `])(?![` + asciiWord + `])|(?<![` + asciiWord + `])(?=[` + asciiWord + `]))`
	netNoBound = `(?:(?<=[` + asciiWord + `])(?=[` + asciiWord + `])|(?<![` + asciiWord + `])(?![` + asciiWord + `]))`
)

func (e *emitter) emit(n *node) {
	switch n.kind {
	case nEmpty, nCallout:
		if n.kind == nCallout {
			e.unsupported(n, "a callout")
		}
	case nLit:
		e.b.WriteString(e.char(n.r, false))
	case nDot:
		if n.dotall {
			e.b.WriteString("(?s:.)")
		} else {
			e.b.WriteString(".")
		}
	case nClass:
		e.class(n)
	case nEsc:
		e.shorthand(n)
	case nProp:
		e.class(&node{kind: nClass, pos: n.pos, cls: &charClass{items: []classItem{{kind: ciProp, name: n.name, neg: n.neg}}}})
	case nAssert:
		e.assert(n)
	case nGroup:
		e.group(n)
	case nConcat:
		for _, s := range n.subs {
			e.emit(s)
		}
	case nAlt:
		for i, s := range n.subs {
			if i > 0 {
				e.b.WriteByte('|')
			}
			e.emit(s)
		}
	case nRepeat:
		e.repeat(n)
	case nBackref:
		if e.t == tGo {
			e.unsupported(n, "a backreference")
			return
		}
		if n.dup {
			e.unsupported(n, "a backreference to a duplicated group name")
			return
		}
		e.b.WriteString(`(?:\` + strconv.Itoa(n.index) + `)`)
	case nRecurse:
		e.unsupported(n, "recursion")
	case nVerb:
		if e.t == tNet && (n.name == "F" || n.name == "FAIL") {
			e.b.WriteString("(?!)")
			return
		}
		e.unsupported(n, "the (*"+n.name+") verb")
	case nFlags:
		if n.caseless != e.caseless {
			if n.caseless {
				e.b.WriteString("(?i)")
			} else {
				e.b.WriteString("(?-i)")
			}
			e.caseless = n.caseless
		}
	case nCond:
		e.cond(n)
	}
}

func (e *emitter) assert(n *node) {
	switch n.esc {
	case '^':
		switch {
		case !n.multiline:
			e.b.WriteString(`\A`)
		case e.t == tGo:
			e.b.WriteString(`(?m:^)`)
			e.nlSubject = true
		default:
			e.b.WriteString(`(?:\A|(?<=\n)(?!\z))`)
		}
	case '$':
		switch {
		case n.multiline:
			e.b.WriteString(`(?m:$)`)
		case e.t == tGo:
			e.b.WriteString(`\z`)
			e.nlSubject = true
		default:
			e.b.WriteString(`\Z`)
		}
	case 'A', 'z':
		e.b.WriteString(`\` + string(n.esc))
	case 'Z':
		if e.t == tGo {
			e.b.WriteString(`\z`)
			e.nlSubject = true
		} else {
			e.b.WriteString(`\Z`)
		}
	case 'b', 'B':
		switch {
		case e.t == tGo:
			e.b.WriteString(`\` + string(n.esc))
		case n.esc == 'b':
			e.b.WriteString(netBound)
		default:
			e.b.WriteString(netNoBound)
		}
	case 'G':
		if e.t == tGo {
			e.unsupported(n, `\G`)
			return
		}
		e.b.WriteString(`\G`)
	default:
		e.unsupported(n, `\`+string(n.esc))
	}
}

func (e *emitter) group(n *node) {
	saved := e.caseless
	switch n.group {
	case gCapture:
		e.b.WriteString("(")
	case gNonCapture:
		switch {
		case n.caseless == e.caseless:
			e.b.WriteString("(?:")
		case n.caseless:
			e.b.WriteString("(?i:")
		default:
			e.b.WriteString("(?-i:")
		}
		e.caseless = n.caseless
	case gAtomic, gLookahead, gNegLookahead, gLookbehind, gNegLookbehind:
		if e.t == tGo {
			e.unsupported(n, map[groupKind]string{gAtomic: "an atomic group",
				gLookahead: "a look-ahead", gNegLookahead: "a look-ahead",
				gLookbehind: "a look-behind", gNegLookbehind: "a look-behind"}[n.group])
			return
		}
		e.b.WriteString(map[groupKind]string{gAtomic: "(?>", gLookahead: "(?=",
			gNegLookahead: "(?!", gLookbehind: "(?<=", gNegLookbehind: "(?<!"}[n.group])
	case gBranchReset:
		e.unsupported(n, "a branch reset group")
		return
	case gScriptRun, gAtomicScriptRun:
		e.unsupported(n, "a script run")
		return
	default:
		e.unsupported(n, "a non-atomic assertion")
		return
	}
	e.emit(n.subs[0])
	e.b.WriteString(")")
	e.caseless = saved
}

func (e *emitter) repeat(n *node) {
	if n.poss {
		if e.t == tGo {
			e.unsupported(n, "a possessive quantifier")
			return
		}
		e.b.WriteString("(?>")
	}
	sub := n.subs[0]
	wrap := sub.kind == nConcat || sub.kind == nAlt || sub.kind == nEmpty
	if wrap {
		e.b.WriteString("(?:")
	}
	e.emit(sub)
	if wrap {
		e.b.WriteString(")")
	}
	switch {
	case n.min == 0 && n.max < 0:
		e.b.WriteString("*")
	case n.min == 1 && n.max < 0:
		e.b.WriteString("+")
	case n.min == 0 && n.max == 1:
		e.b.WriteString("?")
	case n.max < 0:
		fmt.Fprintf(&e.b, "{%d,}", n.min)
	case n.min == n.max:
		fmt.Fprintf(&e.b, "{%d}", n.min)
	default:
		fmt.Fprintf(&e.b, "{%d,%d}", n.min, n.max)
	}
	if n.lazy {
		e.b.WriteString("?")
	}
	if n.poss {
		e.b.WriteString(")")
	}
}

func (e *emitter) cond(n *node) {
	if e.t == tGo {
		e.unsupported(n, "a conditional group")
		return
	}
	switch n.cond {
	case cNumber:
		if n.index == 0 {
			e.unsupported(n, "a condition on a group number written as a name")
			return
		}
		e.b.WriteString("(?(" + strconv.Itoa(n.index) + ")")
	case cAssert:
		e.b.WriteString("(?")
		e.emit(n.condNode)
	default:
		e.unsupported(n, "a recursion, DEFINE or VERSION condition")
		return
	}
	saved := e.caseless
	defer func() { e.caseless = saved }()
	body := n.subs[0]
	if body.kind == nAlt {
		e.emit(body.subs[0])
		e.b.WriteString("|")
		e.emit(body.subs[1])
	} else {
		// .NET reads a lone alternative after a group-number condition
		// as the "yes" branch, as PCRE does.
		e.emit(body)
	}
	e.b.WriteString(")")
}

// char renders one literal character, escaped as the target needs.
func (e *emitter) char(r rune, inClass bool) string {
	special := `\.+*?()|[]{}^$#`
	if inClass {
		special = `\]^-[`
	}
	switch {
	case r < utf8.RuneSelf && strings.ContainsRune(special, r):
		return `\` + string(r)
	case unicode.IsPrint(r) && r != 0xFFFD:
		return string(r)
	case e.t == tGo:
		return fmt.Sprintf(`\x{%x}`, r)
	case r <= 0xFFFF:
		return fmt.Sprintf(`\u%04X`, r)
	}
	return string(r)
}
