package pcre

import (
	"fmt"
	"regexp"
)

// SyntaxError describes the first construct in a pattern that PCRE2 would
// reject.
type SyntaxError struct {
	// Offset is the byte offset in the pattern where the offending
	// construct starts (for an unclosed group or class, its opening
	// bracket). It is always within the pattern.
	Offset int
	// End is the byte offset just after the offending construct.
	End int
	// Msg says what is wrong, in PCRE2's words where they are clear.
	Msg string
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("regular expression error at offset %d: %s", e.Offset, e.Msg)
}

// Info describes what a pattern needs from a regular-expression engine.
type Info struct {
	// RE2 is true when Go's regexp package can run the pattern with the
	// same meaning, after this package's translation of PCRE spellings.
	// (Where "$", "\Z" or multi-line "^" would behave differently on a
	// subject that ends with a newline, Regexp hands such subjects to the
	// backtracking engine.)
	RE2 bool
	// Reasons lists, in order of first appearance, the constructs that
	// keep the pattern from RE2, such as "look-ahead" or "backreference".
	Reasons []string
	// Groups is the number of capture groups (re.group.1 … re.group.N).
	Groups int
	// Names maps each named group to its number.
	Names map[string]int
	// Err is the syntax error, if the pattern is not valid PCRE.
	Err *SyntaxError
}

// Features reports whether pattern can run on Go's RE2-based engine and,
// if not, why.
func Features(pattern string) Info {
	root, p := parse(pattern)
	if p.err != nil {
		return Info{Err: p.err}
	}
	info := Info{Groups: p.ncap, Reasons: p.reasons}
	if len(p.names) > 0 {
		info.Names = make(map[string]int, len(p.names))
		for _, g := range p.names {
			if _, dup := info.Names[g.name]; !dup {
				info.Names[g.name] = g.index
			}
		}
	}
	if len(info.Reasons) == 0 {
		goPat, _, err := translate(root, tGo)
		if err == nil {
			_, err = regexp.Compile(goPat)
		}
		if err != nil {
			info.Reasons = append(info.Reasons, "too complex for Go's regexp")
		}
	}
	info.RE2 = len(info.Reasons) == 0
	return info
}

// checkLookbehinds rejects look-behind assertions whose length has no
// upper bound, which no version of PCRE2 accepts.
func (p *parser) checkLookbehinds(n *node) {
	if n == nil {
		return
	}
	if n.kind == nGroup && n.group.isLookbehind() && unbounded(n.subs[0]) {
		p.fail(n.pos, n.pos+1, "lookbehind assertion is not fixed length")
	}
	if n.condNode != nil {
		p.checkLookbehinds(n.condNode)
	}
	for _, s := range n.subs {
		p.checkLookbehinds(s)
	}
}

// unbounded reports whether n can match strings of any length.
func unbounded(n *node) bool {
	switch n.kind {
	case nRepeat:
		sub := n.subs[0]
		if sub.kind == nGroup && sub.group.isLookaround() {
			return false
		}
		return n.max < 0 || unbounded(sub)
	case nGroup:
		if n.group.isLookaround() {
			return false
		}
	}
	for _, s := range n.subs {
		if unbounded(s) {
			return true
		}
	}
	return false
}

// resolve checks that every group reference names a group that exists and
// fills in the numbers of references by name.
func (p *parser) resolve() {
	for _, n := range p.refs {
		if n.name != "" {
			idx := p.lookupName(n.name)
			if idx == 0 {
				if n.kind == nCond && n.cond == cNumber && allDigits(n.name) {
					continue
				}
				p.fail(n.pos, n.end, "reference to non-existent subpattern")
			}
			n.index = idx
			n.dup = p.dupName(n.name)
			continue
		}
		if n.index > p.ncap {
			p.fail(n.pos, n.end, "reference to non-existent subpattern")
		}
	}
}

// lookupName returns the number of the first group with that name, or 0.
func (p *parser) lookupName(name string) int {
	for _, g := range p.names {
		if g.name == name {
			return g.index
		}
	}
	return 0
}

// dupName reports whether more than one group has that name.
func (p *parser) dupName(name string) bool {
	seen := 0
	for _, g := range p.names {
		if g.name == name {
			seen++
		}
	}
	return seen > 1
}
