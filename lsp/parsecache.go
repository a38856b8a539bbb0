package lsp

import (
	"sync"

	"github.com/vclide/vclide/analysis/syntax"
)

// parseCache keeps the latest parse of each open buffer, so that the next
// version is parsed with syntax.Reparse: only the top-level declarations an
// edit touches are parsed again; the others are the previous version's
// nodes, shared (the checker never writes to a tree). Open buffers are
// parsed with syntax.ParseChunked, so their positions are virtual; every
// other file is parsed with syntax.Parse.
//
// The workspaces parse through it (analysis.WorkspaceSpec.Parse): roots,
// includes and open sibling files alike.
//
// Files read from disk (includes nobody has open) keep their parse while
// their text is unchanged, so their declarations are the same nodes from
// one check to the next and their subroutines' results are adopted, not
// checked again on every keystroke in the file that includes them. Only
// the disk files the open programs use are kept (retainDisk), and those
// programs hold the parses anyway: the cache costs no memory of its own.
type parseCache struct {
	mu    sync.Mutex
	open  map[string]bool
	files map[string]*syntax.File // path → latest parse of its buffer
	disk  map[string]*syntax.File // path → parse of a file read from disk
}

func newParseCache() *parseCache {
	return &parseCache{open: map[string]bool{}, files: map[string]*syntax.File{}, disk: map[string]*syntax.File{}}
}

// retainDisk forgets the parses of disk files that are not in keep.
func (c *parseCache) retainDisk(keep map[string]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for path := range c.disk {
		if !keep[path] {
			delete(c.disk, path)
		}
	}
}

// setOpen records that the buffer at path was opened or closed; closing
// forgets its parse.
func (c *parseCache) setOpen(path string, open bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if open {
		c.open[path] = true
		return
	}
	delete(c.open, path)
	delete(c.files, path)
}

// parse parses text, the content of path: an open buffer from its previous
// parse, anything else from scratch.
func (c *parseCache) parse(path, text string) *syntax.File {
	c.mu.Lock()
	open, prev := c.open[path], c.files[path]
	c.mu.Unlock()
	if !open {
		c.mu.Lock()
		f := c.disk[path]
		c.mu.Unlock()
		if f != nil && f.Source.Text == text {
			return f
		}
		f = syntax.Parse(path, text)
		c.mu.Lock()
		if !c.open[path] {
			c.disk[path] = f
		}
		c.mu.Unlock()
		return f
	}
	if prev != nil && prev.Source.Text == text {
		return prev
	}
	var f *syntax.File
	if prev != nil {
		f = syntax.Reparse(prev, text)
	} else {
		f = syntax.ParseChunked(path, text)
	}
	c.mu.Lock()
	if c.open[path] {
		c.files[path] = f
	}
	c.mu.Unlock()
	return f
}

// source returns the Source of the latest parse of the open buffer at
// path when its text is text (nil otherwise).
func (c *parseCache) source(path, text string) *syntax.Source {
	c.mu.Lock()
	f := c.files[path]
	c.mu.Unlock()
	if f == nil || f.Source.Text != text {
		return nil
	}
	return f.Source
}
