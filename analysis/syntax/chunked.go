package syntax

import (
	"math"
	"strconv"
)

// Chunked parsing: a language server parses an open buffer with
// ParseChunked and every later version with Reparse, which re-parses only
// the top-level declarations an edit touches and shares every other
// declaration's nodes, unchanged, with the previous File.
//
// To keep a declaration's positions valid after an earlier edit moved its
// text, positions are virtual (see Source): the text is tiled into chunks,
// each starting at the first token of a top-level item that follows a
// declaration that ended cleanly, and each chunk has its own base. Bases are
// ordered like the text with wide gaps between chunks, so a re-parsed chunk
// can grow without reaching the base of the next one.

// fileChunk is one chunk of a chunked File: where it starts in the text,
// its base, and where its parts start in the File's slices.
type fileChunk struct {
	off  int // byte offset of the chunk's start in this version's text
	base Pos // the position of that byte
	// Index of the chunk's first element in File.Decls, Comments, Errors
	// and Includes; its elements run up to the next chunk's.
	decls, comments, errors, includes int
	labels                            bool // the chunk has a goto label
}

var (
	// chunkGap is the room left after each chunk for it to grow: 4 GiB on
	// 64-bit machines.
	chunkGap = Pos(1) << (strconv.IntSize / 2)
	// maxBase bounds the positions of a chunked file.
	maxBase = Pos(math.MaxInt / 4)
)

// ParseChunked parses one VCL file like Parse, with positions tiled into
// chunks so that Reparse can later reuse its declarations. The tree, its
// comments and its errors are those of Parse, with every position mapped as
// Source.PosOf maps offsets.
func ParseChunked(name, text string) *File {
	f, _ := parseRegion(name, text, nil, 0, 0)
	return f
}

// Reparse parses newText, the next version of old's text, reusing the
// declarations (the very nodes) of every chunk of old that the change does
// not touch. The result equals ParseChunked(name, newText) once positions
// are mapped to offsets. old must come from ParseChunked or Reparse (any
// other old is parsed afresh) and is not modified.
func Reparse(old *File, newText string) *File {
	name := old.Source.Name
	oldText := old.Source.Text
	if old.chunks == nil || old.Snippet != nil || bomLen(oldText) != bomLen(newText) {
		return ParseChunked(name, newText) // snippets are re-parsed whole
	}
	if oldText == newText {
		return old
	}
	prefix := commonPrefix(oldText, newText)
	suffix := commonSuffix(oldText[prefix:], newText[prefix:])
	oldEnd := len(oldText) - suffix
	// The first chunk the change touches: the one holding byte prefix.
	// Every earlier chunk ended cleanly, so its parse does not depend on
	// what follows it.
	i := 0
	for lo, hi := 0, len(old.chunks); lo < hi; {
		m := (lo + hi) / 2
		if old.chunks[m].off <= prefix {
			i, lo = m, m+1
		} else {
			hi = m
		}
	}
	sync := &resync{old: old, delta: len(newText) - len(oldText), oldEnd: oldEnd, next: i + 1, at: -1}
	region, ok := parseRegion(name, newText, sync, old.chunks[i].off, old.chunks[i].base)
	if !ok {
		return ParseChunked(name, newText)
	}
	return splice(old, region, i, sync, newText, prefix, oldEnd)
}

// resync is the state of a Reparse: where the re-parse may stop and reuse
// the rest of the old file.
type resync struct {
	old    *File
	delta  int // len(new text) - len(old text)
	oldEnd int // end of the changed bytes in the old text
	next   int // first old chunk that may be reused
	at     int // index of the old chunk where the re-parse stopped, -1 at EOF
}

// chunker collects the chunks of a chunked parse.
type chunker struct {
	chunks []fileChunk
	sync   *resync // nil for a parse from scratch
}

