package interp

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/cache"
)

// step is a state of the request state machine (semantics.md §1).
type step uint8

const (
	stRecv step = iota
	stHash
	stLookup
	stHit
	stMiss
	stPass
	stBackend
	stFetch
	stError
	stDeliver
	stLog
	stRestart
	stFail
	stDone
)

// run drives the request through the subroutines until it is delivered or
// fails.
func (x *execState) run() {
	st := stRecv
	for st != stDone {
		switch st {
		case stRecv:
			st = x.doRecv()
		case stHash:
			st = x.doHash()
		case stLookup:
			st = x.doLookup()
		case stHit:
			st = x.doHit()
		case stMiss:
			st = x.doMiss()
		case stPass:
			st = x.doPass()
		case stBackend:
			st = x.doBackend()
		case stFetch:
			st = x.doFetch()
		case stError:
			st = x.doError()
		case stDeliver:
			st = x.doDeliver()
		case stLog:
			// ESI is parsed after vcl_deliver; the response is sent before
			// vcl_log: changes made there do not reach the client.
			x.applyESI()
			x.sent = x.responseNow()
			x.runBuiltin(catalog.SubLog)
			st = stDone
		case stRestart:
			st = x.doRestart()
		case stFail:
			x.doFail()
			st = stDone
		}
		if x.err != nil && st != stDone {
			st = stFail
		}
	}
	x.finishLead(nil)
}

// beginPass resets what a restart discards: beresp, obj, resp, the cache
// position and the state.
func (x *execState) beginPass() {
	x.bereq, x.beresp, x.obj, x.resp = nil, nil, nil, nil
	x.hitObj, x.staleObj, x.stored = nil, nil, nil
	x.node, x.onFetch, x.clustered, x.clusterReason = x.delivery, false, false, ""
	x.state, x.waited, x.refreshed = cache.StateNone, false, false
	x.key, x.pass, x.recvAct, x.errCode, x.errResp = "", false, actLookup, 0, ""
	x.fetchBy, x.fromCache = "", false
}

func (x *execState) doRecv() step {
	x.beginPass()
	act, ok := x.runBuiltin(catalog.SubRecv)
	if !ok {
		return stFail
	}
	switch act {
	case actRestart:
		return stRestart
	case actError:
		x.recvAct = actError
	case actPass, actUpgrade:
		// upgrade (WebSockets) leaves VCL; the simulator passes instead.
		x.recvAct = actPass
	}
	return stHash
}

func (x *execState) doHash() step {
	x.req.hash = ""
	if _, ok := x.runBuiltin(catalog.SubHash); !ok {
		return stFail
	}
	if x.req.hash == "" {
		// Fastly's default cache key: the URL and the host (vcl_hash
		// reference).
		host, _ := headerGet(x.req.header, "Host")
		x.req.hash = x.req.url + host
	}
	x.key = x.req.hash
	switch x.recvAct {
	case actError:
		x.clusterOff("clustering off: vcl_recv returned error")
		return stError
	case actPass:
		x.clusterOff("clustering off: vcl_recv returned pass")
		x.state, x.pass = cache.StatePass, true
		return stPass
	}
	return stLookup
}

// clusterOff records that this pass runs entirely on the delivery node.
func (x *execState) clusterOff(reason string) {
	x.res.Cluster = append(x.res.Cluster, ClusterEvent{Kind: "off", From: x.delivery.ID, To: x.delivery.ID, Reason: reason})
	x.clusterReason = reason
	if x.hooks != nil {
		x.event("cluster", reason)
	}
}

// handoff moves the request to the fetch node: the delivery node keeps its
// copy of req, the fetch node works on another.
func (x *execState) handoff(n *cache.Node, reason string) {
	x.deliveryReq = x.req.clone()
	x.fetch, x.node, x.onFetch, x.clustered, x.clusterReason = n, n, true, true, reason
	x.res.Cluster = append(x.res.Cluster, ClusterEvent{Kind: "to-fetch", From: x.delivery.ID, To: n.ID, Reason: reason})
	if x.hooks != nil {
		x.event("cluster", "hand-off "+x.delivery.ID+" → "+n.ID+" ("+reason+")")
	}
}

