package lsp

import (
	"context"
	"errors"

	"go.lsp.dev/protocol"

	"github.com/vclide/vclide/analysis/format"
	"github.com/vclide/vclide/analysis/syntax"
)

// Formatting uses the canonical layout of analysis/format (the one `vclide
// fmt` writes), whatever the editor's tab settings, so that formatting in
// the editor and `vclide fmt --check` in CI agree.

// formatDocument answers textDocument/formatting with the smallest edit
// that turns the text into its formatted form.
func formatDocument(ctx context.Context, q *docQuery, p *protocol.DocumentFormattingParams) (any, error) {
	_, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	// The formatter parses the text afresh and works in byte offsets, so
	// positions are converted with a plain Source, not the snapshot's
	// (whose positions may be virtual).
	src := syntax.NewSource(f.Source.Name, f.Source.Text)
	text := src.Text
	out, err := format.Source(src.Name, text, format.Options{})
	if err != nil {
		return nil, formatError(err)
	}
	if out == text {
		return []protocol.TextEdit{}, nil
	}
	start, end, newText := minimalEdit(text, out)
	return []protocol.TextEdit{{Range: q.conv.rng(src, syntax.Range{Start: start, End: end}), NewText: newText}}, nil
}

// formatRange answers textDocument/rangeFormatting.
func formatRange(ctx context.Context, q *docQuery, p *protocol.DocumentRangeFormattingParams) (any, error) {
	_, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	src := syntax.NewSource(f.Source.Name, f.Source.Text) // offsets, as in formatDocument
	start := q.conv.offset(src, p.Range.Start)
	end := q.conv.offset(src, p.Range.End)
	edits, err := format.Range(src.Name, src.Text, start, end, format.Options{})
	if err != nil {
		return nil, formatError(err)
	}
	out := []protocol.TextEdit{}
	for _, e := range edits {
		old := src.Text[e.Start:e.End]
		s, en, nt := minimalEdit(old, e.NewText)
		r := syntax.Range{Start: e.Start + s, End: e.Start + en}
		out = append(out, protocol.TextEdit{Range: q.conv.rng(src, r), NewText: nt})
	}
	return out, nil
}

func formatError(err error) error {
	var se *format.SyntaxError
	if errors.As(err, &se) {
		return rpcError(codeRequestFailed, "not formatted: the file has syntax errors ("+se.Error()+")")
	}
	return rpcError(codeRequestFailed, "not formatted: "+err.Error())
}

// minimalEdit trims the common prefix and suffix of old and new (on rune
// boundaries) and returns the replaced range of old and its new text.
func minimalEdit(old, new string) (syntax.Pos, syntax.Pos, string) {
	p := 0
	for p < len(old) && p < len(new) && old[p] == new[p] {
		p++
	}
	for p > 0 && p < len(old) && old[p]&0xC0 == 0x80 {
		p--
	}
	s := 0
	for s < len(old)-p && s < len(new)-p && old[len(old)-1-s] == new[len(new)-1-s] {
		s++
	}
	for s > 0 && len(old)-s < len(old) && old[len(old)-s]&0xC0 == 0x80 {
		s--
	}
	return syntax.Pos(p), syntax.Pos(len(old) - s), new[p : len(new)-s]
}
