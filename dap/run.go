package dap

import (
	"context"
	"fmt"

	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/interp"
	"github.com/vclide/vclide/interp/scenario"
)

// thr is the driver's view of one running request (a DAP thread).
type thr struct {
	job    *job
	x      execState
	frames []int64 // ids of the request's frames, outermost first
	// lastStack is the request's last top-level frame, shown when it stops
	// after it ended.
	lastStack  []interp.Frame
	lastStmt   syntax.Stmt
	reqChanged bool
	lostKnown  int
	errStopped bool
	// finished is set once the request reached vcl_log or ended.
	finished bool
}

// bind makes the request whose hook is running the current one. A request
// seen for the first time takes the next unbound thread: the engine starts
// the requests of a group in order, and each calls a hook (entering
// vcl_recv) before the next one starts.
func (d *driver) bind(x execState) *thr {
	if d.cur != nil && d.cur.x == x {
		return d.cur
	}
	t := d.execs[x]
	if t == nil && d.testThr != nil {
		t = d.testThr
		t.x, t.errStopped = x, false
		d.execs[x] = t
	}
	if t == nil {
		if len(d.unbound) == 0 {
			// Cannot happen: every request run has a thread.
			t = &thr{job: &job{label: "?"}}
		} else {
			t = d.unbound[0]
			d.unbound = d.unbound[1:]
		}
		t.x = x
		d.execs[x] = t
	}
	d.cur = t
	return t
}

// withCancel makes the context requests run under; a restart or stop
// cancels it to cut a backend request short.
func (d *driver) withCancel() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	d.mu.Lock()
	d.cancel = cancel
	d.mu.Unlock()
	return ctx, func() {
		d.mu.Lock()
		d.cancel = nil
		d.mu.Unlock()
		cancel()
	}
}

func (d *driver) runPurge(eng engine, j *job) {
	p := j.purge
	var n int
	what := p.URL
	if p.SurrogateKey != "" {
		n = eng.PurgeSurrogateKey(p.SurrogateKey, p.Soft)
		what = "surrogate key " + p.SurrogateKey
	} else {
		n = eng.Purge(p.URL, p.Soft)
	}
	if !d.silent() {
		kind := "purge"
		if p.Soft {
			kind = "soft purge"
		}
		d.s.output("console", fmt.Sprintf("[%s] %s: %d object(s)\n", kind, what, n))
	}
}

// runRequests runs one request, or the requests of a concurrent group
// together as `vclide run` does (request collapsing, -WAIT states), each
// on its own thread. Only one request runs at a time, so a stop in one
// pauses them all.
func (d *driver) runRequests(eng engine, jobs []*job) {
	ctx, done := d.withCancel()
	defer done()
	threads := make([]*thr, len(jobs))
	for i, j := range jobs {
		threads[i] = &thr{job: j}
		if !d.silent() {
			d.s.threadStarted(j)
		}
	}
	d.unbound = append(d.unbound[:0], threads...)
	var results []*interp.Result
	if len(jobs) == 1 {
		results = []*interp.Result{eng.Do(ctx, jobs[0].req)}
	} else {
		reqs := make([]interp.Request, len(jobs))
		for i, j := range jobs {
			reqs[i] = j.req
		}
		results = eng.DoConcurrent(ctx, reqs)
	}
	d.cur = nil
	d.unbound = nil
	if d.aborting {
		return
	}
	for i, j := range jobs {
		var res *interp.Result
		if i < len(results) {
			res = results[i]
		}
		if res == nil {
			res = &interp.Result{Request: j.req, Err: fmt.Errorf("the engine returned no result")}
		}
		t := threads[i]
		d.finish(t)
		if t.x != nil {
			d.cur = t
			d.ended(t, res)
			d.cur = nil
			if d.aborting {
				return
			}
		}
		if res.Err != nil || !verdictPassed(scenario.Verify(j.expect, res)) {
			d.failed = true
		}
		if !d.silent() {
			d.s.requestDone(j, res)
		}
		if j.reply != nil && !j.replied {
			j.replied = true
			j.reply <- res
		}
	}
}

// verdictPassed reports whether a request met its expectations (true when
// it has none).
func verdictPassed(v *scenario.Verdict) bool { return v == nil || v.Passed }

// ended is the tick after a request ended, where the exception filters
// on its outcome (failed expectations, the final cache state) may stop.
func (d *driver) ended(t *thr, res *interp.Result) {
	d.hook(endedState{t.x, t.lastStack}, point{kind: pDone, res: res, expect: t.job.expect})
}

// endedState is a request after it ended: its variables as it left them,
// and its last top-level frame as the stack.
type endedState struct {
	execState
	stack []interp.Frame
}

func (e endedState) Stack() []interp.Frame { return e.stack }

// waitingStack is the call stack of a request that waits while another is
// stopped, innermost frame first (called on the driver's inspection path).
func (d *driver) waitingStack(thread int) []interp.Frame {
	for _, t := range d.execs {
		if t.job.thread == thread && t.x != nil && !t.finished {
			fr := t.x.Stack()
			out := make([]interp.Frame, 0, min(len(fr), waitingFrame))
			for i := len(fr) - 1; i >= 0 && len(out) < waitingFrame; i-- {
				out = append(out, fr[i])
			}
			return out
		}
	}
	return nil
}