// backToDelivery returns from the fetch node: req changes made there are
// lost (semantics.md §3 rule 2).
func (x *execState) backToDelivery() {
	if !x.onFetch {
		return
	}
	lost := x.req.diff(x.deliveryReq)
	x.req, x.deliveryReq = x.deliveryReq, nil
	x.node, x.onFetch = x.delivery, false
	x.res.Cluster = append(x.res.Cluster, ClusterEvent{Kind: "to-delivery", From: x.fetch.ID, To: x.delivery.ID, Lost: lost})
	if x.hooks != nil {
		text := "back to " + x.delivery.ID
		if len(lost) > 0 {
			text += fmt.Sprintf(", lost %v", lost)
		}
		x.event("cluster", text)
	}
}

func (x *execState) cacheEvent(kind, detail string) {
	x.res.Cache = append(x.res.Cache, CacheEvent{Kind: kind, Node: x.node.ID, Key: x.key, Detail: detail})
	if x.hooks != nil {
		x.event("cache", kind+" "+x.key+" on "+x.node.ID+" "+detail)
	}
}

func (x *execState) doLookup() step {
	always := x.req.hashAlwaysMiss
	var lr cache.LookupResult
	if !always {
		lr = x.lookup(x.delivery)
	}
	fetchNode := x.e.pop.FetchNode(x.key)
	var dec cache.ClusterDecision
	if x.e.cfg.DisableClustering {
		dec.Reason = "clustering off: disabled in the configuration"
	} else {
		_, force := headerGet(x.req.header, "Fastly-Force-Shield")
		_, noShield := headerGet(x.req.header, "Fastly-No-Shield")
		dec = cache.Cluster(cache.ClusterInput{
			Method: x.req.method, Restarts: x.restarts, ForceShield: force, NoShield: noShield,
			RecvReturn: "lookup", LocalHit: lr.Status == cache.LookupHit, FetchIsDelivery: fetchNode == x.delivery,
		})
	}
	if dec.Clustered {
		x.handoff(fetchNode, dec.Reason)
		lr = cache.LookupResult{}
		if !always {
			lr = x.lookup(fetchNode)
		}
	} else {
		x.clusterOff(dec.Reason)
	}
	return x.afterLookup(lr)
}

// lookup looks the key up on node n. With req.hash_ignore_busy set only a
// fresh object counts: the req.hash_ignore_busy reference
// (https://www.fastly.com/documentation/reference/vcl/variables/client-request/req-hash-ignore-busy)
// says the mode "makes stale objects unusable".
func (x *execState) lookup(n *cache.Node) cache.LookupResult {
	if x.req.hashIgnoreBusy {
		return n.Store.LookupFresh(x.key, x.req.header, x.now())
	}
	return n.Store.Lookup(x.key, x.req.header, x.now())
}

// staleUnusable reports whether this request may not use stale objects:
// req.hash_always_miss and req.hash_ignore_busy both make them unusable
// (their references: "this mode also makes stale objects unusable, thereby
// disabling the effects of the stale-while-revalidate and stale-if-error
// Cache-Control directives").
func (x *execState) staleUnusable() bool {
	return x.req.hashAlwaysMiss || x.req.hashIgnoreBusy
}

// afterLookup routes the request by what the lookup found.
func (x *execState) afterLookup(lr cache.LookupResult) step {
	now := x.now()
	switch lr.Status {
	case cache.LookupHit:
		x.state, x.fromCache = cache.StateHit, true
		x.cacheEvent("lookup-hit", "")
		x.hitObj, x.obj = lr.Object, objFromCache(lr.Object, now)
		return stHit
	case cache.LookupHitForPass:
		x.state, x.pass = cache.StateHitPass, true
		x.cacheEvent("lookup-hitpass", "")
		return stPass
	case cache.LookupStale:
		switch lr.Phase {
		case cache.PhaseStaleWhileRevalidate:
			// Served stale through vcl_hit; vcl_hit's deliver starts the
			// background fetch (startBackground).
			x.state, x.fromCache = cache.StateHitStale, true
			x.cacheEvent("lookup-stale", "stale-while-revalidate: served stale")
			x.hitObj, x.obj = lr.Object, objFromCache(lr.Object, now)
			x.obj.stale, x.obj.staleRev = true, true
			return stHit
		case cache.PhaseKept:
			// Past its stale windows but it has a validator: a blocking
			// conditional fetch ("Staleness and revalidation", step 2b).
			x.staleObj = lr.Object
			x.cacheEvent("lookup-stale", "expired copy with a validator; revalidating with a conditional request")
		default:
			x.staleObj = lr.Object
			x.cacheEvent("lookup-stale", "stale-if-error copy kept; going to the backend")
		}
	default:
		x.cacheEvent("lookup-miss", "")
	}
	x.state = cache.StateMiss
	switch {
	case x.collapses():
		return x.collapse()
	case x.concur != nil:
		// Not collapsed, but still concurrent: let the others look up
		// before this one fetches.
		x.concur.park(x)
	}
	return stMiss
}

