package dap

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"go.uber.org/zap"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/interp"
	"github.com/vclide/vclide/interp/scenario"
	"github.com/vclide/vclide/interp/value"
)

// stepKind is the stepping request in force.
type stepKind int

const (
	stepNone stepKind = iota
	stepIn
	stepOver
	stepOut
)

// ctlKind says what a control message asks the driver to do.
type ctlKind int

const (
	ctlInspect ctlKind = iota // run fn on the paused request
	ctlResume                 // continue or step
	ctlReplay                 // re-run from the start up to a tick
	ctlReverse                // reverseContinue: find the previous breakpoint
	ctlRestart                // start over with a (re)loaded target
	ctlStop                   // end the session
)

// control is a message from the session to the driver.
type control struct {
	kind   ctlKind
	fn     func(x execState) // ctlInspect; x is nil when not paused
	done   chan struct{}     // closed when fn has run
	step   stepKind          // ctlResume
	tick   int64             // ctlReplay: the tick to stop at
	reason string            // ctlReplay: the stop reason to report
	edits  int               // ctlReplay: REPL changes made at tick to keep (-1: all)
	tgt    *target           // ctlRestart
	thread int               // ctlResume: the thread the client named
}

// pointKind is the hook a tick comes from.
type pointKind int

const (
	pStmt pointKind = iota
	pEnter
	pExit
	pEvent
	pDone // after a request ended
)

// point is one hook call.
type point struct {
	kind   pointKind
	stmt   syntax.Stmt
	sub    *analysis.Sub
	action string           // pExit
	ev     string           // pEvent kind
	text   string           // pEvent text
	res    *interp.Result   // pDone: the request's outcome
	expect *scenario.Expect // pDone: its expectations
}

// stopReason describes why the driver stops.
type stopReason struct {
	reason string // DAP stopped reason
	text   string // description shown in the UI
	bpIDs  []int
	exc    *exceptionStop
	// at is where the top frame is shown when it is not at a statement:
	// the closing brace of a subroutine stopped at its exit.
	at *stmtLoc
}

// exceptionStop describes an exception breakpoint stop.
type exceptionStop struct {
	filter, description string
}

// edit is a variable change made while paused, replayed when re-running.
type edit struct {
	tick int64
	name string
	v    value.Value
	f    *fragment // a console statement (instead of name and v)
}

// driver runs the debuggee's jobs on its own goroutine and pauses inside
// the interpreter's hooks. Fields below "driver goroutine only" are touched
// only by that goroutine (or by closures it runs while paused).
type driver struct {
	s   *Session
	log *zap.Logger
	bps *atomic.Pointer[bpTable]

	pauseReq atomic.Bool
	flag     atomic.Bool // pending is not empty
	wake     chan struct{}
	quit     chan struct{} // closed when the session ends
	done     chan struct{} // closed when the driver goroutine returns

	mu      sync.Mutex
	pending []control
	jobs    []*job
	// children are the subrequest threads (background fetches) by id.
	children map[int]*job
	cancel   context.CancelFunc
	history  []int64 // ticks of the stops, oldest first

	// driver goroutine only
	t         *target
	tick      int64
	firstStmt int64
	frameSeq  int64
	// cur is the request whose hook is running (requests of a concurrent
	// group take turns; only one runs at a time).
	cur *thr
	// execs maps each running request's state to its thread; unbound
	// holds the threads of requests that have not called a hook yet, in
	// the order the engine starts them.
	execs     map[execState]*thr
	unbound   []*thr
	childSeq  int // subrequest threads started in this run
	step      stepState
	aborting  bool
	abort     *control
	replayTo  int64
	replayWhy string
	scanning  bool
	scanLast  int64
	hits      map[int]int
	edits     []edit
	// stmts is every statement run so far in this run, in order: the
	// timeline stepBack walks.
	stmts []stmtRec
	// finishTick is when each thread of this run ended (reached vcl_log).
	finishTick map[int]int64
	// failed is set when a request ended with a runtime error or failed
	// its expectations: the session then exits with code 1.
	failed bool
	// testThr is the one thread of a test run: every test's state binds
	// to it.
	testThr *thr
}

// stmtRec is one statement run: its tick, thread and stack depth.
type stmtRec struct {
	tick   int64
	thread int
	depth  int
}

// stepState is a step in progress.
type stepState struct {
	kind   stepKind
	thread int
	th     *thr
	depth  int
	frame  int64
}

