package pcre

import "sync"

// Check validates pattern as PCRE2 would compile it with Fastly's default
// options. It returns nil when PCRE2 accepts the pattern.
//
// Check runs the same parser as Compile and Features, so the two agree on
// every pattern, but the tree it builds is thrown away at the end: its
// nodes, lists and classes come from memory that is reused from one call
// to the next instead of a block allocated per pattern.
func Check(pattern string) *SyntaxError {
	s := scratchPool.Get().(*scratch)
	p := &s.p
	*p = parser{src: pattern, scr: s, names: s.p.names[:0], refs: s.p.refs[:0], stack: s.p.stack[:0]}
	p.run()
	err := p.err
	s.reset()
	scratchPool.Put(s)
	return err
}

// Sizes of the blocks a scratch hands nodes and lists out of; a parse that
// needs more takes further blocks, which are kept for the next parse up to
// maxScratchBlocks.
const (
	scratchNodes     = 256
	scratchLists     = 512
	maxScratchBlocks = 2
)

// scratchPool recycles the memory of validation-only parses.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// scratch is the reusable memory of a validation-only parse.
type scratch struct {
	p parser

	nodes  [][]node // blocks of nodes
	nb, ni int      // next free node: nodes[nb][ni]
	lists  [][]*node
	lb, li int // next free list slot: lists[lb][li]
	cls    charClass
}

// node places n in the scratch.
func (s *scratch) node(n node) *node {
	if s.nb == len(s.nodes) {
		s.nodes = append(s.nodes, make([]node, scratchNodes))
	}
	x := &s.nodes[s.nb][s.ni]
	*x = n
	if s.ni++; s.ni == scratchNodes {
		s.nb, s.ni = s.nb+1, 0
	}
	return x
}

// list copies items into the scratch. The result is valid until reset.
func (s *scratch) list(items []*node) []*node {
	n := len(items)
	if n > scratchLists/4 {
		return append([]*node(nil), items...)
	}
	if s.lb < len(s.lists) && s.li+n > scratchLists {
		s.lb, s.li = s.lb+1, 0
	}
	if s.lb == len(s.lists) {
		s.lists = append(s.lists, make([]*node, scratchLists))
	}
	l := s.lists[s.lb][s.li : s.li+n : s.li+n]
	copy(l, items)
	s.li += n
	return l
}

// class returns the scratch's class, emptied. A validation-only parse never
// reads a class after the next one starts, so one is enough.
func (s *scratch) class() *charClass {
	s.cls.neg = false
	clear(s.cls.items)
	s.cls.items = s.cls.items[:0]
	return &s.cls
}

// reset clears what the last parse used (so that the pool holds on to no
// pattern text) and trims the blocks to maxScratchBlocks.
func (s *scratch) reset() {
	for b := 0; b <= s.nb && b < len(s.nodes); b++ {
		if b < s.nb {
			clear(s.nodes[b])
		} else {
			clear(s.nodes[b][:s.ni])
		}
	}
	for b := 0; b <= s.lb && b < len(s.lists); b++ {
		if b < s.lb {
			clear(s.lists[b])
		} else {
			clear(s.lists[b][:s.li])
		}
	}
	s.nb, s.ni, s.lb, s.li = 0, 0, 0, 0
	if len(s.nodes) > maxScratchBlocks {
		clear(s.nodes[maxScratchBlocks:]) // let the extra blocks go
		s.nodes = s.nodes[:maxScratchBlocks]
	}
	if len(s.lists) > maxScratchBlocks {
		clear(s.lists[maxScratchBlocks:])
		s.lists = s.lists[:maxScratchBlocks]
	}
	s.class()
	clear(s.p.names)
	clear(s.p.refs)
	clear(s.p.stack)
	s.p = parser{names: s.p.names[:0], refs: s.p.refs[:0], stack: s.p.stack[:0]}
}
