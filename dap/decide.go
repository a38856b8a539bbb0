package dap

import (
	"fmt"
	"path"
	"reflect"
	"strings"

	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/interp/scenario"
	"github.com/vclide/vclide/interp/value"
)

// This file holds the driver's decisions at each tick: whether a step
// ends, a breakpoint or an exception filter stops the request.

// track records what the exception filters need about the statement that
// just ran.
func (d *driver) track(p point) {
	if p.kind != pStmt {
		return
	}
	d.cur.lastStmt = p.stmt
	d.cur.reqChanged = changesReq(p.stmt)
}

// changesReq reports whether a statement may change req (the state the
// delivery node loses when the fetch node changes it).
func changesReq(st syntax.Stmt) bool {
	var target *syntax.Ident
	switch s := st.(type) {
	case *syntax.SetStmt:
		target = s.Target
	case *syntax.UnsetStmt:
		target = s.Target
	default:
		return false
	}
	if target == nil {
		return false
	}
	n := strings.ToLower(target.Name)
	return strings.HasPrefix(n, "req.") || n == "client.identity"
}

func isBlock(st syntax.Stmt) bool {
	_, ok := st.(*syntax.Block)
	return ok
}

// stepDone reports whether the step in progress ends at this statement.
// A step belongs to its thread: statements of other requests of a
// concurrent group do not end it, unless the stepping request has ended.
func (d *driver) stepDone() bool {
	s := d.step
	if s.kind == stepNone {
		return false
	}
	if s.th != nil && s.th != d.cur {
		return s.th.finished
	}
	switch s.kind {
	case stepIn:
		return true
	case stepOver:
		return len(d.cur.frames) <= s.depth || !d.onStack(s)
	case stepOut:
		return !d.onStack(s)
	}
	return false
}

// onStack reports whether the frame the step started in is still running.
func (d *driver) onStack(s stepState) bool {
	f := d.cur.frames
	return s.depth == 0 || len(f) >= s.depth && f[s.depth-1] == s.frame
}

// decide checks exception filters and breakpoints for a tick. quiet
// evaluates without side effects beyond hit counts (no logpoint output),
// for re-runs.
func (d *driver) decide(x execState, p point, quiet bool) *stopReason {
	tbl := d.bps.Load()
	if tbl == nil {
		return nil
	}
	if r := d.exception(x, p, tbl); r != nil {
		return r
	}
	var bp *breakpoint
	reason := "breakpoint"
	switch p.kind {
	case pStmt:
		bp = tbl.byStmt[p.stmt]
	case pEnter:
		if p.sub != nil {
			bp = tbl.bySub[p.sub.Name]
			reason = "function breakpoint"
		}
	case pExit:
		if p.sub != nil {
			bp = tbl.byExit[p.sub]
		}
	}
	if bp == nil {
		return nil
	}
	if bp.condF != nil {
		v, err := bp.condF.eval(x)
		if err != nil {
			if !quiet {
				d.s.output("stderr", fmt.Sprintf("breakpoint condition %q: %v\n", bp.cond, err))
			}
			r := &stopReason{reason: reason, bpIDs: []int{bp.id}, text: "condition error: " + err.Error()}
			if p.kind == pExit {
				loc := tbl.exitLoc[p.sub]
				r.at = &loc
			}
			return r
		}
		if !value.Truthy(v) {
			return nil
		}
	}
	d.hits[bp.id]++
	if !bp.hit.match(d.hits[bp.id]) {
		return nil
	}
	if bp.logMsg != "" {
		if !quiet {
			d.s.logpoint(x, bp, interpolate(bp.logMsg, bp.evalIn(x)))
		}
		return nil
	}
	r := &stopReason{reason: reason, bpIDs: []int{bp.id}}
	if p.kind == pExit {
		loc := tbl.exitLoc[p.sub]
		r.at = &loc
	}
	return r
}

