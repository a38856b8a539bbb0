// Package poserr is the error type for problems at a place in a text file
// (a configuration or scenario file): file, line, column and message, and a
// list of them that is itself an error.
package poserr

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem at one place in a file.
type Error struct {
	File   string // the file name as the caller gave it
	Line   int    // 1-based; 0 when unknown
	Column int    // 1-based; 0 when unknown
	Msg    string
}

// Error formats the problem as "file:line:column: message", leaving out the
// parts that are unknown.
func (e *Error) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	case e.Column == 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// ErrorList is every problem found in a file, in file order.
type ErrorList []*Error

// Error lists the problems, one a line.
func (l ErrorList) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// SortByPosition orders the problems by line, then column, keeping the
// order of problems at the same place.
func (l ErrorList) SortByPosition() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
	})
}
