package format

import (
	"github.com/vclide/vclide/analysis/syntax"
)

// rec is the recorded span of one statement or top-level item: its source
// range (own-line leading comments and trailing comments included) and the
// range of its formatted text in the output (from the start of its first
// line).
type rec struct {
	list, parent     int
	srcStart, srcEnd syntax.Pos
	outStart, outEnd int
}

// Range formats the part of a file that the byte range [start, end)
// touches, for an editor's "format selection": the smallest run of whole
// sibling statements (or top-level declarations) overlapping the range,
// widened until it starts and ends on line boundaries. It returns the text
// edits to apply (none when that part is already formatted) or a
// *SyntaxError when the file does not parse.
func Range(name, text string, start, end syntax.Pos, opts Options) ([]Edit, error) {
	f := syntax.Parse(name, text)
	if err := checkErrors(f); err != nil {
		return nil, err
	}
	if start > end {
		start, end = end, start
	}
	out, p := format(f, opts, true)
	crlf := opts.wantCRLF(text)
	whole := func() []Edit {
		out := withLineEndings(out, crlf)
		if out == text {
			return nil
		}
		return []Edit{{Start: 0, End: syntax.Pos(len(text)), NewText: out}}
	}
	if p.fallbacks > 0 {
		return whole(), nil
	}
	lists := map[int][]int{}
	children := map[int][]int{} // record → the lists directly inside it
	index := make([]int, len(p.recs))
	for i, r := range p.recs {
		if len(lists[r.list]) == 0 && r.parent >= 0 {
			children[r.parent] = append(children[r.parent], r.list)
		}
		index[i] = len(lists[r.list])
		lists[r.list] = append(lists[r.list], i)
	}
	// A selection is half-open (selecting whole lines ends at the start of
	// the next line); a bare cursor touches what it is next to.
	overlaps := func(r rec) bool {
		if start == end {
			return r.srcStart <= end && start <= r.srcEnd
		}
		return r.srcStart < end && start < r.srcEnd
	}

	// Descend to the innermost list whose statements hold the range.
	list, lo, hi := 0, -1, -1
	for {
		var ov []int
		for _, i := range lists[list] {
			if overlaps(p.recs[i]) {
				ov = append(ov, i)
			}
		}
		if len(ov) == 0 {
			if lo < 0 {
				return nil, nil
			}
			break
		}
		lo, hi = ov[0], ov[len(ov)-1]
		if len(ov) > 1 {
			break
		}
		inner := -1
		for _, cl := range children[lo] {
			c := lists[cl]
			if start >= p.recs[c[0]].srcStart && end <= p.recs[c[len(c)-1]].srcEnd {
				inner = cl
				break
			}
		}
		if inner < 0 {
			break
		}
		list = inner
	}

	// Widen to whole lines: take in neighbours sharing a line, or the
	// enclosing statement when the list's braces share it.
	for {
		list = p.recs[lo].list
		okStart := p.onlySpaceBefore(p.recs[lo].srcStart)
		okEnd := p.onlySpaceAfter(p.recs[hi].srcEnd)
		l := lists[list]
		a, b := index[lo], index[hi]
		if okStart && okEnd {
			if list == 0 && a == 0 && b == len(l)-1 {
				return whole(), nil
			}
			break
		}
		switch {
		case !okStart && a > 0:
			lo = l[a-1]
		case !okEnd && b < len(l)-1:
			hi = l[b+1]
		case p.recs[lo].parent >= 0:
			lo = p.recs[lo].parent
			hi = lo
		default:
			return whole(), nil
		}
	}
	from := p.recs[lo].srcStart
	for from > 0 && (text[from-1] == ' ' || text[from-1] == '\t') {
		from--
	}
	to := p.recs[hi].srcEnd
	newText := withLineEndings(out[p.recs[lo].outStart:p.recs[hi].outEnd], crlf)
	if text[from:to] == newText {
		return nil, nil
	}
	return []Edit{{Start: from, End: to, NewText: newText}}, nil
}

// Apply returns text with the edits applied; the edits must be sorted by
// position and must not overlap (as Range returns them).
func Apply(text string, edits []Edit) string {
	out := text
	for k := len(edits) - 1; k >= 0; k-- {
		e := edits[k]
		out = out[:e.Start] + e.NewText + out[e.End:]
	}
	return out
}