// collapse joins the node's request collapsing (DoConcurrent and Serve): the
// first miss leads, the others wait for it and then share its object.
func (x *execState) collapse() step {
	c := x.node.Collapser
	x.leader = c.Join(x.key, x.now())
	if x.leader {
		x.leadNode = x.node
		if x.concur != nil {
			x.concur.park(x) // let the other concurrent requests join too
		}
		return stMiss
	}
	x.waited = true
	x.cacheEvent("collapse-wait", "waiting for the request fetching this key")
	for {
		x.waitForLeader()
		act, obj := c.Resume(x.key, x.req.header, x.now())
		switch act {
		case cache.ResumeHit:
			x.state, x.fromCache = cache.StateHit, true
			x.cacheEvent("lookup-hit", "shared by the collapsed fetch")
			x.hitObj, x.obj = obj, objFromCache(obj, x.now())
			return stHit
		case cache.ResumePass:
			x.state, x.pass = cache.StateHitPass, true
			x.cacheEvent("lookup-hitpass", "the collapsed fetch passed")
			return stPass
		case cache.ResumeLookup:
			return x.afterLookup(x.node.Store.Lookup(x.key, x.req.header, x.now()))
		}
	}
}

// finishLead ends this request's collapsed fetch, sharing obj (if any)
// with the requests waiting for it.
func (x *execState) finishLead(obj *cache.Object) {
	if !x.leader {
		return
	}
	if obj != nil {
		x.leadNode.Collapser.Share(x.key, obj)
	}
	x.leadNode.Collapser.Done(x.key)
	x.leader, x.leadNode = false, nil
	x.leaderDone()
}

func (x *execState) doHit() step {
	act, ok := x.runBuiltin(catalog.SubHit)
	if !ok {
		return stFail
	}
	if act != actDeliver {
		x.fromCache = false
	}
	switch act {
	case actPass:
		x.state, x.pass, x.obj = cache.StatePass, true, nil
		return stPass
	case actError:
		return stError
	case actRestart:
		return stRestart
	}
	if x.state == cache.StateHitStale && x.hitObj != nil {
		x.startBackground(x.hitObj)
	}
	x.resp = x.respFromObj(x.obj, true)
	return stDeliver
}

// newBereq builds bereq from req when the backend request is prepared.
func (x *execState) newBereq() *bereqObj {
	b := &bereqObj{method: x.req.method, url: x.req.url, proto: "HTTP/1.1", header: x.req.header.Clone(), body: x.req.body, backend: x.req.backend}
	if bk := x.e.resolveBackend(x, x.req.backend); bk != nil {
		b.connectTimeout, b.firstByteTimeout, b.betweenBytesTimeout = bk.connectTimeout, bk.firstByteTimeout, bk.betweenBytesTimeout
	}
	return b
}

func (x *execState) doMiss() step {
	x.bereq = x.newBereq()
	if x.bereq.method == http.MethodHead {
		// A miss fetches the whole object, so that it can be cached.
		x.bereq.method = http.MethodGet
	}
	if so := x.staleObj; so != nil && so.HasValidators() {
		// Revalidate the stale copy with a conditional request.
		if so.ETag != "" {
			x.bereq.header.Set("If-None-Match", so.ETag)
		}
		if so.LastModified != "" {
			x.bereq.header.Set("If-Modified-Since", so.LastModified)
		}
	}
	act, ok := x.runBuiltin(catalog.SubMiss)
	if !ok {
		return stFail
	}
	switch act {
	case actPass:
		x.state, x.pass = cache.StatePass, true
		x.finishLead(nil)
		if x.req.method == http.MethodHead && x.bereq.method == http.MethodGet {
			x.bereq.method = http.MethodHead
		}
		if x.staleObj != nil {
			x.bereq.header.Del("If-None-Match")
			x.bereq.header.Del("If-Modified-Since")
		}
		return stPass
	case actError:
		return stError
	case actRestart:
		return stRestart
	case actDeliverStale:
		if x.serveStale(false) {
			x.finishLead(nil)
			return stDeliver
		}
	}
	return stBackend
}

