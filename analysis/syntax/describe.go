package syntax

import "strings"

// DescribeDecl is a group of unit tests in a test file (falco's format):
//
//	describe NAME {
//	    before_recv { … }   // hooks: before_SCOPE / after_SCOPE
//	    sub test_x { … }
//	}
//
// Only test files may hold it; the checker reports it elsewhere.
type DescribeDecl struct {
	Range
	Name *Ident
	// Hooks are the before_SCOPE and after_SCOPE blocks, as subroutines
	// named after the hook ("before_recv").
	Hooks []*SubDecl
	// Subs are the test subroutines of the group.
	Subs []*SubDecl
}

func (*DescribeDecl) declNode() {}

// IsHookName reports whether name is a describe hook ("before_recv",
// "after_fetch"), and returns "before" or "after" and the scope word.
func IsHookName(name string) (when, scope string, ok bool) {
	for _, w := range []string{"before_", "after_"} {
		if strings.HasPrefix(name, w) && len(name) > len(w) {
			return strings.TrimSuffix(w, "_"), name[len(w):], true
		}
	}
	return "", "", false
}

// startsDescribe reports whether the parser is at `describe NAME {`.
func (p *parser) startsDescribe() bool {
	return p.isKeyword("describe") && p.peek(1).Kind == IDENT && p.peek(2).Kind == LBRACE
}

// parseDescribe parses a describe group; the parser is at `describe`.
func (p *parser) parseDescribe() Decl {
	start := p.tok.Start
	p.next()
	d := &DescribeDecl{Name: p.parseName("describe name")}
	if _, ok := p.expect(LBRACE, "to open describe "+d.Name.Name); !ok {
		d.Range = Range{start, p.prevEnd}
		return d
	}
	for !p.is(RBRACE) && !p.is(EOF) {
		before := p.tok.Start
		switch {
		case p.isKeyword("sub"):
			if s, ok := p.parseSub().(*SubDecl); ok {
				d.Subs = append(d.Subs, s)
			}
		case p.is(IDENT) && p.peek(1).Kind == LBRACE:
			hookStart := p.tok.Start
			name := p.ident(p.tok)
			if _, _, ok := IsHookName(name.Name); !ok {
				p.errorAt(p.tok.Range, "expected a test subroutine or a before_SCOPE/after_SCOPE hook in describe "+d.Name.Name+", found "+describe(p.tok))
			}
			p.next()
			h := &SubDecl{Name: name, Body: p.parseBlock("hook " + name.Name)}
			h.Range = Range{hookStart, p.prevEnd}
			d.Hooks = append(d.Hooks, h)
		default:
			p.errorAt(p.tok.Range, "expected a test subroutine or a before_SCOPE/after_SCOPE hook in describe "+d.Name.Name+", found "+describe(p.tok))
			p.next()
		}
		if p.tok.Start == before && !p.is(EOF) {
			p.next()
		}
	}
	p.expect(RBRACE, "to close describe "+d.Name.Name)
	d.Range = Range{start, p.prevEnd}
	return d
}
