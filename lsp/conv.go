package lsp

import (
	"net/url"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/vclide/vclide/analysis/syntax"
)

// uriToPath maps a document URI to the name the analysis core uses: the
// cleaned absolute path for file: URIs, the URI itself for anything else
// (untitled buffers and the like).
func uriToPath(u string) string {
	if !strings.HasPrefix(u, "file:") {
		return u
	}
	parsed, err := url.Parse(u)
	if err != nil || parsed.Path == "" {
		return u
	}
	p := parsed.Path
	// file:///C:/x on Windows.
	if len(p) >= 3 && p[0] == '/' && p[2] == ':' {
		p = p[1:]
	}
	return filepath.Clean(filepath.FromSlash(p))
}

// pathToURI is the inverse of uriToPath.
func pathToURI(path string) protocol.DocumentURI {
	if !filepath.IsAbs(path) && strings.Contains(path, ":") {
		return protocol.DocumentURI(path)
	}
	return protocol.DocumentURI(uri.File(path))
}

// posConv converts between byte offsets in a Source and LSP positions in the
// negotiated encoding.
type posConv struct {
	utf8 bool
}

// position converts an offset to an LSP position.
func (c posConv) position(src *syntax.Source, p syntax.Pos) protocol.Position {
	if c.utf8 {
		pos := src.Position(p)
		return protocol.Position{Line: uint32(pos.Line - 1), Character: uint32(pos.Col - 1)}
	}
	line, col := src.UTF16Pos(clampPos(src, p))
	return protocol.Position{Line: uint32(line), Character: uint32(col)}
}

// rng converts a byte range to an LSP range.
func (c posConv) rng(src *syntax.Source, r syntax.Range) protocol.Range {
	return protocol.Range{Start: c.position(src, r.Start), End: c.position(src, r.End)}
}

// offset converts an LSP position to a byte offset (clamped to the text).
func (c posConv) offset(src *syntax.Source, p protocol.Position) syntax.Pos {
	if c.utf8 {
		return src.OffsetUTF8(int(p.Line), int(p.Character))
	}
	return src.OffsetUTF16(int(p.Line), int(p.Character))
}

// width is the length of text in the negotiated encoding's units.
func (c posConv) width(text string) uint32 {
	if c.utf8 {
		return uint32(len(text))
	}
	n := uint32(0)
	for _, r := range text {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func clampPos(src *syntax.Source, p syntax.Pos) syntax.Pos {
	return min(max(p, 0), src.End())
}

// utf16Len counts UTF-16 code units (for labels whose offsets LSP always
// measures in UTF-16, such as parameter labels).
func utf16Len(s string) uint32 {
	return posConv{}.width(s)
}
