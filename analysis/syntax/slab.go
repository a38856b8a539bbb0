package syntax

// slab hands out pointers into chunks of T, so a parse allocates its many
// small nodes in a few large blocks instead of one by one.
//
// Blocks start small and double up to 256 nodes, so that a small file (or a
// single re-parsed declaration) does not pin mostly empty blocks.
type slab[T any] struct {
	buf  []T
	next int
}

func (s *slab[T]) new() *T {
	if len(s.buf) == 0 {
		if s.next == 0 {
			s.next = 8
		}
		s.buf = make([]T, s.next)
		s.next = min(2*s.next, 256)
	}
	p := &s.buf[0]
	s.buf = s.buf[1:]
	return p
}

// nodeSlabs holds one slab per frequent node type.
type nodeSlabs struct {
	idents  slab[Ident]
	strs    slab[StringLit]
	binary  slab[BinaryExpr]
	sets    slab[SetStmt]
	calls   slab[CallExpr]
	ifs     slab[IfStmt]
	blocks  slab[Block]
	concats slab[ConcatExpr]
}

func (p *parser) ident(t Tok) *Ident {
	id := p.slabs.idents.new()
	id.Range = t.Range
	id.Name = t.Text
	return id
}
