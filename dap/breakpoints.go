package dap

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/google/go-dap"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/interp/value"
)

// Exception breakpoint filters.
const (
	filterError   = "error"
	filterRestart = "restart"
	filterRuntime = "runtime"
	filterCluster = "clustering"
	filterAssert  = "assertion"
	filterState   = "cache-state"
)

// filterCacheState is the filter whose condition is a pattern.
const filterCacheState = filterState

// exceptionFilters are offered in the initialize response.
var exceptionFilters = []dap.ExceptionBreakpointsFilter{
	{Filter: filterError, Label: "error statements", Description: "Stop before an `error` statement runs."},
	{Filter: filterRestart, Label: "restart", Description: "Stop before a `restart` statement or `return(restart)` runs."},
	{Filter: filterRuntime, Label: "Runtime errors", Description: "Stop where a runtime error ends the request (it then takes the 503 path).", Default: true},
	{Filter: filterCluster, Label: "Request state lost to clustering", Description: "Stop after a statement on the fetch node changes req in a way the delivery node will not see."},
	{Filter: filterAssert, Label: "Failed expectations", Description: "Stop when a request ends without meeting its scenario expectations (status, state, headers, body…), or where a unit-test assertion fails (launch mode \"test\")."},
	{Filter: filterState, Label: "Cache state", Description: "Stop when a request ends in a fastly_info.state matching a pattern (default *STALE*).",
		SupportsCondition: true, ConditionDescription: "glob patterns over fastly_info.state, e.g. *STALE*, MISS*"},
}

// stmtLoc is one statement a breakpoint can be placed on.
type stmtLoc struct {
	stmt      syntax.Stmt
	line, col int          // 1-based
	owner     syntax.Range // the subroutine (or file) that holds it
	sub       *analysis.Sub
	// exitOf is set (and stmt nil) for the exit of a subroutine: its
	// closing brace, at exitAt in exitSrc.
	exitOf  *analysis.Sub
	exitAt  syntax.Range
	exitSrc *syntax.Source
}

// stmtIndex lists the breakable statements of each file of a program,
// sorted by position.
type stmtIndex map[string][]stmtLoc

// indexStatements walks every file of the program. Blocks are left out
// (their first statement stands for them), and so is an `else if`, which
// the interpreter evaluates as part of the `if` before it.
func indexStatements(prog *analysis.Program) stmtIndex {
	idx := stmtIndex{}
	for _, f := range prog.Files {
		src := f.Source
		var locs []stmtLoc
		elseIfs := map[syntax.Stmt]bool{}
		collect := func(owner syntax.Range, sub *analysis.Sub, root syntax.Node) {
			syntax.Inspect(root, func(n syntax.Node) bool {
				st, ok := n.(syntax.Stmt)
				if !ok {
					return true
				}
				if ifs, ok := st.(*syntax.IfStmt); ok && ifs.Else != nil {
					if _, chained := ifs.Else.(*syntax.IfStmt); chained {
						elseIfs[ifs.Else] = true
					}
				}
				switch st.(type) {
				case *syntax.Block, *syntax.BadStmt:
					return true
				}
				if elseIfs[st] {
					return true
				}
				p := src.Position(st.Span().Start)
				locs = append(locs, stmtLoc{stmt: st, line: p.Line, col: p.Col, owner: owner, sub: sub})
				return true
			})
		}
		for _, d := range f.Decls {
			if sd, ok := d.(*syntax.SubDecl); ok && sd.Body != nil {
				var sub *analysis.Sub
				if sd.Name != nil {
					sub = prog.Subs[sd.Name.Name]
				}
				collect(sd.Range, sub, sd.Body)
			}
		}
		if f.Snippet != nil {
			collect(f.Span(), nil, f.Snippet)
		}
		sort.SliceStable(locs, func(i, j int) bool {
			if locs[i].line != locs[j].line {
				return locs[i].line < locs[j].line
			}
			return locs[i].col < locs[j].col
		})
		idx[filepath.Clean(src.Name)] = locs
	}
	return idx
}

