package dap

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/google/go-dap"

	"github.com/vclide/vclide/analysis"
)

func (s *Session) onSetBreakpoints(r *dap.SetBreakpointsRequest) {
	a := r.Arguments
	path := a.Source.Path
	if path == "" {
		s.sendError(r.Request, errBadRequest, "setBreakpoints: the source has no path")
		return
	}
	reqs := a.Breakpoints
	if reqs == nil {
		for _, l := range a.Lines {
			reqs = append(reqs, dap.SourceBreakpoint{Line: l})
		}
	}
	s.mu.Lock()
	for i := range reqs {
		reqs[i].Line += 1 - s.lineBase
	}
	specs := s.bps.setLines(path, reqs, s.program(), s.idx)
	out := make([]dap.Breakpoint, len(specs))
	for i, sp := range specs {
		out[i] = sp.dapBreakpoint(path, s.lineBase)
	}
	s.bpTable.Store(s.bps.table())
	s.mu.Unlock()
	s.respond(r.Request, &dap.SetBreakpointsResponse{Body: dap.SetBreakpointsResponseBody{Breakpoints: out}})
}

// loadedProgram is the loaded program (nil before launch).
func (s *Session) loadedProgram() *analysis.Program {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.program()
}

// program is the loaded program (nil before launch); s.mu held.
func (s *Session) program() *analysis.Program {
	if s.t == nil {
		return nil
	}
	return s.t.prog
}

func (s *Session) onSetFunctionBreakpoints(r *dap.SetFunctionBreakpointsRequest) {
	s.mu.Lock()
	specs := s.bps.setFuncs(r.Arguments.Breakpoints, s.program())
	out := make([]dap.Breakpoint, len(specs))
	for i, sp := range specs {
		b := dap.Breakpoint{Id: sp.bp.id, Verified: sp.ok, Message: sp.msg}
		if sp.ok && sp.bp.file != "" {
			file := analysis.SourceFile(sp.bp.file)
			b.Source = &dap.Source{Name: filepath.Base(file), Path: file}
			b.Line = sp.bp.line - 1 + s.lineBase
		}
		out[i] = b
	}
	s.bpTable.Store(s.bps.table())
	s.mu.Unlock()
	s.respond(r.Request, &dap.SetFunctionBreakpointsResponse{Body: dap.SetFunctionBreakpointsResponseBody{Breakpoints: out}})
}

func (s *Session) onSetExceptionBreakpoints(r *dap.SetExceptionBreakpointsRequest) {
	known := map[string]bool{}
	for _, f := range exceptionFilters {
		known[f.Filter] = true
	}
	filters := map[string]bool{}
	var patterns []string
	var out []dap.Breakpoint
	add := func(id, condition string) {
		b := dap.Breakpoint{Verified: known[id]}
		switch {
		case !known[id]:
			b.Message = "unknown exception filter " + id
		case id == filterCacheState:
			p, err := parseStatePatterns(condition)
			if err != nil {
				b.Verified, b.Message = false, err.Error()
				break
			}
			patterns = append(patterns, p...)
		case strings.TrimSpace(condition) != "":
			b.Verified, b.Message = false, "the "+id+" filter takes no condition"
		}
		if b.Verified {
			filters[id] = true
		}
		out = append(out, b)
	}
	for _, f := range r.Arguments.Filters {
		add(f, "")
	}
	for _, f := range r.Arguments.FilterOptions {
		add(f.FilterId, f.Condition)
	}
	s.mu.Lock()
	s.bps.filters = filters
	s.bps.statePatterns = patterns
	s.bpTable.Store(s.bps.table())
	s.mu.Unlock()
	s.respond(r.Request, &dap.SetExceptionBreakpointsResponse{Body: dap.SetExceptionBreakpointsResponseBody{Breakpoints: out}})
}

// defaultStatePattern is the cache-state filter's pattern when the client
// gives none.
const defaultStatePattern = "*STALE*"

// parseStatePatterns reads the cache-state filter's condition: glob
// patterns over fastly_info.state ("*STALE*", "MISS*"), separated by
// commas or spaces.
func parseStatePatterns(cond string) ([]string, error) {
	fields := strings.FieldsFunc(cond, func(r rune) bool { return r == ',' || r == ' ' || r == '|' })
	if len(fields) == 0 {
		return []string{defaultStatePattern}, nil
	}
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		f = strings.ToUpper(f)
		if _, err := path.Match(f, ""); err != nil {
			return nil, fmt.Errorf("cache-state pattern %q: use * and ? wildcards, as in *STALE*", f)
		}
		out = append(out, f)
	}
	return out, nil
}

func (s *Session) onBreakpointLocations(r *dap.BreakpointLocationsRequest) {
	a := r.Arguments
	s.mu.Lock()
	base := s.lineBase
	idx := s.idx
	s.mu.Unlock()
	line := a.Line + 1 - base
	end := line
	if a.EndLine > 0 {
		end = a.EndLine + 1 - base
	}
	locs := []dap.BreakpointLocation{}
	if _, stmts, ok := idx.lookupFile(a.Source.Path, line); ok {
		for _, l := range stmts {
			if l.line >= line && l.line <= end {
				locs = append(locs, dap.BreakpointLocation{Line: l.line - 1 + base, Column: l.col - 1 + s.colBase})
			}
		}
	}
	s.respond(r.Request, &dap.BreakpointLocationsResponse{Body: dap.BreakpointLocationsResponseBody{Breakpoints: locs}})
}