func (x *execState) doPass() step {
	x.pass = true
	if x.bereq == nil {
		x.bereq = x.newBereq()
	}
	act, ok := x.runBuiltin(catalog.SubPass)
	if !ok {
		return stFail
	}
	switch act {
	case actError:
		return stError
	case actRestart:
		return stRestart
	}
	return stBackend
}

// serveStale delivers the stale copy this node holds, if any
// (return(deliver_stale), fastly_info.state HIT-STALE).
func (x *execState) serveStale(isError bool) bool {
	if x.key == "" {
		return false
	}
	if x.staleUnusable() {
		x.cacheEvent("deliver-stale", "stale objects are unusable: req.hash_always_miss or req.hash_ignore_busy is set")
		return false
	}
	so := x.node.Store.StaleObject(x.key, x.req.header, x.now())
	if so == nil {
		x.cacheEvent("deliver-stale", "no stale copy on this node")
		return false
	}
	x.state = cache.StateHitStale
	x.cacheEvent("deliver-stale", "serving the stale copy")
	x.obj = objFromCache(so, x.now())
	x.hitObj = so
	x.resp = x.respFromObj(x.obj, true)
	x.resp.stale, x.resp.staleErr = true, isError
	x.beresp = nil
	return true
}

// respFromObj makes resp from obj (a cached object when cached is true, in
// which case Age reports the object's age).
func (x *execState) respFromObj(o *respObj, cached bool) *respObj {
	r := o.clone()
	if cached {
		r.header["Age"] = []string{strconv.FormatInt(int64(o.age.Seconds()), 10)}
	}
	return r
}

func (x *execState) doFetch() step {
	x.fetchBy, x.fetchAt = x.node.ID, x.now()
	act, ok := x.runBuiltin(catalog.SubFetch)
	if !ok {
		return stFail
	}
	switch act {
	case actError:
		x.finishLead(nil)
		return stError
	case actRestart:
		x.finishLead(nil)
		return stRestart
	case actDeliverStale:
		if x.serveStale(x.beresp.status >= 500) {
			x.finishLead(nil)
			return stDeliver
		}
		x.store()
	case actPass:
		if !x.pass && x.recvAct == actLookup {
			ttl := x.beresp.ttl
			if !x.beresp.ttlSet {
				ttl = 0 // the marker's default lifetime
			}
			x.node.Store.InsertHitForPass(x.key, ttl, x.now())
			x.cacheEvent("store-hfp", "return(pass) in vcl_fetch: hit-for-pass marker")
		}
		x.pass = true
		x.finishLead(nil)
	default:
		x.store()
	}
	x.resp = x.beresp
	x.obj = &respObj{status: x.beresp.status, response: x.beresp.response, header: http.Header{}, age: x.beresp.age, cacheable: x.beresp.cacheable}
	x.beresp = nil
	if x.stored != nil {
		x.resp.header["Age"] = []string{strconv.FormatInt(int64(x.resp.age.Seconds()), 10)}
	}
	return stDeliver
}

// store caches beresp on the current node when the request is not a pass
// and the response is cacheable with a positive TTL.
func (x *execState) store() {
	b := x.beresp
	switch {
	case x.pass:
		x.finishLead(nil)
		return
	case !b.cacheable:
		x.cacheEvent("store", "not stored: beresp.cacheable is false (status "+strconv.Itoa(b.status)+")")
		x.finishLead(nil)
		return
	case b.ttl <= 0:
		x.cacheEvent("store", "not stored: beresp.ttl is not positive")
		x.finishLead(nil)
		return
	}
	sie := b.sie
	if b.grace > 0 {
		sie = b.grace // beresp.grace overrides stale_if_error (seed 002)
	}
	o := cache.NewObject(x.key, b.status, b.header, b.body, cache.Freshness{TTL: b.ttl, SWR: b.swr, SIE: sie, Age: b.age}, x.now())
	o.SetVariant(x.req.header)
	if b.response != statusText(b.status) {
		o.Reason = b.response // obj.response on later hits
	}
	o.FetchedBy, o.FetchedAt = x.fetchBy, x.fetchAt
	o.ESI = b.doESI
	stored, err := x.node.Store.Insert(o)
	if err != nil {
		x.cacheEvent("store", "not stored: "+err.Error())
		x.finishLead(nil)
		return
	}
	x.stored = stored
	x.cacheEvent("store", "ttl="+b.ttl.String())
	x.finishLead(stored)
}

