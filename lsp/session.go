package lsp

import (
	"sort"
	"sync"

	"go.lsp.dev/protocol"

	"github.com/vclide/vclide/analysis"
)

// session is the server's state: the open buffers, the views (one per root
// file), the workspace index and the configuration. Buffers and views are
// replaced, never modified, so readers that captured one see a consistent
// state without holding the lock.
type session struct {
	mu      sync.Mutex
	docs    overlay
	views   map[string]*view
	index   *index
	configs *configs
	folders []string
	onPanic func(root string, r any)
	gen     uint64 // last view generation handed out
	// parses re-parses open buffers incrementally.
	parses *parseCache
	// lastProg is, by root, the program of the last computed view that was
	// dropped: the next view of that root re-checks only what changed.
	lastProg map[string]*analysis.Program
}

func newSession() *session {
	s := &session{
		docs:    overlay{},
		views:   map[string]*view{},
		index:   newIndex(),
		configs: newConfigs(),
		parses:  newParseCache(),

		lastProg: map[string]*analysis.Program{},
	}
	s.configs.parse = s.parses.parse
	return s
}

// setDocLocked replaces one buffer (nil text removes it) and drops the
// views that read it.
func (s *session) setDocLocked(path string, d *document) {
	docs := make(overlay, len(s.docs)+1)
	for k, v := range s.docs {
		docs[k] = v
	}
	if d == nil {
		delete(docs, path)
	} else {
		docs[path] = d
	}
	s.parses.setOpen(path, d != nil)
	if d == nil {
		delete(s.lastProg, path)
	}
	s.docs = docs
	s.invalidateLocked(map[string]bool{path: true})
}

// invalidateLocked drops the views whose snapshot read one of the paths
// (and those not computed yet, which captured the old buffers). A nil set
// drops every view.
func (s *session) invalidateLocked(paths map[string]bool) {
	for p := range paths {
		if isTerraformPath(p) {
			// A service's declarations reach every file of it.
			paths = nil
			break
		}
	}
	if paths == nil {
		// The configuration (or a Terraform service) changed: the next
		// checks start from scratch.
		clear(s.lastProg)
	}
	drop := func(root string, snap *snapshot) {
		delete(s.views, root)
		if snap != nil && paths != nil && snap.loadErr == nil {
			s.lastProg[root] = snap.prog
		}
	}
	for root, v := range s.views {
		snap := v.computed()
		if paths == nil || snap == nil || paths[root] {
			drop(root, snap)
			continue
		}
		for p := range paths {
			if snap.files[p] != nil {
				drop(root, snap)
				break
			}
		}
	}
}

// open records a newly opened buffer.
func (s *session) open(d *document) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setDocLocked(d.path, d)
}

// doc returns the open buffer at path.
func (s *session) doc(path string) *document {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.docs[path]
}

// update replaces a buffer after a change.
func (s *session) update(d *document) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setDocLocked(d.path, d)
}

// close forgets a buffer: the file is read from disk again.
func (s *session) close(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setDocLocked(path, nil)
}

// openPaths lists the open buffers, sorted.
func (s *session) openPaths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.docs))
	for p := range s.docs {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// viewFor returns the view that checks path: the view of its root file,
// created when needed with the current buffers and options.
func (s *session) viewFor(path string) *view {
	root := s.index.rootOf(path)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.viewLocked(root)
}

func (s *session) viewLocked(root string) *view {
	if v, ok := s.views[root]; ok {
		return v
	}
	s.gen++
	v := &view{root: root, docs: s.docs, ws: s.configs.workspace(root, s.docs.dirs()), onPanic: s.onPanic, gen: s.gen, prev: s.lastProg[root]}
	s.views[root] = v
	return v
}

// snapshotOf returns a checked snapshot that contains path, computing it
// when needed. When the index's idea of the root is stale (the root no
// longer includes the file) the file is checked on its own.
func (s *session) snapshotOf(v *view, path string) *snapshot {
	snap := v.get()
	s.index.updateFromSnapshot(snap)
	if snap.file(path) != nil || v.root == path {
		return snap
	}
	s.mu.Lock()
	alone := s.viewLocked(path)
	s.mu.Unlock()
	snap = alone.get()
	s.index.updateFromSnapshot(snap)
	return snap
}

// nextGen hands out a generation for a snapshot made outside a view.
func (s *session) nextGen() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	return s.gen
}

// invalidateAll drops every view (after a configuration change).
func (s *session) invalidateAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invalidateLocked(nil)
}

// uriOf returns the URI to report for a path: the client's own spelling for
// open buffers.
func (s *session) uriOf(path string) protocol.DocumentURI {
	s.mu.Lock()
	d := s.docs[path]
	s.mu.Unlock()
	if d != nil {
		return d.uri
	}
	return pathToURI(path)
}

// workspaceFor returns the workspace that checks a file.
func (s *session) workspaceFor(path string) *analysis.Workspace {
	s.mu.Lock()
	dirs := s.docs.dirs()
	s.mu.Unlock()
	return s.configs.workspace(path, dirs)
}

// docVersionOf is the version of the open buffer at path (nil when it is
// not open).
func (s *session) docVersionOf(path string) *int32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.docs[path]; ok {
		v := d.version
		return &v
	}
	return nil
}
