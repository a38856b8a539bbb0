package interp

import (
	"context"
	"sync"
	"time"
)

// Live requests (vclide serve) run concurrently. The engine's state (the
// POP's caches, the collapsers, the clock) is still guarded by one mutex,
// but a live request lets go of it while its origin answers, so a slow
// origin holds up only the requests that wait for the same object: misses
// for the same cache key on the same node queue behind the request
// fetching it (request collapsing, as Fastly does) and are served what it
// stored. Do and DoConcurrent keep running requests one at a time, which
// makes runs and debugging sessions reproducible.

// liveState is the engine's coordination of live requests.
type liveState struct {
	once    sync.Once
	flights *sync.Cond // signalled when a collapsed fetch ends; uses Engine.mu
}

// Serve runs one live request that arrived at now: the virtual clock
// moves forward to now (never back), and the request runs concurrently
// with other Serve calls as described above. It is safe for concurrent
// use.
func (e *Engine) Serve(ctx context.Context, req Request, now time.Time) *Result {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.live.once.Do(func() { e.live.flights = sync.NewCond(&e.mu) })
	if now.After(e.clock.Now()) {
		e.clock.Set(now)
	}
	x := e.newExec(ctx, req)
	x.live = true
	x.runSafe()
	// A panic skips the end of run: never leave followers waiting.
	x.finishLead(nil)
	res := x.finish()
	if x.bgJobs != nil {
		x.runBackground(res)
	}
	x.release()
	return res
}

// roundTrip sends br to the origin. A live request releases the engine
// meanwhile; it touches nothing shared until it has it again.
func (x *execState) roundTrip(o Origin, br *BackendRequest) (*BackendResponse, error) {
	if !x.live {
		return o.RoundTrip(x.ctx, br)
	}
	x.e.mu.Unlock()
	defer x.e.mu.Lock()
	return o.RoundTrip(x.ctx, br)
}

// collapses reports whether a miss joins request collapsing: concurrent
// and live requests do, unless req.hash_ignore_busy is set.
func (x *execState) collapses() bool {
	return (x.concur != nil || x.live) && !x.req.hashIgnoreBusy
}

// waitForLeader waits until something changes for the key this follower
// queues on: the DoConcurrent scheduler runs the others, a live request
// sleeps until a collapsed fetch ends.
func (x *execState) waitForLeader() {
	if x.concur != nil {
		x.concur.park(x)
		return
	}
	x.e.live.flights.Wait()
}

// leaderDone wakes the live requests queued behind a fetch that ended.
func (x *execState) leaderDone() {
	if x.live {
		x.e.live.flights.Broadcast()
	}
}