func newDriver(s *Session, t *target) *driver {
	d := &driver{
		s: s, log: s.log, bps: &s.bpTable, t: t,
		wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{}),
	}
	d.jobs = append([]*job(nil), t.jobs...)
	return d
}

// post queues a control message and wakes the driver.
func (d *driver) post(c control) {
	d.mu.Lock()
	d.pending = append(d.pending, c)
	d.flag.Store(true)
	cancel := d.cancel
	d.mu.Unlock()
	if c.kind == ctlRestart || c.kind == ctlStop {
		// Cut a backend request short; the hooks see the control next.
		if cancel != nil {
			cancel()
		}
	}
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// inspect runs fn on the driver goroutine with the paused request's state
// (nil when the driver is not paused) and waits for it.
func (d *driver) inspect(fn func(x execState)) bool {
	c := control{kind: ctlInspect, fn: fn, done: make(chan struct{})}
	d.post(c)
	select {
	case <-c.done:
		return true
	case <-d.done:
		return false
	}
}

// addJob queues a request that came in over HTTP (serve mode).
func (d *driver) addJob(j *job) {
	d.mu.Lock()
	j.thread = len(d.jobs) + 1
	d.jobs = append(d.jobs, j)
	d.mu.Unlock()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// takeControl pops the oldest control message, if any.
func (d *driver) takeControl() (control, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.pending) == 0 {
		d.flag.Store(false)
		return control{}, false
	}
	c := d.pending[0]
	d.pending = d.pending[1:]
	d.flag.Store(len(d.pending) > 0)
	return c, true
}

// handle applies a control message; paused says whether the driver sits in
// a hook. It reports whether the hook should return (resume or unwind).
func (d *driver) handle(c control, x execState, paused bool) bool {
	switch c.kind {
	case ctlInspect:
		if !paused {
			x = nil
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					d.log.Error("inspection panicked", zap.Any("panic", r))
				}
			}()
			c.fn(x)
		}()
		close(c.done)
		return false
	case ctlResume:
		if !paused {
			return false
		}
		d.step = stepState{kind: c.step}
		if t := d.cur; t != nil {
			d.step.thread, d.step.th, d.step.depth = t.job.thread, t, len(t.frames)
			if n := len(t.frames); n > 0 {
				d.step.frame = t.frames[n-1]
			}
		}
		return true
	default:
		cc := c
		d.abort = &cc
		d.aborting = true
		d.mu.Lock()
		if d.cancel != nil {
			d.cancel()
		}
		d.mu.Unlock()
		return true
	}
}

// wait blocks until a control message arrives or the session ends.
func (d *driver) wait() (control, bool) {
	for {
		if c, ok := d.takeControl(); ok {
			return c, true
		}
		select {
		case <-d.wake:
		case <-d.quit:
			return control{kind: ctlStop}, false
		}
	}
}

// pauseLoop serves the session while the request is stopped.
func (d *driver) pauseLoop(x execState) {
	for {
		c, ok := d.wait()
		if !ok {
			d.abort = &control{kind: ctlStop}
			d.aborting = true
			return
		}
		if d.handle(c, x, true) {
			return
		}
	}
}

// run is the driver goroutine: it runs the jobs, re-running them from the
// start for stepBack, reverseContinue and restart, until the session ends.
func (d *driver) run() {
	defer close(d.done)
	defer func() {
		if r := recover(); r != nil {
			d.log.Error("driver panicked", zap.Any("panic", r), zap.Stack("stack"))
			d.s.output("stderr", fmt.Sprintf("vclide dap: internal error: %v\n", r))
			d.s.sendTerminated()
		}
	}()
	for {
		if !d.runOnce() {
			return
		}
	}
}