// parseRegion parses text from byte off on, with positions from base on.
// With sync == nil it parses the whole file; else it stops at the first
// chunk of sync.old it can reuse and reports false when the region turned
// the file into a snippet (which must be parsed whole).
func parseRegion(name, text string, sync *resync, off int, base Pos) (*File, bool) {
	p := newParser(text)
	p.chunks = &chunker{sync: sync, chunks: []fileChunk{{off: off, base: base}}}
	if off > 0 {
		p.sc.off = off
	}
	p.sc.delta = base - Pos(off)
	p.next()
	p.parseFile()
	if sync != nil && p.file.Snippet != nil {
		return nil, false
	}
	p.chunks.chunks[len(p.chunks.chunks)-1].labels = p.labels
	f := p.file
	f.chunks = p.chunks.chunks
	if sync == nil {
		f.Source = &Source{Name: name, Text: text, lines: lineStarts(text, bomLen(text))}
		f.finish()
	}
	return f, true
}

// finish sets the File's HasLabels and its Source's chunk map from its
// chunks.
func (f *File) finish() {
	f.HasLabels = false
	f.Source.chunks = make([]srcChunk, len(f.chunks))
	for k, c := range f.chunks {
		f.HasLabels = f.HasLabels || c.labels
		f.Source.chunks[k] = srcChunk{off: c.off, base: c.base}
	}
}

// endedCleanly reports whether the declaration just parsed ended with its
// own '}' or ';' and nothing was decided, or reported, about the token
// after it: then the declaration parses the same whatever follows it.
func (p *parser) endedCleanly() bool {
	return (p.prevKind == RBRACE || p.prevKind == SEMICOLON) && p.errEpoch != p.consumed
}

// boundary is called at top level, at the first token of the item after a
// declaration that ended cleanly. It starts a new chunk there or, in a
// Reparse, reports true when the old file's chunk starting there can be
// reused, so the parse stops.
func (p *parser) boundary() bool {
	c := p.chunks
	at := p.tok.Start // also the end position of the current chunk
	off := int(at - p.sc.delta)
	// Comments and errors already scanned at or after the boundary (the
	// token's own) belong to the next chunk.
	nc := len(p.file.Comments)
	for nc > 0 && p.file.Comments[nc-1].Start >= at {
		nc--
	}
	ne := len(p.file.Errors)
	for ne > 0 && p.file.Errors[ne-1].Start >= at {
		ne--
	}
	limit := maxBase
	if s := c.sync; s != nil {
		old := s.old.chunks
		o := max(off-s.delta, s.oldEnd)
		for s.next < len(old) && old[s.next].off < o {
			s.next++
		}
		if s.next < len(old) && old[s.next].off == off-s.delta && at < old[s.next].base {
			s.at = s.next
			p.file.Comments = p.file.Comments[:nc]
			p.file.Errors = p.file.Errors[:ne]
			return true
		}
		k := s.next
		if k < len(old) && old[k].off == off-s.delta {
			k++ // no room before it: it is re-parsed too
		}
		if k < len(old) {
			limit = old[k].base
		}
	}
	base := at + min(chunkGap, max(limit-at, 0)/2)
	diff := base - at
	p.tok.Range = shift(p.tok.Range, diff)
	for i := range p.ahead {
		p.ahead[i].Range = shift(p.ahead[i].Range, diff)
	}
	for _, cm := range p.file.Comments[nc:] {
		cm.Range = shift(cm.Range, diff)
	}
	for _, e := range p.file.Errors[ne:] {
		e.Range = shift(e.Range, diff)
	}
	if p.hasErr && p.lastErrPos >= at {
		p.lastErrPos += diff
	}
	p.sc.delta += diff
	c.chunks[len(c.chunks)-1].labels = p.labels
	p.labels = false
	c.chunks = append(c.chunks, fileChunk{
		off: off, base: base,
		decls: len(p.file.Decls), comments: nc, errors: ne, includes: len(p.file.Includes),
	})
	return false
}

