// Package syntax is the scanner, the syntax tree and the error-tolerant parser
// for Fastly VCL. Every node carries its exact byte range in its Source; the
// parser never gives up and always returns a tree plus the list of errors.
package syntax

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Pos is a position in a Source: its byte offset for a file parsed by
// Parse, a virtual position for a chunked file (see Source).
type Pos int

// Range is the half-open byte range [Start, End) of a node or token.
type Range struct {
	Start Pos
	End   Pos
}

// Span returns the range itself, so that any node embedding Range is a Node.
func (r Range) Span() Range { return r }

// Contains reports whether p lies in [Start, End].
func (r Range) Contains(p Pos) bool { return p >= r.Start && p <= r.End }

// BOM is the UTF-8 byte-order mark. Some editors on Windows start files
// with it; it is not part of the VCL.
const BOM = "\uFEFF"

// Source is the text of one file with its name and a line index. A leading
// BOM stays in Text (so that a file can be written back unchanged) but is
// zero-width: the first line starts after it, so line and column numbers,
// in bytes, UTF-8 or UTF-16, are what an editor that hides the BOM shows.
//
// Positions are virtual (like go/token's): a file parsed by Parse has one
// chunk at base 0, so a Pos is the byte offset. A file parsed by
// ParseChunked or Reparse is tiled into chunks, one or more top-level
// declarations each; a Pos inside chunk k is base_k + (offset - start_k),
// with bases ordered like the text and far apart, so that a declaration
// after an edit keeps its nodes (and their positions) in the next version.
// Never index Text with a Pos: use Offset, Slice, or PosOf to go back.
type Source struct {
	Name  string
	Text  string
	lines []int // byte offset of the start of each line
	// chunks maps positions to offsets; nil means one chunk at base 0.
	chunks []srcChunk
}

// srcChunk is one chunk of a chunked Source: bytes from off on have the
// positions base + (offset - off), up to the next chunk's off.
type srcChunk struct {
	off  int
	base Pos
}

// NewSource indexes text for line/column conversions. Its positions are
// byte offsets.
func NewSource(name, text string) *Source {
	return &Source{Name: name, Text: text, lines: lineStarts(text, bomLen(text))}
}

// lineStarts lists the offset of the start of each line of text; the first
// line starts at first (after a BOM).
func lineStarts(text string, first int) []int {
	lines := make([]int, 1, 1+strings.Count(text, "\n"))
	lines[0] = first
	return appendLineStarts(lines, text, 0)
}

// appendLineStarts appends the start of every line that begins after a
// newline in text[from:], as offsets in text.
func appendLineStarts(lines []int, text string, from int) []int {
	for {
		i := strings.IndexByte(text[from:], '\n')
		if i < 0 {
			return lines
		}
		from += i + 1
		lines = append(lines, from)
	}
}

func bomLen(text string) int {
	if strings.HasPrefix(text, BOM) {
		return len(BOM)
	}
	return 0
}

// Position is a human position: 1-based line, and a 1-based column counted
// in bytes.
type Position struct {
	Line, Col int
}

// BOMLen is the length in bytes of the byte-order mark the text starts
// with: 3, or 0 when there is none.
func (s *Source) BOMLen() int { return bomLen(s.Text) }

// Offset converts a position to a byte offset in Text (clamped to the text;
// a position in the gap after a chunk is clamped to that chunk's end).
func (s *Source) Offset(p Pos) int {
	off := int(p)
	if s.chunks != nil {
		k := sort.Search(len(s.chunks), func(i int) bool { return s.chunks[i].base > p }) - 1
		if k < 0 {
			return 0
		}
		c := s.chunks[k]
		off = c.off + int(p-c.base)
		if k+1 < len(s.chunks) && off > s.chunks[k+1].off {
			off = s.chunks[k+1].off
		}
	}
	return min(max(off, 0), len(s.Text))
}

// PosOf converts a byte offset in Text to a position (clamped to the text).
// An offset where a chunk starts is that chunk's first position.
func (s *Source) PosOf(offset int) Pos {
	offset = min(max(offset, 0), len(s.Text))
	if s.chunks == nil {
		return Pos(offset)
	}
	k := sort.Search(len(s.chunks), func(i int) bool { return s.chunks[i].off > offset }) - 1
	c := s.chunks[max(k, 0)]
	return c.base + Pos(offset-c.off)
}

// Virtual reports whether positions may differ from byte offsets (a file
// of ParseChunked or Reparse with more than one chunk).
func (s *Source) Virtual() bool { return len(s.chunks) > 1 }

// End is the position of the end of the text.
func (s *Source) End() Pos { return s.PosOf(len(s.Text)) }

