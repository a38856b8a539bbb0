package interp

import (
	"fmt"
	"slices"
	"testing"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/interp/value"
)

// recorder is a Hooks that records what it sees and runs probe at a
// chosen statement.
type recorder struct {
	stmts  int
	enters []string
	exits  []string
	events []string
	at     func(st syntax.Stmt) bool
	probe  func(x *Exec)
}

func (r *recorder) Statement(x *Exec, st syntax.Stmt) {
	r.stmts++
	if r.at != nil && r.at(st) {
		r.probe(x)
	}
}
func (r *recorder) Enter(_ *Exec, s *analysis.Sub) { r.enters = append(r.enters, s.Name) }
func (r *recorder) Exit(_ *Exec, s *analysis.Sub, action string) {
	r.exits = append(r.exits, s.Name+":"+action)
}
func (r *recorder) Event(_ *Exec, kind, _ string) { r.events = append(r.events, kind) }

// TestHooksAndExec: hooks see every statement and subroutine, and a paused
// request can be inspected and changed through Exec.
func TestHooksAndExec(t *testing.T) {
	vcl := `
		sub vcl_recv { set req.http.X-Recv = "r"; }
		sub helper { set req.http.X-Helper = "h"; }
		sub vcl_miss {
			declare local var.n INTEGER;
			set var.n = 7;
			set req.http.X-Miss = "1";
			call helper;
			set bereq.http.X-B = "b";
		}
		sub vcl_fetch { log "fetched"; }`
	var got struct {
		n, eval, hdr, top, node, ev string
		locals                      map[string]value.Value
		lost                        []string
		stack                       int
		snapState                   string
		setErr                      error
	}
	rec := &recorder{
		at: func(st syntax.Stmt) bool {
			s, ok := st.(*syntax.SetStmt)
			return ok && s.Target.Name == "bereq.http.X-B"
		},
		probe: func(x *Exec) {
			v, _ := x.Get("var.n")
			got.n = v.String()
			ev, err := x.Eval(`req.http.X-Miss "!" req.url`)
			if err != nil {
				got.ev = err.Error()
			}
			got.eval = ev.String()
			if sum, err := x.Eval("var.n + 1"); err != nil || sum.Int != 8 {
				got.ev = fmt.Sprintf("var.n + 1 = %v (%v)", sum, err)
			}
			if _, err := x.Eval("req.url ~"); err == nil {
				got.ev = "a syntax error was accepted"
			}
			if _, err := x.Eval("var.nope"); err == nil {
				got.ev = "an unknown local was accepted"
			}
			got.hdr = x.Headers("bereq").Get("X-Recv")
			st := x.Stack()
			got.stack = len(st)
			got.top, got.node = st[len(st)-1].Sub.Name, st[len(st)-1].Node
			got.locals = x.Locals()
			snap := x.Snapshot()
			got.lost, got.snapState = snap.PendingLost, snap.State
			got.setErr = x.Set("bereq.http.X-Debugger", value.String("set from the debugger"))
		},
	}
	o := fixed(200, "x")
	e := clusteredEngine(t, vcl, "/dbg", engineOpts{origin: o, hooks: rec})
	r := do(e, "GET", "/dbg")
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	if got.n != "7" || got.eval != "1!/dbg" || got.hdr != "r" || got.ev != "" {
		t.Errorf("Get %q Eval %q (%s) Headers %q", got.n, got.eval, got.ev, got.hdr)
	}
	if got.top != "vcl_miss" || got.node != "fetch" || got.stack != 1 {
		t.Errorf("stack top %s on %s, depth %d", got.top, got.node, got.stack)
	}
	if v, ok := got.locals["var.n"]; !ok || v.Int != 7 {
		t.Errorf("locals %v", got.locals)
	}
	if !slices.Contains(got.lost, "req.http.X-Miss") || !slices.Contains(got.lost, "req.http.X-Helper") || got.snapState != "MISS-CLUSTER" {
		t.Errorf("pending lost %v, state %s", got.lost, got.snapState)
	}
	if got.setErr != nil || o.reqs[0].Header.Get("X-Debugger") != "set from the debugger" {
		t.Errorf("Set: %v, origin saw %q", got.setErr, o.reqs[0].Header.Get("X-Debugger"))
	}
	if !slices.Equal(rec.enters, []string{"vcl_recv", "vcl_miss", "helper", "vcl_fetch"}) {
		t.Errorf("enters %v", rec.enters)
	}
	if !slices.Contains(rec.exits, "vcl_miss:fetch") || !slices.Contains(rec.exits, "helper:return") {
		t.Errorf("exits %v", rec.exits)
	}
	for _, k := range []string{"route", "cluster", "cache", "log"} {
		if !slices.Contains(rec.events, k) {
			t.Errorf("no %s event in %v", k, rec.events)
		}
	}
	if rec.stmts != 8 {
		t.Errorf("%d statements seen, want 8", rec.stmts)
	}
}