// lookupFile finds the program file for a client path and line. VCL
// written inline in a Terraform file is a program file of its own per
// heredoc (see analysis.VirtualMark): the one whose statements surround
// the line, else the next one after it, answers for the .tf file.
func (idx stmtIndex) lookupFile(path string, line int) (string, []stmtLoc, bool) {
	if name, locs, ok := idx.lookupExact(path); ok {
		return name, locs, true
	}
	want := canonicalPath(path)
	best, bestFirst := "", 0
	for name, locs := range idx {
		if !analysis.IsVirtual(name) || len(locs) == 0 || canonicalPath(analysis.SourceFile(name)) != want {
			continue
		}
		first, last := locs[0].line, locs[len(locs)-1].line
		if line >= first && line <= last {
			return name, locs, true
		}
		if first >= line && (best == "" || first < bestFirst) {
			best, bestFirst = name, first
		}
	}
	if best != "" {
		return best, idx[best], true
	}
	return "", nil, false
}

// canonicalPath makes a client path comparable: absolute, clean, with
// symbolic links resolved when it exists.
func canonicalPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return filepath.Clean(p)
}

func (idx stmtIndex) lookupExact(path string) (string, []stmtLoc, bool) {
	clean := filepath.Clean(path)
	if locs, ok := idx[clean]; ok {
		return clean, locs, true
	}
	if abs, err := filepath.Abs(clean); err == nil {
		if locs, ok := idx[abs]; ok {
			return abs, locs, true
		}
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			for name, locs := range idx {
				if r, err := filepath.EvalSymlinks(name); err == nil && r == real {
					return name, locs, true
				}
			}
		}
	}
	return "", nil, false
}

// nearest returns the statement a breakpoint on line resolves to: the first
// statement at or after the line in the same subroutine; when the
// subroutine has none after it, the last one before it; outside any
// subroutine, the next statement in the file.
func nearest(locs []stmtLoc, line int, src func(syntax.Range) bool) (stmtLoc, bool) {
	i := sort.Search(len(locs), func(i int) bool { return locs[i].line >= line })
	var owner *syntax.Range
	for k := range locs {
		if src(locs[k].owner) {
			o := locs[k].owner
			owner = &o
			break
		}
	}
	if owner == nil {
		if i < len(locs) {
			return locs[i], true
		}
		return stmtLoc{}, false
	}
	if i < len(locs) && locs[i].owner == *owner {
		return locs[i], true
	}
	for k := min(i, len(locs)) - 1; k >= 0; k-- {
		if locs[k].owner == *owner {
			return locs[k], true
		}
	}
	return stmtLoc{}, false
}

// hitCondition is a parsed hit count condition: "5" or "==5", ">5", ">=5",
// "<5", "<=5", "%5" (every fifth hit).
type hitCondition struct {
	op string
	n  int
}

