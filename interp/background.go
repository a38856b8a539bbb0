package interp

import (
	"fmt"
	"runtime/debug"

	"github.com/vclide/vclide/cache"
)

// bgJob is a background fetch waiting for the client response to be sent.
type bgJob struct {
	node, delivery *cache.Node
	onFetch        bool
	key            string
	obj            *cache.Object // the stale object being revalidated
	req            *reqObj       // req as vcl_hit left it, marked as a background fetch
	restarts       int
	flight         string // key of Engine.bgInFlight
}

// startBackground schedules the background fetch a stale-while-revalidate
// hit starts on the node that served it. Only one runs per object at a
// time: a second stale hit while one is pending starts none.
//
// Source: the vcl_hit reference
// (https://www.fastly.com/documentation/reference/vcl/subroutines/hit): a
// stale object within its stale-while-revalidate time "will still be
// considered a hit and will trigger a background fetch to repopulate the
// cache asynchronously"; "Staleness and revalidation"
// (https://www.fastly.com/documentation/guides/concepts/edge-state/cache/stale/):
// with a validator the background fetch is conditional.
func (x *execState) startBackground(obj *cache.Object) {
	flight := x.node.ID + "\x00" + x.key + "\x00" + obj.VariantKey
	if x.e.bgInFlight[flight] {
		x.cacheEvent("background-fetch", "not started: a background fetch for this object is already running")
		return
	}
	if x.e.bgInFlight == nil {
		x.e.bgInFlight = map[string]bool{}
	}
	x.e.bgInFlight[flight] = true
	r := x.req.clone()
	r.isBgFetch = true
	x.bgJobs = append(x.bgJobs, &bgJob{
		node: x.node, delivery: x.delivery, onFetch: x.onFetch, key: x.key, obj: obj,
		req: r, restarts: x.restarts, flight: flight,
	})
	x.cacheEvent("background-fetch", "stale-while-revalidate: served stale, revalidating in the background")
}

// runBackground runs the request's pending background fetches, after its
// response was sent, and records them in res.
func (x *execState) runBackground(res *Result) {
	jobs := x.bgJobs
	x.bgJobs = nil
	for _, j := range jobs {
		res.Background = append(res.Background, x.e.runBgJob(x, j))
	}
}

// runBgJob runs one background fetch: vcl_miss, the backend request, then
// vcl_fetch and the cache update (or a 304 refresh without vcl_fetch). It
// has its own Exec, so a debugger can show it as a thread of its own.
func (e *Engine) runBgJob(parent *execState, j *bgJob) *BackgroundFetch {
	defer delete(e.bgInFlight, j.flight)
	bf := &BackgroundFetch{Method: j.req.method, URL: j.req.url, Node: j.node.ID}
	x := &execState{
		e: e, ctx: parent.ctx, hooks: e.cfg.Hooks, seq: parent.seq,
		req: j.req, delivery: j.delivery, node: j.node, onFetch: j.onFetch, clustered: j.onFetch,
		key: j.key, staleObj: j.obj, state: cache.StateMiss, recvAct: actLookup, restarts: j.restarts,
		start: e.clock.Now(), sublabel: bf.Label(),
	}
	if j.onFetch {
		x.fetch = j.node
	}
	x.res = &Result{Request: Request{Method: j.req.method, URL: j.req.url, Header: j.req.header.Clone()}}
	sh, _ := x.hooks.(SubrequestHooks)
	if x.hooks != nil {
		x.xp = &Exec{impl: x}
		x.parentX = parent.xp
		if sh != nil {
			sh.SubrequestStart(parent.xp, x.xp)
		}
	}
	x.runBgFlow()
	if sh != nil {
		sh.SubrequestEnd(parent.xp, x.xp)
	}
	bf.Route, bf.Cache, bf.BackendRequests, bf.Logs, bf.Err = x.res.Route, x.res.Cache, x.res.BackendRequests, x.res.Logs, x.err
	return bf
}

// runBgFlow drives a background fetch until the object is stored, refreshed
// or given up: there is no client, so it never reaches vcl_deliver, and an
// error or a restart just ends it.
func (x *execState) runBgFlow() {
	defer func() {
		if p := recover(); p != nil {
			x.err = fmt.Errorf("interp: internal error: %v\n%s", p, debug.Stack())
		}
	}()
	st := stMiss
	for x.err == nil {
		switch st {
		case stMiss:
			st = x.doMiss()
		case stPass:
			st = x.doPass()
		case stBackend:
			st = x.doBackend()
		case stFetch:
			st = x.doFetch()
		case stError, stRestart:
			if x.hooks != nil {
				x.event("error", "background fetch ended without updating the cache")
			}
			return
		default:
			return
		}
	}
}
