// Package format lays out Fastly VCL source in one canonical style, the way
// Fastly's documentation writes it:
//
//   - two-space indentation (configurable, or tabs), one statement per line;
//   - `sub name {`, `if (cond) {` … `} else if (cond) {` … `} else {`, with the
//     user's elsif/elseif spelling kept;
//   - single spaces around binary operators and assignment operators and
//     between the parts of a concatenation, none after unary operators or
//     inside parentheses; `return(action);` whether the source wrote
//     `return action;`, `return (action);` or `return(action);`;
//   - literals (strings, long strings, numbers, durations, IPs) byte for byte
//     as written;
//   - backend, probe and director properties, ACL entries and table entries
//     one per line, table entries always followed by a comma; a director
//     member written on one line ({ .backend = F_a; .weight = 1; }) stays on
//     one line; an empty object, ACL or table prints as {};
//   - at most one blank line where the user had blank lines, none at the
//     start or end of a block; exactly one blank line around a top-level
//     declaration with a body, while runs of include, import and pragma
//     lines keep the user's grouping;
//   - a `#FASTLY name` macro at the statement's indentation, or at column 0
//     when the user wrote it there (as Fastly's boilerplate does);
//   - empty statements (stray ';') dropped;
//   - every comment kept, in order: leading comments on their own lines at
//     the indentation of what follows, trailing comments at the end of their
//     line, comments inside an expression where they were, and comments
//     before a closing '}' inside the block;
//   - lines are never wrapped or joined by width: a line break the user put
//     inside an expression (before or after an operator such as && or ||,
//     between the parts of a concatenation, after '(' or ',' and before ')')
//     is kept, each continuation line indented one level deeper than the
//     line that opened the statement or the enclosing parenthesis; other
//     line breaks inside a statement are removed.
//
// The printer walks the syntax tree for the layout and the token stream for
// the text, so every token and comment of the input appears in the output,
// in the same order; should the two ever disagree, the declaration is
// copied unchanged rather than risk losing code. Formatting is idempotent,
// and files with syntax errors are never rewritten.
package format

import (
	"fmt"
	"sort"

	"github.com/vclide/vclide/analysis/syntax"
)

// Options tunes the layout.
type Options struct {
	// IndentWidth is the number of spaces per indentation level (default 2).
	IndentWidth int
	// UseTabs indents with one tab per level instead of spaces.
	UseTabs bool
	// LineEndings chooses LF or CRLF line breaks; by default a CRLF file
	// stays CRLF and every other file is written with LF.
	LineEndings LineEndings
}

// Edit replaces the source bytes [Start, End) with NewText.
type Edit struct {
	Start, End syntax.Pos
	NewText    string
}

// SyntaxError reports that a file was not formatted because it does not
// parse. Pos is the position of the first error.
type SyntaxError struct {
	Name  string
	Pos   syntax.Position
	Msg   string
	Count int // total number of syntax errors
}

// Error formats the first error as name:line:col: message.
func (e *SyntaxError) Error() string {
	s := fmt.Sprintf("%s:%d:%d: %s", e.Name, e.Pos.Line, e.Pos.Col, e.Msg)
	if e.Count > 1 {
		s += fmt.Sprintf(" (and %d more syntax errors)", e.Count-1)
	}
	return s
}

// checkErrors returns a *SyntaxError when f has syntax errors.
func checkErrors(f *syntax.File) error {
	if len(f.Errors) == 0 {
		return nil
	}
	errs := append([]*syntax.Error(nil), f.Errors...)
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Start < errs[j].Start })
	e := errs[0]
	return &SyntaxError{Name: f.Source.Name, Pos: f.Source.Position(e.Start), Msg: e.Msg, Count: len(errs)}
}

// Source parses text and returns it formatted. When the text has syntax
// errors it returns a *SyntaxError and no output: broken code is never
// rewritten.
func Source(name, text string, opts Options) (string, error) {
	f := syntax.Parse(name, text)
	if err := checkErrors(f); err != nil {
		return "", err
	}
	return File(f, opts), nil
}

// File returns the formatted text of a parsed file. A file with syntax errors
// is returned unchanged. The printer works in byte offsets, so a chunked
// file (virtual positions) is parsed again with syntax.Parse first.
func File(f *syntax.File, opts Options) string {
	if len(f.Errors) > 0 {
		return f.Source.Text
	}
	if f.Source.Virtual() {
		f = syntax.Parse(f.Source.Name, f.Source.Text)
	}
	out, _ := format(f, opts, false)
	out = withLineEndings(out, opts.wantCRLF(f.Source.Text))
	if n := f.Source.BOMLen(); n > 0 {
		out = f.Source.Text[:n] + out // keep the byte-order mark the file starts with
	}
	return out
}

// format runs the printer over f. With record set it also returns the
// source and output spans of every statement and top-level declaration.
func format(f *syntax.File, opts Options, record bool) (string, *printer) {
	p := newPrinter(f, opts)
	if record {
		p.recs = []rec{}
	}
	p.file()
	return p.w.String(), p
}