// Slice returns the text of r.
func (s *Source) Slice(r Range) string {
	a, b := s.Offset(r.Start), s.Offset(r.End)
	if b < a {
		return ""
	}
	return s.Text[a:b]
}

// Byte returns the byte at p, or 0 at or after the end of the text.
func (s *Source) Byte(p Pos) byte {
	if off := s.Offset(p); off < len(s.Text) && p >= 0 {
		return s.Text[off]
	}
	return 0
}

// Advance returns the position n bytes after p (n may be negative), as
// offsets count: it crosses chunk boundaries. The result is clamped to the
// text.
func (s *Source) Advance(p Pos, n int) Pos {
	if s.chunks == nil {
		return Pos(min(max(int(p)+n, 0), len(s.Text)))
	}
	return s.PosOf(s.Offset(p) + n)
}

// PosMapper converts byte offsets to positions for a scan that moves
// forward through the text: each conversion costs O(1) amortised instead
// of a binary search.
type PosMapper struct {
	s *Source
	k int // the chunk of the last offset converted
}

// PosMapper returns a mapper starting at the beginning of the text.
func (s *Source) PosMapper() *PosMapper { return &PosMapper{s: s} }

// PosOf is Source.PosOf; offsets should not decrease from call to call (a
// smaller one is still converted right, by a binary search).
func (m *PosMapper) PosOf(offset int) Pos {
	cs := m.s.chunks
	if cs == nil {
		return m.s.PosOf(offset)
	}
	if offset < cs[m.k].off {
		return m.s.PosOf(offset)
	}
	offset = min(offset, len(m.s.Text))
	for m.k+1 < len(cs) && cs[m.k+1].off <= offset {
		m.k++
	}
	return cs[m.k].base + Pos(offset-cs[m.k].off)
}

// lineOf returns the 0-based line of a byte offset.
func (s *Source) lineOf(off int) int {
	return sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
}

// Position converts a position to line and byte column (both 1-based).
func (s *Source) Position(p Pos) Position {
	off := max(s.Offset(p), s.lines[0]) // the BOM is zero-width
	line := s.lineOf(off)
	return Position{Line: line + 1, Col: off - s.lines[line] + 1}
}

// LineCount is the number of lines.
func (s *Source) LineCount() int { return len(s.lines) }

// LineStart is the position where 0-based line begins (clamped).
func (s *Source) LineStart(line int) Pos { return s.PosOf(s.lineStartOffset(line)) }

func (s *Source) lineStartOffset(line int) int {
	if line < 0 {
		return s.lines[0]
	}
	if line >= len(s.lines) {
		return len(s.Text)
	}
	return s.lines[line]
}

// LineText returns the text of 0-based line without its newline.
func (s *Source) LineText(line int) string {
	start := s.lineStartOffset(line)
	end := len(s.Text)
	if line+1 < len(s.lines) {
		end = s.lines[line+1] - 1
	}
	if end < start {
		return ""
	}
	return s.Text[start:end]
}

// LineEnd is the position of the end of 0-based line, before its newline
// (clamped).
func (s *Source) LineEnd(line int) Pos {
	return s.PosOf(s.lineStartOffset(line) + len(s.LineText(line)))
}

// UTF16Pos returns the 0-based line and UTF-16 column of p (as LSP wants).
func (s *Source) UTF16Pos(p Pos) (line, col int) {
	off := max(s.Offset(p), s.lines[0])
	line = s.lineOf(off)
	for _, r := range s.Text[s.lines[line]:off] {
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
	}
	return line, col
}

// OffsetUTF16 converts a 0-based line and UTF-16 column to a position
// (clamped to the line's end).
func (s *Source) OffsetUTF16(line, col int) Pos {
	if line >= len(s.lines) {
		return s.End()
	}
	p := s.lineStartOffset(line)
	for col > 0 && p < len(s.Text) && s.Text[p] != '\n' {
		r, size := utf8.DecodeRuneInString(s.Text[p:])
		if r >= 0x10000 {
			col -= 2
		} else {
			col--
		}
		p += size
	}
	return s.PosOf(p)
}

// OffsetUTF8 converts a 0-based line and byte column to a position (clamped).
func (s *Source) OffsetUTF8(line, col int) Pos {
	if line >= len(s.lines) {
		return s.End()
	}
	p := s.lineStartOffset(line)
	for col > 0 && p < len(s.Text) && s.Text[p] != '\n' {
		p++
		col--
	}
	return s.PosOf(p)
}

// Error is a syntax error with its range in the Source.
type Error struct {
	Range
	Msg string
}

// Error returns the message.
func (e *Error) Error() string { return e.Msg }
