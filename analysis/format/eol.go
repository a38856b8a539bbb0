package format

import (
	"fmt"
	"strings"
)

// LineEndings chooses the line breaks of the formatted text.
type LineEndings int

const (
	// KeepLineEndings writes CRLF when most line breaks of the source are
	// CRLF (the first one decides a tie), LF otherwise.
	KeepLineEndings LineEndings = iota
	// LF writes "\n" line breaks.
	LF
	// CRLF writes "\r\n" line breaks.
	CRLF
)

// ParseLineEndings reads the spelling used on the command line: keep, lf
// or crlf.
func ParseLineEndings(s string) (LineEndings, error) {
	switch strings.ToLower(s) {
	case "keep", "":
		return KeepLineEndings, nil
	case "lf":
		return LF, nil
	case "crlf":
		return CRLF, nil
	}
	return 0, fmt.Errorf("line endings must be keep, lf or crlf, not %q", s)
}

// String returns the command-line spelling.
func (l LineEndings) String() string {
	switch l {
	case LF:
		return "lf"
	case CRLF:
		return "crlf"
	}
	return "keep"
}

// usesCRLF reports whether most line breaks in src are CRLF.
func usesCRLF(src string) bool {
	lines := strings.Count(src, "\n")
	if lines == 0 {
		return false
	}
	crlf := strings.Count(src, "\r\n")
	if 2*crlf != lines {
		return 2*crlf > lines
	}
	i := strings.IndexByte(src, '\n')
	return i > 0 && src[i-1] == '\r'
}

// wantCRLF decides the line breaks of the output for source src.
func (o Options) wantCRLF(src string) bool {
	switch o.LineEndings {
	case LF:
		return false
	case CRLF:
		return true
	}
	return usesCRLF(src)
}

// stripCR turns every CRLF in s into LF. The printer works in LF only, so
// a block comment, long string or verbatim item copied from a CRLF file
// brings no stray CR into the output.
func stripCR(s string) string {
	if strings.IndexByte(s, '\r') < 0 {
		return s
	}
	return strings.ReplaceAll(s, "\r\n", "\n")
}

// withLineEndings converts the printer's LF output to CRLF when asked.
func withLineEndings(out string, crlf bool) string {
	if !crlf {
		return out
	}
	return strings.ReplaceAll(out, "\n", "\r\n")
}
