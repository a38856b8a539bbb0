package dap

import (
	"context"
	"net/http"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/cache"
	"github.com/vclide/vclide/interp"
	"github.com/vclide/vclide/interp/scenario"
	"github.com/vclide/vclide/interp/value"
)

// engine is what the driver needs from the interpreter (*interp.Engine has
// it).
type engine interface {
	Do(ctx context.Context, req interp.Request) *interp.Result
	// DoConcurrent runs requests that arrive together; they take turns,
	// one running at a time, each on its own goroutine.
	DoConcurrent(ctx context.Context, reqs []interp.Request) []*interp.Result
	Clock() *cache.VirtualClock
	Purge(url string, soft bool) int
	PurgeSurrogateKey(key string, soft bool) int
}

// execState is the live state of a paused request (*interp.Exec has it).
// It is only used on the goroutine that runs the request.
type execState interface {
	Stack() []interp.Frame
	Get(name string) (value.Value, error)
	Set(name string, v value.Value) error
	Eval(expr string) (value.Value, error)
	EvalChecked(e syntax.Expr, src *syntax.Source, facts analysis.Facts) (value.Value, error)
	ExecChecked(st syntax.Stmt, src *syntax.Source, facts analysis.Facts) error
	Headers(object string) http.Header
	Locals() map[string]value.Value
	Snapshot() interp.Snapshot
}

// hookSink receives the interpreter's hooks with the request's state as an
// execState (the driver implements it).
type hookSink interface {
	statement(x execState, st syntax.Stmt)
	enter(x execState, sub *analysis.Sub)
	exit(x execState, sub *analysis.Sub, action string)
	event(x execState, kind, text string)
	// subStart and subEnd bracket work with its own state inside a
	// request (a background fetch): its hooks come with child.
	subStart(parent, child execState, label string)
	subEnd(parent, child execState)
}

// hookAdapter turns interp.Hooks calls into hookSink calls.
type hookAdapter struct{ sink hookSink }

func (h hookAdapter) Statement(x *interp.Exec, st syntax.Stmt) { h.sink.statement(x, st) }
func (h hookAdapter) Enter(x *interp.Exec, sub *analysis.Sub)  { h.sink.enter(x, sub) }
func (h hookAdapter) Exit(x *interp.Exec, sub *analysis.Sub, action string) {
	h.sink.exit(x, sub, action)
}
func (h hookAdapter) Event(x *interp.Exec, kind, text string) { h.sink.event(x, kind, text) }

// The adapter also receives subrequests (interp.SubrequestHooks).
var _ interp.SubrequestHooks = hookAdapter{}

func (h hookAdapter) SubrequestStart(parent, child *interp.Exec) {
	h.sink.subStart(execOrNil(parent), child, child.Label())
}
func (h hookAdapter) SubrequestEnd(parent, child *interp.Exec) {
	h.sink.subEnd(execOrNil(parent), child)
}

// execOrNil keeps a nil *interp.Exec a nil execState.
func execOrNil(x *interp.Exec) execState {
	if x == nil {
		return nil
	}
	return x
}

// realEngine builds an interpreter engine for the target: every call starts
// from the same state (a fresh POP, clock and mock sequences), which is
// what makes stepping back by re-running possible.
func (t *target) realEngine(sink hookSink) (engine, error) {
	var hooks interp.Hooks
	if sink != nil {
		hooks = hookAdapter{sink}
	}
	cfg, err := t.scen.Config(t.prog, scenario.Options{Origin: t.origin, Hooks: hooks})
	if err != nil {
		return nil, err
	}
	e, err := interp.New(cfg)
	if err != nil {
		return nil, err
	}
	return e, nil
}
