package interp

import (
	"context"
	"fmt"
	"runtime/debug"
)

// concurrent schedules requests that arrive together. Each runs on its own
// goroutine, but only one runs at a time: a request runs until it parks
// (after joining request collapsing for a key) or ends, then the scheduler
// wakes the next. Every request therefore reaches its cache lookup before
// any collapsed fetch finishes, which is the order cache.Collapser expects,
// and the outcome depends only on the order of the requests and the seed.
type concurrent struct {
	events chan cevent
}

type cevent struct {
	idx  int
	done bool
}

// crun is one scheduled request.
type crun struct {
	x      *execState
	idx    int
	wake   chan struct{}
	parked bool
	done   bool
}

// park hands control back to the scheduler until it wakes this request.
func (c *concurrent) park(x *execState) {
	c.events <- cevent{idx: x.crun.idx}
	<-x.crun.wake
}

// DoConcurrent runs requests that arrive at the same moment. Cache misses
// for the same key on the same node collapse behind the first one (the
// others report fastly_info.state with -WAIT and share its object). The
// results are in the order of reqs.
func (e *Engine) DoConcurrent(ctx context.Context, reqs []Request) []*Result {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := &concurrent{events: make(chan cevent)}
	results := make([]*Result, len(reqs))
	runs := make([]*crun, len(reqs))
	apply := func(ev cevent) {
		r := runs[ev.idx]
		if ev.done {
			r.done = true
		} else {
			r.parked = true
		}
	}
	for i, in := range reqs {
		x := e.newExec(ctx, in)
		x.concur = c
		r := &crun{x: x, idx: i, wake: make(chan struct{})}
		x.crun = r
		runs[i] = r
		go func() {
			x.runSafe()
			results[i] = x.finish()
			c.events <- cevent{idx: i, done: true}
		}()
		apply(<-c.events)
	}
	for rounds := 0; rounds < 10000*len(reqs)+10; rounds++ {
		pending := false
		for _, r := range runs {
			if r.done || !r.parked {
				continue
			}
			pending = true
			r.parked = false
			r.wake <- struct{}{}
			apply(<-c.events)
		}
		if !pending {
			break
		}
	}
	// Background fetches start when the whole group has been answered:
	// every request of the group saw the cache as it was.
	for i, r := range runs {
		if r.done && r.x.bgJobs != nil && results[i] != nil {
			r.x.runBackground(results[i])
		}
	}
	for _, r := range runs {
		if !r.done {
			// Cannot happen with a well-behaved collapser; never leave a
			// goroutine blocked.
			r.x.err = fmt.Errorf("interp: request %d never finished", r.idx)
			close(r.wake)
			<-c.events
		}
		r.x.release()
	}
	return results
}

// runSafe runs the request, turning a panic into a runtime error.
func (x *execState) runSafe() {
	defer func() {
		if p := recover(); p != nil {
			x.err = fmt.Errorf("interp: internal error: %v\n%s", p, debug.Stack())
			x.doFail()
		}
	}()
	x.run()
}