func parseHitCondition(s string) (*hitCondition, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	op := ""
	for _, p := range []string{">=", "<=", "==", ">", "<", "%", "="} {
		if strings.HasPrefix(s, p) {
			op, s = p, strings.TrimSpace(s[len(p):])
			break
		}
	}
	if op == "" || op == "=" {
		op = "=="
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || (op == "%" && n == 0) {
		return nil, fmt.Errorf("hit count %q: use a number, optionally after ==, >, >=, <, <= or %%", s)
	}
	return &hitCondition{op: op, n: n}, nil
}

func (h *hitCondition) match(hits int) bool {
	if h == nil {
		return true
	}
	switch h.op {
	case ">":
		return hits > h.n
	case ">=":
		return hits >= h.n
	case "<":
		return hits < h.n
	case "<=":
		return hits <= h.n
	case "%":
		return hits%h.n == 0
	}
	return hits == h.n
}

// breakpoint is one line or function breakpoint as the driver checks it.
type breakpoint struct {
	id        int
	cond      string
	condF     *fragment // cond, parsed and checked
	prog      *analysis.Program
	scope     analysis.FragmentScope // where cond and logMsg expressions are checked
	hit       *hitCondition
	logMsg    string        // a logpoint when not empty
	subName   string        // function breakpoints
	exitOf    *analysis.Sub // a breakpoint on a subroutine's closing brace
	file      string        // line breakpoints
	line, col int
}

// bpTable is an immutable snapshot of the breakpoints, swapped atomically
// whenever the client changes them.
type bpTable struct {
	byStmt  map[syntax.Stmt]*breakpoint
	bySub   map[string]*breakpoint
	byExit  map[*analysis.Sub]*breakpoint
	exitLoc map[*analysis.Sub]stmtLoc
	filters map[string]bool
	// statePatterns are the cache-state filter's patterns.
	statePatterns []string
}

// lineSpec is a client's source breakpoint and its verification.
type lineSpec struct {
	req dap.SourceBreakpoint
	bp  *breakpoint
	loc stmtLoc
	ok  bool
	msg string
}

// funcSpec is a client's function breakpoint and its verification.
type funcSpec struct {
	req dap.FunctionBreakpoint
	bp  *breakpoint
	ok  bool
	msg string
}

// bpState holds every breakpoint the client set, by file, with ids kept
// stable for unchanged breakpoints (so hit counts survive edits elsewhere).
type bpState struct {
	nextID  int
	lines   map[string][]*lineSpec // by the client's path
	funcs   []*funcSpec
	filters map[string]bool
	// statePatterns are the cache-state filter's patterns.
	statePatterns []string
}

func newBPState() *bpState {
	return &bpState{lines: map[string][]*lineSpec{}, filters: map[string]bool{filterRuntime: true}}
}

func (b *bpState) newID() int {
	b.nextID++
	return b.nextID
}

// setLines replaces the breakpoints of one file and verifies them against
// prog (nil: no program loaded yet, all pending).
func (b *bpState) setLines(path string, reqs []dap.SourceBreakpoint, prog *analysis.Program, idx stmtIndex) []*lineSpec {
	old := b.lines[path]
	taken := map[int]bool{}
	out := make([]*lineSpec, 0, len(reqs))
	for _, r := range reqs {
		spec := &lineSpec{req: r}
		for _, o := range old {
			if o.req == r && !taken[o.bp.id] {
				spec.bp = &breakpoint{id: o.bp.id}
				taken[o.bp.id] = true
				break
			}
		}
		if spec.bp == nil {
			spec.bp = &breakpoint{id: b.newID()}
		}
		verifyLine(spec, path, prog, idx)
		out = append(out, spec)
	}
	if len(out) == 0 {
		delete(b.lines, path)
	} else {
		b.lines[path] = out
	}
	return out
}

// reverify checks every breakpoint again, against a reloaded program.
func (b *bpState) reverify(prog *analysis.Program, idx stmtIndex) {
	for path, specs := range b.lines {
		for _, s := range specs {
			verifyLine(s, path, prog, idx)
		}
	}
	for _, f := range b.funcs {
		verifyFunc(f, prog)
	}
}

func verifyLine(spec *lineSpec, path string, prog *analysis.Program, idx stmtIndex) {
	r := spec.req
	// A fresh breakpoint: the driver may be reading the old one.
	bp := &breakpoint{id: spec.bp.id, cond: strings.TrimSpace(r.Condition), logMsg: r.LogMessage}
	spec.bp = bp
	spec.ok, spec.msg, spec.loc = false, "", stmtLoc{}
	hc, err := parseHitCondition(r.HitCondition)
	if err != nil {
		spec.msg = err.Error()
		return
	}
	bp.hit = hc
	if prog == nil {
		spec.msg = "the program is not loaded yet"
		return
	}
	name, locs, found := idx.lookupFile(path, r.Line)
	if !found {
		spec.msg = fmt.Sprintf("%s is not part of the program being debugged", filepath.Base(path))
		return
	}
	f := prog.FileByName(name)
	if f == nil || r.Line < 1 || r.Line > f.Source.LineCount() {
		spec.msg = fmt.Sprintf("no statement at or after line %d", r.Line)
		return
	}
	loc, ok := resolveLine(prog, f, locs, r.Line)
	if !ok {
		spec.msg = fmt.Sprintf("line %d is outside any subroutine: only statements in a subroutine can stop", r.Line)
		if f.Snippet != nil {
			spec.msg = fmt.Sprintf("no statement at or after line %d", r.Line)
		}
		return
	}
	bp.prog, bp.scope = prog, analysis.FragmentScope{Sub: loc.sub}
	if loc.sub != nil {
		bp.scope.Scopes = loc.sub.Scopes
	}
	if err := bp.checkCondition(); err != nil {
		spec.msg = err.Error()
		return
	}
	spec.ok, spec.loc = true, loc
	bp.file, bp.line, bp.col = name, loc.line, loc.col
	bp.exitOf = loc.exitOf
}

// resolveLine finds where a breakpoint on line binds. Inside a
// subroutine: the first statement at or after the line in that
// subroutine, or, when none follows (the closing brace, or the end of an
// `if` at its end), the subroutine's exit, after its last statement
// whatever branch ran. Outside any subroutine only a snippet file (bare
// statements) has statements to bind to; anything else is unbound.
func resolveLine(prog *analysis.Program, f *syntax.File, locs []stmtLoc, line int) (stmtLoc, bool) {
	src := f.Source
	for _, d := range f.Decls {
		sd, ok := d.(*syntax.SubDecl)
		if !ok || sd.Body == nil {
			continue
		}
		if src.Position(sd.Range.Start).Line > line || src.Position(sd.Range.End).Line < line {
			continue
		}
		for _, l := range locs {
			if l.owner == sd.Range && l.line >= line {
				return l, true
			}
		}
		var sub *analysis.Sub
		if sd.Name != nil {
			sub = prog.Subs[sd.Name.Name]
		}
		if sub == nil {
			return stmtLoc{}, false
		}
		closing := sd.Body.Range.End - 1
		p := src.Position(closing)
		return stmtLoc{line: p.Line, col: p.Col, owner: sd.Range, sub: sub, exitOf: sub, exitAt: syntax.Range{Start: closing, End: closing + 1}, exitSrc: src}, true
	}
	if f.Snippet == nil {
		return stmtLoc{}, false
	}
	for _, l := range locs {
		if l.line >= line {
			return l, true
		}
	}
	return stmtLoc{}, false
}

// checkCondition parses and checks the condition as the condition of an
// `if` written where the breakpoint is: a syntax or type error makes the
// breakpoint unverified, with the checker's message.
func (bp *breakpoint) checkCondition() error {
	if bp.cond == "" {
		return nil
	}
	// Parse only what the user typed, so that a syntax error never speaks
	// of a parenthesis they did not write; the checker then sees it as
	// the condition of an `if` (which must be BOOL).
	cond, src, perrs := syntax.ParseExpr(consoleName, bp.cond)
	if err := syntaxError(perrs); err != nil {
		return fmt.Errorf("condition %q: %v", bp.cond, err)
	}
	end := cond.Span().End
	st := &syntax.IfStmt{Range: cond.Span(), Keyword: "if", Cond: cond, Then: &syntax.Block{Range: syntax.Range{Start: end, End: end}}}
	ifs := st
	facts, diags := bp.prog.CheckStmt(bp.scope, st, src)
	if err := diagError(diags); err != nil {
		return fmt.Errorf("condition %q: %v", bp.cond, err)
	}
	bp.condF = &fragment{expr: ifs.Cond, src: src, facts: facts}
	return nil
}

// evalIn evaluates a logpoint's {expression} at a stop, checked in the
// breakpoint's scope.
func (bp *breakpoint) evalIn(x execState) func(string) (value.Value, error) {
	return func(text string) (value.Value, error) {
		f, err := checkExpr(bp.prog, bp.scope, text, catalog.TypeUnknown)
		if err != nil {
			return value.Value{}, err
		}
		return f.eval(x)
	}
}

// setFuncs replaces the function breakpoints.
func (b *bpState) setFuncs(reqs []dap.FunctionBreakpoint, prog *analysis.Program) []*funcSpec {
	old := b.funcs
	taken := map[int]bool{}
	b.funcs = nil
	for _, r := range reqs {
		spec := &funcSpec{req: r}
		for _, o := range old {
			if o.req == r && !taken[o.bp.id] {
				spec.bp = &breakpoint{id: o.bp.id}
				taken[o.bp.id] = true
				break
			}
		}
		if spec.bp == nil {
			spec.bp = &breakpoint{id: b.newID()}
		}
		verifyFunc(spec, prog)
		b.funcs = append(b.funcs, spec)
	}
	return b.funcs
}

func verifyFunc(spec *funcSpec, prog *analysis.Program) {
	r := spec.req
	bp := &breakpoint{id: spec.bp.id, subName: strings.TrimSpace(r.Name), cond: strings.TrimSpace(r.Condition)}
	spec.bp = bp
	spec.ok, spec.msg = false, ""
	hc, err := parseHitCondition(r.HitCondition)
	if err != nil {
		spec.msg = err.Error()
		return
	}
	bp.hit = hc
	if prog == nil {
		spec.msg = "the program is not loaded yet"
		return
	}
	sub := prog.Subs[bp.subName]
	if sub == nil {
		spec.msg = fmt.Sprintf("no subroutine named %q in the program", bp.subName)
		if strings.HasPrefix(bp.subName, "vcl_") {
			spec.msg += " (its default runs without a frame)"
		}
		return
	}
	bp.prog, bp.scope = prog, analysis.FragmentScope{Sub: sub, Scopes: sub.Scopes}
	if err := bp.checkCondition(); err != nil {
		spec.msg = err.Error()
		return
	}
	spec.ok = true
	if sub.Decl != nil && sub.File != nil {
		p := sub.File.Source.Position(sub.Decl.Span().Start)
		bp.file, bp.line, bp.col = sub.File.Source.Name, p.Line, p.Col
	}
}

// table builds the snapshot the driver checks.
func (b *bpState) table() *bpTable {
	t := &bpTable{byStmt: map[syntax.Stmt]*breakpoint{}, bySub: map[string]*breakpoint{}, filters: map[string]bool{},
		byExit: map[*analysis.Sub]*breakpoint{}, exitLoc: map[*analysis.Sub]stmtLoc{}}
	for _, specs := range b.lines {
		for _, s := range specs {
			if s.ok && s.loc.exitOf != nil {
				if _, dup := t.byExit[s.loc.exitOf]; !dup {
					t.byExit[s.loc.exitOf] = s.bp
					t.exitLoc[s.loc.exitOf] = s.loc
				}
				continue
			}
			if s.ok {
				if _, dup := t.byStmt[s.loc.stmt]; !dup {
					t.byStmt[s.loc.stmt] = s.bp
				}
			}
		}
	}
	for _, f := range b.funcs {
		if f.ok {
			t.bySub[f.bp.subName] = f.bp
		}
	}
	for k, v := range b.filters {
		t.filters[k] = v
	}
	t.statePatterns = append([]string(nil), b.statePatterns...)
	return t
}

// dapBreakpoint describes a line breakpoint for the client.
func (s *lineSpec) dapBreakpoint(path string, lineBase int) dap.Breakpoint {
	out := dap.Breakpoint{Id: s.bp.id, Verified: s.ok, Message: s.msg, Source: &dap.Source{Name: filepath.Base(path), Path: path}}
	if s.ok {
		out.Line, out.Column = s.loc.line-1+lineBase, s.loc.col-1+lineBase
	} else {
		out.Line = s.req.Line
	}
	return out
}

// interpolate expands {expression} in a logpoint message with the values of
// the expressions ({{ and }} stand for literal braces).
func interpolate(msg string, eval func(string) (value.Value, error)) string {
	var b strings.Builder
	for i := 0; i < len(msg); i++ {
		c := msg[i]
		switch {
		case c == '{' && i+1 < len(msg) && msg[i+1] == '{':
			b.WriteByte('{')
			i++
		case c == '}' && i+1 < len(msg) && msg[i+1] == '}':
			b.WriteByte('}')
			i++
		case c == '{':
			end := strings.IndexByte(msg[i+1:], '}')
			if end < 0 {
				b.WriteString(msg[i:])
				return b.String()
			}
			expr := strings.TrimSpace(msg[i+1 : i+1+end])
			if v, err := eval(expr); err != nil {
				fmt.Fprintf(&b, "<%s: %v>", expr, err)
			} else {
				b.WriteString(v.String())
			}
			i += end + 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
