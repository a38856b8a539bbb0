package main

// diffOp is one line of an edit script: ' ' kept, '-' deleted, '+' added;
// a and b are the 0-based line numbers in the old and new text where the
// line is (or would be).
type diffOp struct {
	kind byte
	text string
	a, b int
}

// diffLines computes a shortest edit script from a to b with the
// linear-space refinement of Myers' algorithm: it finds the middle snake of
// an optimal path with a forward and a backward search, and recurses on
// the two halves. It keeps two vectors of len(a)+len(b) entries, where the
// plain algorithm kept one per step (gigabytes for ten thousand changed
// lines). The recursion is O(log D) deep.
func diffLines(a, b []string) []diffOp {
	n := (len(a)+len(b)+1)/2 + 1
	d := &differ{a: a, b: b, off: n + 1, vf: make([]int, 2*n+3), vb: make([]int, 2*n+3)}
	d.ops = make([]diffOp, 0, max(len(a), len(b)))
	d.compare(0, len(a), 0, len(b))
	return d.ops
}

type differ struct {
	a, b   []string
	off    int   // index of diagonal 0 in vf and vb
	vf, vb []int // furthest x on each diagonal, forward and backward
	ops    []diffOp
}

func (d *differ) emit(kind byte, text string, x, y int) {
	d.ops = append(d.ops, diffOp{kind, text, x, y})
}

// compare appends the edit script turning a[aLo:aHi] into b[bLo:bHi].
func (d *differ) compare(aLo, aHi, bLo, bHi int) {
	for aLo < aHi && bLo < bHi && d.a[aLo] == d.b[bLo] {
		d.emit(' ', d.a[aLo], aLo, bLo)
		aLo, bLo = aLo+1, bLo+1
	}
	suffix := 0
	for aHi > aLo && bHi > bLo && d.a[aHi-1] == d.b[bHi-1] {
		aHi, bHi = aHi-1, bHi-1
		suffix++
	}
	switch {
	case aLo == aHi:
		for y := bLo; y < bHi; y++ {
			d.emit('+', d.b[y], aLo, y)
		}
	case bLo == bHi:
		for x := aLo; x < aHi; x++ {
			d.emit('-', d.a[x], x, bLo)
		}
	default:
		// Both sides are non-empty and differ at both ends, so an optimal
		// path has at least two edits and the middle snake splits it into
		// two smaller problems.
		x, y, u, v := d.middleSnake(aLo, aHi, bLo, bHi)
		d.compare(aLo, x, bLo, y)
		for ; x < u; x, y = x+1, y+1 {
			d.emit(' ', d.a[x], x, y)
		}
		d.compare(u, aHi, v, bHi)
	}
	for k := 0; k < suffix; k++ {
		d.emit(' ', d.a[aHi+k], aHi+k, bHi+k)
	}
}

// middleSnake returns the snake (x, y) → (u, v), in absolute line numbers,
// in the middle of a shortest path from (aLo, bLo) to (aHi, bHi).
func (d *differ) middleSnake(aLo, aHi, bLo, bHi int) (x, y, u, v int) {
	n, m := aHi-aLo, bHi-bLo
	delta := n - m
	odd := delta&1 != 0
	off, vf, vb := d.off, d.vf, d.vb
	vf[off+1], vb[off+1] = 0, 0
	for D := 0; D <= (n+m+1)/2; D++ {
		for k := -D; k <= D; k += 2 {
			var x int
			if k == -D || k != D && vf[off+k-1] < vf[off+k+1] {
				x = vf[off+k+1]
			} else {
				x = vf[off+k-1] + 1
			}
			y := x - k
			x0, y0 := x, y
			for x < n && y < m && d.a[aLo+x] == d.b[bLo+y] {
				x, y = x+1, y+1
			}
			vf[off+k] = x
			if c := delta - k; odd && c >= -(D-1) && c <= D-1 && x+vb[off+c] >= n {
				return aLo + x0, bLo + y0, aLo + x, bLo + y
			}
		}
		// The backward search runs on the reversed texts: x counts lines
		// from the end of a, and diagonal c there is diagonal delta-c here.
		for c := -D; c <= D; c += 2 {
			var x int
			if c == -D || c != D && vb[off+c-1] < vb[off+c+1] {
				x = vb[off+c+1]
			} else {
				x = vb[off+c-1] + 1
			}
			y := x - c
			x0, y0 := x, y
			for x < n && y < m && d.a[aHi-1-x] == d.b[bHi-1-y] {
				x, y = x+1, y+1
			}
			vb[off+c] = x
			if k := delta - c; !odd && k >= -D && k <= D && x+vf[off+k] >= n {
				return aHi - x, bHi - y, aHi - x0, bHi - y0
			}
		}
	}
	panic("diff: no middle snake") // unreachable: the searches always meet
}