func (x *execState) doError() step {
	code := x.errCode
	if code == 0 {
		code = http.StatusServiceUnavailable
	}
	resp := x.errResp
	if resp == "" {
		resp = statusText(code)
	}
	x.obj = &respObj{status: code, response: resp, proto: "HTTP/1.1", header: http.Header{}, synth: true}
	x.beresp, x.resp = nil, nil
	if x.state == cache.StateNone {
		x.state = cache.StateError
	}
	x.errCode, x.errResp = 0, ""
	act, ok := x.runBuiltin(catalog.SubError)
	if !ok {
		return stFail
	}
	switch act {
	case actRestart:
		return stRestart
	case actDeliverStale:
		if x.serveStale(true) {
			return stDeliver
		}
	}
	x.resp = x.respFromObj(x.obj, false)
	x.resp.synth = true
	// A synthetic response with a non-error status is HIT-SYNTH
	// (fastly_info.state reference); an error status is ERROR.
	if x.resp.status < 400 {
		x.state = cache.StateHitSynth
	} else {
		x.state = cache.StateError
	}
	return stDeliver
}

func (x *execState) doDeliver() step {
	if x.onFetch {
		x.backToDelivery()
		// The delivery node keeps an in-memory copy of what it delivers
		// from cache.
		fromCache := x.fromCache && x.stored == nil
		if cp := x.stored; cp != nil || (fromCache && x.state != cache.StateHitStale) {
			if cp == nil {
				cp = x.hitObj
			}
			if c, err := x.delivery.Store.Insert(cp); err == nil {
				if fromCache {
					c.Hits = 1 // this delivery is the copy's first hit
				}
				x.res.Cache = append(x.res.Cache, CacheEvent{Kind: "store", Node: x.delivery.ID, Key: x.key, Detail: "in-memory copy on the delivery node"})
			}
		}
		if fromCache && x.obj != nil {
			// Hit counts are per node and do not travel with the
			// response: after a clustered hit vcl_deliver reads 1 (obj.hits
			// reference, "Clustering effects", case 1:
			// https://www.fastly.com/documentation/reference/vcl/variables/cache-object/obj-hits).
			x.obj.hits = 1
		}
	}
	if x.obj == nil {
		x.obj = &respObj{status: x.resp.status, response: x.resp.response, header: http.Header{}}
	}
	act, ok := x.runBuiltin(catalog.SubDeliver)
	if !ok {
		return stFail
	}
	if act == actRestart {
		return stRestart
	}
	return stLog
}

func (x *execState) doRestart() step {
	x.finishLead(nil)
	x.backToDelivery()
	x.restarts++
	x.res.Restarts = x.restarts
	if x.hooks != nil {
		x.event("restart", "restart "+strconv.Itoa(x.restarts))
	}
	if x.restarts > maxRestarts {
		x.restarts = maxRestarts
		x.res.Restarts = maxRestarts
		x.state = cache.StateError
		x.resp = &respObj{status: http.StatusServiceUnavailable, response: "Too many restarts", proto: "HTTP/1.1", header: http.Header{}, synth: true}
		if x.hooks != nil {
			x.event("error", "too many restarts: the fourth restart ends the request with a 503")
		}
		return stDone
	}
	return stRecv
}

// doFail ends the request after a runtime error with a 503.
func (x *execState) doFail() {
	x.finishLead(nil)
	x.backToDelivery()
	x.state = cache.StateError
	x.resp = &respObj{status: http.StatusServiceUnavailable, response: "Service Unavailable", proto: "HTTP/1.1", header: http.Header{}, synth: true}
	if x.hooks != nil && x.err != nil {
		x.event("error", x.err.Error())
	}
}

// responseNow is the client response as resp stands.
func (x *execState) responseNow() *Response {
	r := &Response{Header: http.Header{}}
	if x.resp != nil {
		r.Status, r.Reason, r.Header, r.Body = x.resp.status, x.resp.response, x.resp.header.Clone(), x.resp.body
		if x.req.method == http.MethodHead {
			r.Body = nil
		}
	}
	return r
}

// finish builds the Result.
func (x *execState) finish() *Result {
	r := x.res
	if x.sent != nil {
		r.Response = *x.sent
	} else {
		r.Response = *x.responseNow()
	}
	r.State = x.stateString()
	if x.err != nil {
		r.Err = x.err
	}
	return r
}
