package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/vclide/vclide/analysis"
)

// indexWorkspace scans the workspace folders once at start, reporting
// work-done progress when the client supports it, then checks the open
// files again (their roots may have changed).
func (s *Server) indexWorkspace() {
	defer s.indexOnce.Do(func() { close(s.indexDone) })
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic while indexing the workspace", zap.Any("panic", r))
		}
	}()
	s.sess.mu.Lock()
	folders := append([]string(nil), s.sess.folders...)
	s.sess.mu.Unlock()
	if len(folders) == 0 {
		return
	}
	start := time.Now()
	files := findVCLFiles(folders)
	progress := s.beginProgress("Indexing VCL files", fmt.Sprintf("0/%d", len(files)))
	last := time.Now()
	for i, path := range files {
		if s.ctx.Err() != nil {
			return
		}
		s.indexFile(path)
		if time.Since(last) > 100*time.Millisecond || i == len(files)-1 {
			last = time.Now()
			progress.report(fmt.Sprintf("%d/%d", i+1, len(files)), uint32((i+1)*100/max(1, len(files))))
		}
	}
	progress.end(fmt.Sprintf("indexed %d files", len(files)))
	s.log.Info("workspace indexed", zap.Int("files", len(files)), zap.Duration("took", time.Since(start)))
	// Roots may have changed now that includers are known.
	s.sess.invalidateAll()
	s.diag.schedule()
}

// indexFiles (re)indexes some files.
func (s *Server) indexFiles(paths []string) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic while indexing", zap.Any("panic", r))
		}
	}()
	for _, p := range paths {
		s.indexFile(p)
	}
}

// indexFile checks one file on its own and records what it declares,
// includes and uses. Open buffers are read instead of the disk.
func (s *Server) indexFile(path string) {
	s.sess.mu.Lock()
	docs := s.sess.docs
	s.sess.mu.Unlock()
	ws := s.sess.workspaceFor(path)
	s.sess.index.updateFromSnapshot(newSnapshot(path, docs, ws, s.sess.nextGen(), nil))
}

// progress is a work-done progress sequence (a no-op when the client does
// not support it).
type progress struct {
	s     *Server
	token protocol.ProgressToken
	ok    bool
}

func (s *Server) beginProgress(title, msg string) *progress {
	s.mu.Lock()
	supported := s.caps.Window != nil && s.caps.Window.WorkDoneProgress
	s.progressID++
	token := protocol.NewProgressToken(fmt.Sprintf("vclide-%d", s.progressID))
	s.mu.Unlock()
	p := &progress{s: s, token: *token}
	if !supported {
		return p
	}
	ctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
	defer cancel()
	if _, err := s.conn.Call(ctx, protocol.MethodWorkDoneProgressCreate, &protocol.WorkDoneProgressCreateParams{Token: p.token}, nil); err != nil {
		s.log.Info("the client refused a progress token", zap.Error(err))
		return p
	}
	p.ok = true
	p.send(&protocol.WorkDoneProgressBegin{Kind: protocol.WorkDoneProgressKindBegin, Title: title, Message: msg, Percentage: 0})
	return p
}

func (p *progress) send(value any) {
	if !p.ok {
		return
	}
	_ = p.s.conn.Notify(context.Background(), protocol.MethodProgress, &protocol.ProgressParams{Token: p.token, Value: value})
}

func (p *progress) report(msg string, pct uint32) {
	p.send(&protocol.WorkDoneProgressReport{Kind: protocol.WorkDoneProgressKindReport, Message: msg, Percentage: pct})
}

func (p *progress) end(msg string) {
	p.send(&protocol.WorkDoneProgressEnd{Kind: protocol.WorkDoneProgressKindEnd, Message: msg})
}

// symbolKinds maps analysis symbol kinds to LSP's.
var symbolKinds = map[analysis.SymbolKind]protocol.SymbolKind{
	analysis.SymSub:         protocol.SymbolKindFunction,
	analysis.SymBackend:     protocol.SymbolKindObject,
	analysis.SymDirector:    protocol.SymbolKindObject,
	analysis.SymACL:         protocol.SymbolKindArray,
	analysis.SymTable:       protocol.SymbolKindStruct,
	analysis.SymPenaltybox:  protocol.SymbolKindObject,
	analysis.SymRatecounter: protocol.SymbolKindObject,
	analysis.SymLocal:       protocol.SymbolKindVariable,
	analysis.SymParam:       protocol.SymbolKindVariable,
	analysis.SymLabel:       protocol.SymbolKindKey,
}

// workspaceSymbols answers workspace/symbol from the index (open buffers
// are indexed as they are checked).
func workspaceSymbols(s *Server, raw json.RawMessage) (runner, error) {
	var p protocol.WorkspaceSymbolParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	conv := s.converter()
	paths := s.sess.openPaths()
	views := make([]*view, len(paths))
	for i, path := range paths {
		views[i] = s.sess.viewFor(path)
	}
	return func(ctx context.Context) (any, error) {
		// The open buffers' latest text is indexed as it is checked.
		for i, v := range views {
			s.sess.snapshotOf(v, paths[i])
		}
		query := strings.ToLower(p.Query)
		out := []protocol.SymbolInformation{}
		for _, sum := range s.sess.index.summaries() {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			for _, sym := range sum.symbols {
				if !fuzzyMatch(query, strings.ToLower(sym.name)) {
					continue
				}
				out = append(out, protocol.SymbolInformation{
					Name:          sym.name,
					Kind:          symbolKinds[sym.kind],
					Location:      protocol.Location{URI: s.sess.uriOf(sum.path), Range: conv.rng(sum.src, sym.sel)},
					ContainerName: sym.kind.String(),
				})
			}
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
		return out, nil
	}, nil
}

// fuzzyMatch reports whether the characters of query appear in name in
// order (an empty query matches everything).
func fuzzyMatch(query, name string) bool {
	i := 0
	for j := 0; j < len(name) && i < len(query); j++ {
		if name[j] == query[i] {
			i++
		}
	}
	return i == len(query)
}