func shift(r Range, d Pos) Range { return Range{r.Start + d, r.End + d} }

// splice builds the new File of a Reparse: old's chunks before the region,
// the region's, and old's from where the region stopped on.
func splice(old, region *File, first int, sync *resync, text string, prefix, oldEnd int) *File {
	oc := old.chunks
	start := oc[first]
	stop := fileChunk{
		off: len(old.Source.Text), decls: len(old.Decls), comments: len(old.Comments),
		errors: len(old.Errors), includes: len(old.Includes),
	}
	if sync.at >= 0 {
		stop = oc[sync.at]
	}
	f := &File{
		Decls:    concat(old.Decls[:start.decls], region.Decls, old.Decls[stop.decls:]),
		Comments: concat(old.Comments[:start.comments], region.Comments, old.Comments[stop.comments:]),
		Errors:   concat(old.Errors[:start.errors], region.Errors, old.Errors[stop.errors:]),
		Includes: concat(old.Includes[:start.includes], region.Includes, old.Includes[stop.includes:]),
	}
	tail := 0
	if sync.at >= 0 {
		tail = len(oc) - sync.at
	}
	chunks := make([]fileChunk, 0, first+len(region.chunks)+tail)
	chunks = append(chunks, oc[:first]...)
	for _, c := range region.chunks {
		c.decls += start.decls
		c.comments += start.comments
		c.errors += start.errors
		c.includes += start.includes
		chunks = append(chunks, c)
	}
	if sync.at >= 0 {
		dd := len(f.Decls) - len(old.Decls)
		dc := len(f.Comments) - len(old.Comments)
		de := len(f.Errors) - len(old.Errors)
		di := len(f.Includes) - len(old.Includes)
		for _, c := range oc[sync.at:] {
			c.off += sync.delta
			c.decls += dd
			c.comments += dc
			c.errors += de
			c.includes += di
			chunks = append(chunks, c)
		}
	}
	f.chunks = chunks
	f.Source = &Source{Name: old.Source.Name, Text: text, lines: editLines(old.Source, text, prefix, oldEnd)}
	f.finish()
	return f
}

// editLines is the line index of text, which is old's text with the bytes
// [prefix, oldEnd) replaced: old's line starts before the change are kept,
// those after it shifted.
func editLines(old *Source, text string, prefix, oldEnd int) []int {
	delta := len(text) - len(old.Text)
	newEnd := oldEnd + delta
	keep := old.lineOf(prefix) + 1 // line starts <= prefix are unchanged
	after := keep
	for after < len(old.lines) && old.lines[after] <= oldEnd {
		after++
	}
	lines := make([]int, keep, len(old.lines)+4)
	copy(lines, old.lines[:keep])
	lines = appendLineStarts(lines, text[:newEnd], prefix)
	for _, l := range old.lines[after:] {
		lines = append(lines, l+delta)
	}
	return lines
}

func concat[T any](a, b, c []T) []T {
	out := make([]T, 0, len(a)+len(b)+len(c))
	out = append(out, a...)
	out = append(out, b...)
	return append(out, c...)
}

// commonPrefix is the length of the longest common prefix of a and b. It
// compares in blocks (a string comparison is a vectorised memequal) and
// finishes byte by byte.
func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for block := 1 << 12; block >= 8; block >>= 3 {
		for i+block <= n && a[i:i+block] == b[i:i+block] {
			i += block
		}
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

// commonSuffix is the length of the longest common suffix of a and b.
func commonSuffix(a, b string) int {
	n := min(len(a), len(b))
	i := 0
	for block := 1 << 12; block >= 8; block >>= 3 {
		for i+block <= n && a[len(a)-i-block:len(a)-i] == b[len(b)-i-block:len(b)-i] {
			i += block
		}
	}
	for i < n && a[len(a)-1-i] == b[len(b)-1-i] {
		i++
	}
	return i
}