// exception checks the exception filters.
func (d *driver) exception(x execState, p point, tbl *bpTable) *stopReason {
	f := tbl.filters
	if len(f) == 0 {
		return nil
	}
	exc := func(filter, desc string) *stopReason {
		return &stopReason{reason: "exception", text: desc, exc: &exceptionStop{filter: filter, description: desc}}
	}
	switch p.kind {
	case pStmt:
		switch p.stmt.(type) {
		case *syntax.ErrorStmt:
			if f[filterError] {
				return exc(filterError, "error statement: "+stmtText(x, p.stmt))
			}
		case *syntax.RestartStmt:
			if f[filterRestart] {
				return exc(filterRestart, "restart")
			}
		case *syntax.ReturnStmt:
			if s := p.stmt.(*syntax.ReturnStmt); f[filterRestart] && s.Action != nil && s.Action.Name == "restart" {
				return exc(filterRestart, "return(restart)")
			}
		}
	case pDone:
		return doneException(f, tbl.statePatterns, p)
	case pEvent:
		if p.ev == "assertion" {
			// A failed unit-test assertion is not a runtime error: only
			// the assertion filter stops on it.
			d.cur.errStopped = true
			if f[filterAssert] {
				return exc(filterAssert, "assertion failed: "+p.text)
			}
			return nil
		}
		// Errors reported between subroutines (too many restarts) have no
		// frame to show; backend failures are not VCL errors.
		if p.ev == "error" && f[filterRuntime] && !d.cur.errStopped && !strings.HasPrefix(p.text, "backend ") && len(x.Stack()) > 0 {
			d.cur.errStopped = true
			return exc(filterRuntime, "runtime error: "+p.text)
		}
		if p.ev == "cluster" {
			d.cur.lostKnown = 0
		}
	case pExit:
		// A subroutine that ends with "error" right after a statement that
		// is no `error` statement was cut short by a runtime error; the
		// innermost frame exits first, still pointing at that statement.
		if p.action == "error" && f[filterRuntime] && !d.cur.errStopped && !raisesError(d.cur.lastStmt) {
			d.cur.errStopped = true
			return exc(filterRuntime, fmt.Sprintf("runtime error in %s: %s", p.sub.Name, failure(x, d.cur.lastStmt)))
		}
	}
	if f[filterCluster] && d.cur.reqChanged && p.kind != pEvent {
		d.cur.reqChanged = false
		snap := x.Snapshot()
		if snap.Clustering && len(snap.PendingLost) > d.cur.lostKnown {
			lost := snap.PendingLost[d.cur.lostKnown:]
			d.cur.lostKnown = len(snap.PendingLost)
			return exc(filterCluster, fmt.Sprintf("request state lost to clustering: %s changed on the fetch node (%s) will not be seen by the delivery node (%s)",
				strings.Join(lost, ", "), snap.FetchNode, snap.DeliveryNode))
		}
	}
	return nil
}

// doneException checks the filters on a request's outcome: failed
// expectations and the final cache state.
func doneException(f map[string]bool, patterns []string, p point) *stopReason {
	exc := func(filter, desc string) *stopReason {
		return &stopReason{reason: "exception", text: desc, exc: &exceptionStop{filter: filter, description: desc}}
	}
	if f[filterAssert] {
		if v := scenario.Verify(p.expect, p.res); v != nil && !v.Passed {
			return exc(filterAssert, "expectation failed: "+strings.Join(v.Failures, "; "))
		}
	}
	if f[filterState] {
		state := strings.ToUpper(p.res.State)
		for _, pat := range patterns {
			if ok, _ := path.Match(pat, state); ok {
				return exc(filterState, fmt.Sprintf("the request ended in state %s (matches %s)", p.res.State, pat))
			}
		}
	}
	return nil
}

// stmtText is the source text of a statement (trimmed, one line).
func stmtText(x execState, st syntax.Stmt) string {
	return strings.Join(strings.Fields(nodeText(x, st)), " ")
}

// raisesError reports whether a statement ends the subroutine with the
// error action on purpose.
func raisesError(st syntax.Stmt) bool {
	switch s := st.(type) {
	case *syntax.ErrorStmt:
		return true
	case *syntax.ReturnStmt:
		return s.Action != nil && s.Action.Name == "error"
	}
	return false
}

// failure explains why a statement failed: the interpreter reports the
// error only once the request has unwound, so evaluate the statement's
// expression again to get its message.
func failure(x execState, st syntax.Stmt) string {
	var e syntax.Node
	switch s := st.(type) {
	case *syntax.SetStmt:
		e = s.Value
	case *syntax.DeclareStmt:
		e = s.Value
	case *syntax.LogStmt:
		e = s.Value
	case *syntax.IfStmt:
		e = s.Cond
	case *syntax.ReturnStmt:
		e = s.Value
	case *syntax.SyntheticStmt:
		e = s.Value
	case *syntax.ExprStmt:
		e = s.Call
	}
	text := stmtText(x, st)
	if e != nil && !isNilNode(e) {
		if src := nodeText(x, e); src != "" {
			if _, err := x.Eval(src); err != nil {
				return err.Error()
			}
		}
	}
	if text == "" {
		return "the statement failed (the request ends with a 503)"
	}
	return text + " failed (the request ends with a 503)"
}

// isNilNode reports whether a node interface holds a nil pointer.
func isNilNode(n syntax.Node) bool {
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// nodeText is the source text of a node in the innermost frame's file.
func nodeText(x execState, n syntax.Node) string {
	stack := x.Stack()
	if len(stack) == 0 || stack[len(stack)-1].File == nil {
		return ""
	}
	src := stack[len(stack)-1].File
	r := n.Span()
	if r.Start < 0 || r.End > src.End() || r.Start >= r.End {
		return ""
	}
	return src.Slice(r)
}