// runOnce runs the jobs once on a fresh engine and reports whether to run
// again (after a replay or restart request).
func (d *driver) runOnce() bool {
	if d.t.tests != nil {
		return d.runTestsOnce()
	}
	d.resetRun()
	eng, err := d.t.newEngine(d)
	if err != nil {
		d.s.output("stderr", "vclide dap: "+err.Error()+"\n")
		d.s.sendTerminated()
		return d.idle()
	}
	clock := eng.Clock()
	start := d.t.scen.Start()
	if clock.Now().Before(start) {
		clock.Set(start)
	}
	for i := 0; ; i++ {
		j := d.jobAt(i)
		if j == nil || d.abort != nil {
			break
		}
		if j.at != nil {
			if t := start.Add(*j.at); t.After(clock.Now()) {
				clock.Set(t)
			}
		}
		if j.purge != nil {
			d.runPurge(eng, j)
			continue
		}
		group := []*job{j}
		for j.group > 0 {
			next := d.jobAt(i + 1)
			if next == nil || next.group != j.group {
				break
			}
			group = append(group, next)
			i++
		}
		d.runRequests(eng, group)
		if d.abort != nil {
			break
		}
	}
	if d.abort == nil {
		// Every job ran (run mode).
		d.replayTo, d.scanning = 0, false
		d.s.finished(d.failed)
		return d.idle()
	}
	return d.afterAbort()
}

// idle waits, after the session's requests ended, for a restart or the end.
func (d *driver) idle() bool {
	for {
		c, ok := d.wait()
		if !ok {
			return false
		}
		switch c.kind {
		case ctlRestart:
			d.abort = &c
			return d.afterAbort()
		case ctlStop:
			return false
		case ctlInspect:
			d.handle(c, nil, false)
		}
	}
}

// afterAbort prepares the next run for the control that unwound this one.
func (d *driver) afterAbort() bool {
	c := d.abort
	d.abort = nil
	switch c.kind {
	case ctlStop:
		return false
	case ctlRestart:
		d.t = c.tgt
		d.mu.Lock()
		d.jobs = append([]*job(nil), c.tgt.jobs...)
		d.history = nil
		d.mu.Unlock()
		d.edits = nil
		d.replayTo, d.scanning = 0, false
		d.s.restarted()
	case ctlReplay:
		d.replayTo, d.replayWhy, d.scanning = c.tick, c.reason, false
		d.dropEdits(c.tick, c.edits)
	case ctlReverse:
		d.replayTo, d.replayWhy, d.scanning, d.scanLast = c.tick, "breakpoint", true, 0
	}
	return true
}

// dropEdits forgets the variable changes made after the point stepped
// back to: those after tick, and those at tick beyond the first keep
// (keep < 0: none of those at tick are dropped). Each change made from the
// REPL is a step of its own in the timeline.
func (d *driver) dropEdits(tick int64, keep int) {
	kept := d.edits[:0]
	n := 0
	for _, e := range d.edits {
		switch {
		case e.tick < tick:
			kept = append(kept, e)
		case e.tick == tick && (keep < 0 || n < keep):
			kept = append(kept, e)
			n++
		}
	}
	d.edits = kept
}

// editsAt counts the REPL changes made at tick.
func (d *driver) editsAt(tick int64) int {
	n := 0
	for _, e := range d.edits {
		if e.tick == tick {
			n++
		}
	}
	return n
}

// resetRun clears the per-run state before the jobs run from the start.
func (d *driver) resetRun() {
	d.tick, d.firstStmt, d.frameSeq = 0, 0, 0
	d.stmts = d.stmts[:0]
	d.finishTick = map[int]int64{}
	d.cur = nil
	d.execs = map[execState]*thr{}
	d.unbound = nil
	d.childSeq = 0
	d.step = stepState{}
	d.aborting = false
	d.hits = map[int]int{}
	d.failed = false
}

// jobAt returns job i, waiting for one in serve mode; nil at the end or when
// the run must unwind.
func (d *driver) jobAt(i int) *job {
	for {
		d.mu.Lock()
		if i < len(d.jobs) {
			j := d.jobs[i]
			d.mu.Unlock()
			return j
		}
		d.mu.Unlock()
		if d.t.cfg.Mode != modeServe {
			return nil
		}
		if d.replayTo > 0 {
			// The stop to go back to is gone (the run diverged): stop
			// replaying and wait for requests again.
			d.replayTo, d.scanning = 0, false
			d.s.reconcileThreads(0)
		}
		c, ok := d.takeControl()
		if !ok {
			select {
			case <-d.wake:
				continue
			case <-d.quit:
				d.abort = &control{kind: ctlStop}
				return nil
			}
		}
		switch c.kind {
		case ctlInspect:
			d.handle(c, nil, false)
		case ctlResume:
		default:
			d.handle(c, nil, false)
			return nil
		}
	}
}

// silent reports whether the driver is re-running up to an earlier stop
// (no output, no stops).
func (d *driver) silent() bool { return d.replayTo > 0 }

// The hookSink methods: each hook call is one tick.

