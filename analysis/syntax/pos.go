// Package syntax is the scanner, the syntax tree and the error-tolerant parser
// for Fastly VCL. Every node carries its exact byte range in its Source; the
// parser never gives up and always returns a tree plus the list of errors.
package syntax

import (
	"sort"
	"unicode/utf8"
)

// Pos is a byte offset into a Source, starting at 0.
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
type Source struct {
	Name  string
	Text  string
	lines []Pos // offset of the start of each line
}

// NewSource indexes text for line/column conversions.
func NewSource(name, text string) *Source {
	s := &Source{Name: name, Text: text}
	s.lines = append(s.lines, Pos(s.BOMLen()))
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			s.lines = append(s.lines, Pos(i+1))
		}
	}
	return s
}

// Position is a human position: 1-based line, and a 1-based column counted
// in bytes.
type Position struct {
	Line, Col int
}

// BOMLen is the length in bytes of the byte-order mark the text starts
// with: 3, or 0 when there is none.
func (s *Source) BOMLen() int {
	if len(s.Text) >= len(BOM) && s.Text[:len(BOM)] == BOM {
		return len(BOM)
	}
	return 0
}

// Position converts an offset to line and byte column (both 1-based).
func (s *Source) Position(p Pos) Position {
	if p < s.lines[0] {
		p = s.lines[0] // inside the BOM, which is zero-width
	}
	if int(p) > len(s.Text) {
		p = Pos(len(s.Text))
	}
	line := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > p }) - 1
	return Position{Line: line + 1, Col: int(p-s.lines[line]) + 1}
}

// LineCount is the number of lines.
func (s *Source) LineCount() int { return len(s.lines) }

// LineStart is the offset where 0-based line begins (clamped).
func (s *Source) LineStart(line int) Pos {
	if line < 0 {
		return s.lines[0]
	}
	if line >= len(s.lines) {
		return Pos(len(s.Text))
	}
	return s.lines[line]
}

// LineText returns the text of 0-based line without its newline.
func (s *Source) LineText(line int) string {
	start := s.LineStart(line)
	end := Pos(len(s.Text))
	if line+1 < len(s.lines) {
		end = s.lines[line+1] - 1
	}
	if end < start {
		return ""
	}
	return s.Text[start:end]
}

// UTF16Pos returns the 0-based line and UTF-16 column of p (as LSP wants).
func (s *Source) UTF16Pos(p Pos) (line, col int) {
	if p < s.lines[0] {
		p = s.lines[0]
	}
	pos := s.Position(p)
	start := s.lines[pos.Line-1]
	for _, r := range s.Text[start:p] {
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
	}
	return pos.Line - 1, col
}

// OffsetUTF16 converts a 0-based line and UTF-16 column to an offset (clamped
// to the line's end).
func (s *Source) OffsetUTF16(line, col int) Pos {
	if line >= len(s.lines) {
		return Pos(len(s.Text))
	}
	p := s.LineStart(line)
	for col > 0 && int(p) < len(s.Text) && s.Text[p] != '\n' {
		r, size := utf8.DecodeRuneInString(s.Text[p:])
		if r >= 0x10000 {
			col -= 2
		} else {
			col--
		}
		p += Pos(size)
	}
	return p
}

// OffsetUTF8 converts a 0-based line and byte column to an offset (clamped).
func (s *Source) OffsetUTF8(line, col int) Pos {
	if line >= len(s.lines) {
		return Pos(len(s.Text))
	}
	p := s.LineStart(line)
	for col > 0 && int(p) < len(s.Text) && s.Text[p] != '\n' {
		p++
		col--
	}
	return p
}

// Error is a syntax error with its range in the Source.
type Error struct {
	Range
	Msg string
}

func (e *Error) Error() string { return e.Msg }