func (d *driver) statement(x execState, st syntax.Stmt) {
	if d.aborting {
		return
	}
	d.bind(x)
	d.hook(x, point{kind: pStmt, stmt: st})
}

func (d *driver) enter(x execState, sub *analysis.Sub) {
	if d.aborting {
		return
	}
	t := d.bind(x)
	d.frameSeq++
	t.frames = append(t.frames, d.frameSeq)
	d.hook(x, point{kind: pEnter, sub: sub})
}

func (d *driver) exit(x execState, sub *analysis.Sub, action string) {
	if d.aborting {
		return
	}
	t := d.bind(x)
	if len(t.frames) == 1 {
		// Kept for a stop after the request ends (exception filters on
		// its outcome): the last top-level frame it ran.
		t.lastStack = x.Stack()
	}
	d.hook(x, point{kind: pExit, sub: sub, action: action})
	if n := len(t.frames); n > 0 {
		t.frames = t.frames[:n-1]
	}
}

func (d *driver) event(x execState, kind, text string) {
	if d.aborting {
		return
	}
	t := d.bind(x)
	if kind == "route" && strings.HasPrefix(text, "vcl_log ") {
		d.finish(t)
	}
	if !d.silent() {
		d.s.engineEvent(x, kind, text)
	}
	d.hook(x, point{kind: pEvent, ev: kind, text: text})
}

// hook is the common path of every hook call.
func (d *driver) hook(x execState, p point) {
	if d.aborting {
		return
	}
	d.tick++
	if d.flag.Load() {
		for {
			c, ok := d.takeControl()
			if !ok {
				break
			}
			d.handle(c, x, false)
		}
		if d.aborting {
			return
		}
	}
	if p.kind == pStmt && !isBlock(p.stmt) {
		if d.firstStmt == 0 {
			d.firstStmt = d.tick
		}
		d.stmts = append(d.stmts, stmtRec{tick: d.tick, thread: d.cur.job.thread, depth: len(d.cur.frames)})
	}
	if d.t.noDebug {
		return
	}
	if d.replayTo > 0 {
		d.replayHook(x, p)
		return
	}
	r := d.decide(x, p, false)
	d.track(p)
	if r == nil {
		switch {
		case p.kind != pStmt || isBlock(p.stmt):
		case d.pauseReq.Load():
			r = &stopReason{reason: "pause"}
		case d.stepDone():
			r = &stopReason{reason: "step"}
		case d.tick == d.firstStmt && d.t.cfg.StopOnEntry:
			r = &stopReason{reason: "entry"}
		}
	}
	if r != nil {
		d.stop(x, r)
	}
}

// replayHook handles a tick while re-running towards an earlier stop.
func (d *driver) replayHook(x execState, p point) {
	would := d.decide(x, p, true)
	d.track(p)
	if d.tick < d.replayTo {
		if would != nil && d.scanning {
			d.scanLast = d.tick
		}
		d.applyEdits(x)
		return
	}
	// Arrived.
	if d.scanning {
		target := d.scanLast
		if target == 0 {
			target = d.firstStmt
		}
		d.abort = &control{kind: ctlReplay, tick: target, reason: "breakpoint", edits: -1}
		if d.scanLast == 0 {
			d.abort.reason = "entry"
		}
		d.aborting = true
		d.mu.Lock()
		d.history = trimHistory(d.history, target)
		d.mu.Unlock()
		return
	}
	// Changes made from the REPL at this point of the forward run are part
	// of its state here.
	d.applyEdits(x)
	r := &stopReason{reason: d.replayWhy}
	if d.replayWhy == "breakpoint" && would != nil {
		// Where reverseContinue lands: the breakpoint (or exception) that
		// stopped the forward run here, with its ids.
		r = would
	}
	d.replayTo = 0
	d.s.reconcileThreads(d.cur.job.thread)
	d.stop(x, r)
}

// trimHistory drops the stops at or after tick.
func trimHistory(h []int64, tick int64) []int64 {
	for len(h) > 0 && h[len(h)-1] >= tick {
		h = h[:len(h)-1]
	}
	return h
}

// applyEdits replays the variable changes recorded at this tick.
func (d *driver) applyEdits(x execState) {
	for _, e := range d.edits {
		if e.tick == d.tick && e.f != nil {
			if err := x.ExecChecked(e.f.stmt, e.f.src, e.f.facts); err != nil {
				d.log.Debug("replaying a console statement failed", zap.Error(err))
			}
		} else if e.tick == d.tick {
			if err := x.Set(e.name, e.v); err != nil {
				d.log.Debug("replaying an edit failed", zap.String("name", e.name), zap.Error(err))
			}
		}
	}
}

// recordEdit remembers a change made while paused (called on the driver
// goroutine by an inspection).
func (d *driver) recordEdit(name string, v value.Value) {
	d.edits = append(d.edits, edit{tick: d.tick, name: name, v: v})
}

// recordStmt remembers a console statement run while paused.
func (d *driver) recordStmt(f *fragment) {
	d.edits = append(d.edits, edit{tick: d.tick, f: f})
}

// backTarget is the point stepBack goes to, as a tick and the number of
// REPL changes made there to keep. A change made while stopped here is
// undone first (each is a step of its own). Otherwise it is the statement
// executed before this stop, like `next` in reverse: the latest earlier
// statement, no deeper than this one, from which `next` comes here (in a
// concurrent group that may be another request's last statement);
// failing that (this stop was reached by stepping in), the latest earlier
// statement of the same request at the same or a shallower depth, or the
// last top-level statement of the request before. tick is 0 when nothing
// ran before.
func (d *driver) backTarget() (tick int64, edits int) {
	if n := d.editsAt(d.tick); n > 0 {
		return d.tick, n - 1
	}
	here := stmtRec{tick: d.tick}
	if d.cur != nil {
		here.thread, here.depth = d.cur.job.thread, len(d.cur.frames)
	}
	if here.depth == 0 {
		// Stopped after the request ended (or between subroutines): back
		// to its last top-level statement.
		here.depth = 1
	}
	if q, ok := d.nextLeadingTo(here); ok {
		return q.tick, d.editsAt(q.tick)
	}
	for i := len(d.stmts) - 1; i >= 0; i-- {
		r := d.stmts[i]
		if r.tick < here.tick && r.thread == here.thread && r.depth <= here.depth {
			return r.tick, d.editsAt(r.tick)
		}
	}
	for i := len(d.stmts) - 1; i >= 0; i-- {
		r := d.stmts[i]
		if r.tick < here.tick && r.thread != here.thread && r.depth <= 1 {
			return r.tick, d.editsAt(r.tick)
		}
	}
	return 0, 0
}

// maxBackScan bounds how far back nextLeadingTo looks.
const maxBackScan = 4096

// nextLeadingTo finds the latest statement q before p, no deeper than p,
// such that `next` from q stops at p.
func (d *driver) nextLeadingTo(p stmtRec) (stmtRec, bool) {
	end := len(d.stmts)
	for end > 0 && d.stmts[end-1].tick >= p.tick {
		end--
	}
	for i := end - 1; i >= 0 && i >= end-maxBackScan; i-- {
		q := d.stmts[i]
		if q.depth > p.depth {
			continue
		}
		if !d.stepOverStops(q, p) {
			continue
		}
		stopsEarlier := false
		for k := i + 1; k < end; k++ {
			if d.stepOverStops(q, d.stmts[k]) {
				stopsEarlier = true
				break
			}
		}
		if !stopsEarlier {
			return q, true
		}
		if q.thread == p.thread {
			// Earlier statements of this request lead to one after q.
			break
		}
	}
	return stmtRec{}, false
}

// stepOverStops reports whether `next` from q stops at the later statement
// r: in q's request, at the same or a shallower depth; in another request,
// once q's request has ended.
func (d *driver) stepOverStops(q, r stmtRec) bool {
	if r.thread == q.thread {
		return r.depth <= q.depth
	}
	ft, ok := d.finishTick[q.thread]
	return ok && ft < r.tick
}

// finish marks a request as ended.
func (d *driver) finish(t *thr) {
	t.finished = true
	if _, ok := d.finishTick[t.job.thread]; !ok && d.finishTick != nil {
		d.finishTick[t.job.thread] = d.tick
	}
}

// stop pauses the request until the session resumes it.
func (d *driver) stop(x execState, r *stopReason) {
	d.step = stepState{}
	d.pauseReq.Store(false)
	d.mu.Lock()
	d.history = append(d.history, d.tick)
	d.mu.Unlock()
	thread := 0
	if d.cur != nil {
		thread = d.cur.job.thread
	}
	d.s.stopped(x, thread, r)
	d.pauseLoop(x)
}
