package interp

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/cache"
	"github.com/vclide/vclide/interp/value"
)

// ctl is how a statement ends: normally, by returning from the subroutine,
// by jumping to a label, or by aborting the request with a runtime error.
type ctl uint8

const (
	ctlNext ctl = iota
	ctlReturn
	ctlGoto
	ctlAbort
)

// action is a return action of a subroutine.
type action uint8

const (
	actNone action = iota
	actLookup
	actPass
	actError
	actRestart
	actUpgrade
	actHash
	actDeliver
	actFetch
	actDeliverStale
)

var actionNames = [...]string{"", "lookup", "pass", "error", "restart", "upgrade", "hash", "deliver", "fetch", "deliver_stale"}

// String is the action as written in return(…).
func (a action) String() string { return actionNames[a] }

func parseAction(s string) action {
	s = strings.ToLower(s)
	for i, n := range actionNames {
		if i > 0 && n == s {
			return action(i)
		}
	}
	return actNone
}

// Limits that turn runaway VCL into runtime errors.
const (
	maxCallDepth = 64
	maxSteps     = 1_000_000
	maxRestarts  = 3
)

// frame is one active subroutine.
type frame struct {
	sub  *csub
	base int // first slot in execState.slab
	cur  cstmt
	node string
	id   string
}

// execState is one request in flight: its objects, its position in the
// POP, the call stack and what the Result will report.
type execState struct {
	e     *Engine
	ctx   context.Context
	hooks Hooks
	xp    *Exec
	res   *Result

	req         *reqObj
	deliveryReq *reqObj // the delivery node's copy while on the fetch node
	bereq       *bereqObj
	beresp      *respObj
	obj         *respObj
	resp        *respObj

	delivery, fetch, node *cache.Node
	onFetch               bool
	clustered             bool
	clusterReason         string

	sub       catalog.Sub
	state     string
	waited    bool
	refreshed bool
	key       string
	pass      bool
	recvAct   action
	hitObj    *cache.Object // the cached object vcl_hit sees
	staleObj  *cache.Object // stale copy found by the lookup (revalidation)
	stored    *cache.Object // stored on the fetch node during this pass
	errCode   int
	errResp   string
	restarts  int
	leader    bool        // this request leads a collapsed fetch …
	leadNode  *cache.Node // … on this node
	concur    *concurrent
	live      bool // run by Serve: releases the engine while the origin answers
	crun      *crun

	frames    []frame
	slab      []value.Value
	base      int
	gotoLabel string
	act       action
	retVal    value.Value
	err       error
	steps     int

	reGroups []string
	argStack []value.Value
	fastlyEr string
	rnd      *rand.Rand
	seq      int64
	start    time.Time
	lastBReq *BackendRequest
	sent     *Response // the response as sent, before vcl_log

	fromCache bool      // this pass delivers an object found by the lookup (hit, stale-while-revalidate)
	bgJobs    []*bgJob  // background fetches to run after the response
	esiBudget *esiCount // includes made for the page (shared with subrequests)
	sublabel  string    // Exec.Label: "" for a client request
	parentX   *Exec     // Exec.Parent
	fetchBy   string    // node that ran vcl_fetch in this pass (Fastly-Debug-Path)
	fetchAt   time.Time
	test      *testState // unit-test mode (NewTestExec); nil for requests
}

var execPool = sync.Pool{New: func() any { return &execState{} }}

// newExec prepares the state for one request.
func (e *Engine) newExec(ctx context.Context, in Request) *execState {
	e.requests++
	x := execPool.Get().(*execState)
	slab, args, frames := x.slab[:0], x.argStack[:0], x.frames[:0]
	*x = execState{e: e, ctx: ctx, hooks: e.cfg.Hooks, slab: slab, argStack: args, frames: frames, seq: e.requests}
	if ctx == nil {
		x.ctx = context.Background()
	}
	if x.hooks != nil {
		x.xp = &Exec{impl: x}
	}
	x.start = e.clock.Now()
	x.res = &Result{Request: in}
	x.req = newReq(in)
	x.delivery = e.pop.DeliveryNode()
	x.node = x.delivery
	x.req.backend = e.defaultBackend
	x.addFastlyHeaders()
	x.state = cache.StateNone
	return x
}

// release returns the state to the pool, unless hooks saw it (a debugger
// may still hold its Exec).
func (x *execState) release() {
	if x.hooks != nil {
		return
	}
	clear(x.slab)
	clear(x.argStack)
	clear(x.frames)
	*x = execState{slab: x.slab[:0], argStack: x.argStack[:0], frames: x.frames[:0]}
	execPool.Put(x)
}

// newReq builds req from the client request.
func newReq(in Request) *reqObj {
	r := &reqObj{method: in.Method, url: in.URL, proto: "HTTP/1.1", body: in.Body, esi: true}
	if r.method == "" {
		r.method = http.MethodGet
	}
	if r.url == "" {
		r.url = "/"
	}
	r.header = make(http.Header, len(in.Header)+1)
	for k, v := range in.Header {
		r.header[http.CanonicalHeaderKey(k)] = append([]string(nil), v...)
	}
	host, ok := headerGet(r.header, "Host")
	if !ok || host == "" {
		host = "example.com"
	}
	// Fastly lower-cases the Host header before vcl_recv (vcl_hash
	// reference).
	r.header["Host"] = []string{strings.ToLower(host)}
	return r
}

// addFastlyHeaders sets the request headers Fastly adds before vcl_recv:
// Fastly-Client-IP (the client's address, unless the client sent one) and
// Fastly-SSL on TLS connections (header references).
func (x *execState) addFastlyHeaders() {
	if _, ok := x.req.header["Fastly-Client-Ip"]; !ok {
		x.req.header["Fastly-Client-Ip"] = []string{x.clientIP().String()}
	}
	if x.res.Request.TLS {
		x.req.header["Fastly-Ssl"] = []string{"1"}
	}
}

func (x *execState) clientIP() netip.Addr {
	if x.res.Request.ClientIP.IsValid() {
		return x.res.Request.ClientIP
	}
	return defaultClientIP
}

var defaultClientIP = netip.MustParseAddr("192.0.2.1")

// nodeLabel is "delivery" or "fetch" for the node running now.
// A background fetch always does the fetch node's work.
func (x *execState) nodeLabel() string {
	if x.onFetch || x.req.isBgFetch {
		return "fetch"
	}
	return "delivery"
}

// ---------------------------------------------------------------------------
// Runtime errors

// RuntimeError is an error that ended a request: a failed conversion, a
// variable or function the simulator does not model, a regular expression
// that hit its limit, too many nested calls.
type RuntimeError struct {
	File string
	Line int
	Col  int
	Sub  string
	Msg  string
	Err  error
}

// Error renders the error with its position: "file:line:col: in sub: msg".
func (e *RuntimeError) Error() string {
	if e.File == "" {
		return e.Msg
	}
	return fmt.Sprintf("%s:%d:%d: in %s: %s", e.File, e.Line, e.Col, e.Sub, e.Msg)
}

// Unwrap returns the underlying error.
func (e *RuntimeError) Unwrap() error { return e.Err }

// fail records a runtime error at the current statement and returns
// ctlAbort.
func (x *execState) fail(err error) ctl {
	if x.err != nil {
		return ctlAbort
	}
	re := &RuntimeError{Msg: err.Error(), Err: err}
	var prev *RuntimeError
	if errors.As(err, &prev) {
		re = prev
	} else if n := len(x.frames); n > 0 {
		f := &x.frames[n-1]
		re.Sub = f.sub.name
		if f.cur != nil {
			b := f.cur.base()
			p := b.src.Position(b.st.Span().Start)
			re.File, re.Line, re.Col = b.src.Name, p.Line, p.Col
		}
	}
	x.err = re
	return ctlAbort
}

// unavailable is the error for an object not present in this subroutine.
func (x *execState) unavailable(obj string) error {
	return fmt.Errorf("%s is not available in %s", obj, x.sub.VCLName())
}

// headerMap returns the header map of an object, or an error when the
// object does not exist in the current subroutine.
func (x *execState) headerMap(k objKind) (http.Header, error) {
	switch k {
	case kReq:
		return x.req.header, nil
	case kBereq:
		if x.bereq != nil {
			return x.bereq.header, nil
		}
	case kBeresp:
		if x.beresp != nil {
			return x.beresp.header, nil
		}
	case kObj:
		if x.obj != nil {
			return x.obj.header, nil
		}
	case kResp:
		if x.resp != nil {
			return x.resp.header, nil
		}
	}
	return nil, x.unavailable(objNames[k])
}

// respFor returns beresp, obj or resp.
func (x *execState) respFor(k objKind) (*respObj, error) {
	var o *respObj
	switch k {
	case kBeresp:
		o = x.beresp
	case kObj:
		o = x.obj
	case kResp:
		o = x.resp
	}
	if o == nil {
		return nil, x.unavailable(objNames[k])
	}
	return o, nil
}

// ---------------------------------------------------------------------------
// Subroutines

// runBuiltin runs vcl_<k> and returns its action (the default one when it
// ends without return). A missing subroutine runs the #FASTLY macro's
// equivalent and takes the default action. ok is false after a runtime
// error.
func (x *execState) runBuiltin(k catalog.Sub) (action, bool) {
	if err := x.ctx.Err(); err != nil {
		x.fail(err)
		return actNone, false
	}
	x.sub = k
	cs := x.e.builtins[k]
	act := parseAction(catalog.SubInfoOf(k).DefaultReturn)
	ok := true
	if cs == nil {
		x.macro(k.String())
		ok = x.err == nil
	} else {
		switch x.call(cs, nil) {
		case ctlAbort:
			ok = false
		case ctlReturn:
			if x.act != actNone {
				act = x.act
			}
		}
	}
	x.act = actNone
	step := RouteStep{Sub: k.VCLName(), Node: x.nodeLabel(), NodeID: x.node.ID, Return: act.String()}
	switch {
	case !ok:
		// A runtime error ended the subroutine.
		step.Return = "abort"
	case k == catalog.SubLog:
		step.Return = ""
	}
	x.res.Route = append(x.res.Route, step)
	if x.hooks != nil {
		x.event("route", step.Sub+" on "+step.NodeID+" ("+step.Node+") → "+step.Return)
	}
	return act, ok
}

// call runs a compiled subroutine with evaluated arguments.
func (x *execState) call(cs *csub, args []value.Value) ctl {
	if len(x.frames) >= maxCallDepth {
		return x.fail(fmt.Errorf("subroutine calls nested more than %d deep", maxCallDepth))
	}
	base := len(x.slab)
	for _, t := range cs.slotTypes {
		x.slab = append(x.slab, zeroValue(t))
	}
	for i, slot := range cs.params {
		if i < len(args) {
			v, err := convertFor(args[i], cs.slotTypes[slot])
			if err != nil {
				x.slab = x.slab[:base]
				return x.fail(fmt.Errorf("argument %d of %s: %v", i+1, cs.name, err))
			}
			x.slab[base+slot] = v
		}
	}
	savedBase := x.base
	x.base = base
	if x.test != nil {
		x.test.calls[cs.name]++
	}
	x.frames = append(x.frames, frame{sub: cs, base: base, node: x.nodeLabel(), id: x.node.ID})
	if x.hooks != nil {
		x.hooks.Enter(x.xp, cs.sub)
	}
	c := x.runBlock(cs.body, 0)
	if c == ctlGoto {
		c = x.fail(fmt.Errorf("goto %s: no such label after this point in %s", x.gotoLabel, cs.name))
	}
	if x.hooks != nil {
		name := "return"
		switch {
		case c == ctlAbort:
			name = "error"
		case c == ctlReturn && x.act != actNone:
			name = x.act.String()
		case cs.builtin:
			name = cs.defAct.String()
		}
		x.hooks.Exit(x.xp, cs.sub, name)
	}
	x.frames = x.frames[:len(x.frames)-1]
	clear(x.slab[base:])
	x.slab = x.slab[:base]
	x.base = savedBase
	return c
}

// runBlock runs a block from statement start. A goto whose label is in
// this block (at any depth) is resolved here; others propagate.
func (x *execState) runBlock(b *cblock, start int) ctl {
	fi := len(x.frames) - 1 // nested calls may move x.frames: index it
	for i := start; i < len(b.stmts); i++ {
		st := b.stmts[i]
		x.frames[fi].cur = st
		if x.hooks != nil {
			x.hooks.Statement(x.xp, st.base().st)
		}
		x.steps++
		if x.steps > maxSteps {
			return x.fail(fmt.Errorf("more than %d statements run: a goto loop?", maxSteps))
		}
		c := st.exec(x)
		for c == ctlGoto {
			idx, ok := b.labels[x.gotoLabel]
			if !ok {
				return c
			}
			label := x.gotoLabel
			x.gotoLabel = ""
			if _, isLabel := b.stmts[idx].(*labelStmt); isLabel {
				c = ctlNext
			} else {
				c = b.stmts[idx].(seeker).seek(x, label)
			}
			i = idx
		}
		if c != ctlNext {
			return c
		}
	}
	return ctlNext
}

// runBlockAt enters a block at a label it holds.
func (x *execState) runBlockAt(b *cblock, label string) ctl {
	idx, ok := b.labels[label]
	if !ok {
		x.gotoLabel = label
		return ctlGoto
	}
	if _, isLabel := b.stmts[idx].(*labelStmt); !isLabel {
		if c := b.stmts[idx].(seeker).seek(x, label); c != ctlNext {
			return c
		}
	}
	return x.runBlock(b, idx+1)
}

func (s *blockStmt) seek(x *execState, label string) ctl   { return x.runBlockAt(s.b, label) }
func (s *includeStmt) seek(x *execState, label string) ctl { return x.runBlockAt(s.b, label) }

func (s *ifStmt) seek(x *execState, label string) ctl {
	if _, ok := s.then.labels[label]; ok {
		return x.runBlockAt(s.then, label)
	}
	if sk, ok := s.els.(seeker); ok {
		return sk.seek(x, label)
	}
	x.gotoLabel = label
	return ctlGoto
}

// event reports an event to the hooks (callers check x.hooks first).
func (x *execState) event(kind, text string) {
	if x.hooks != nil {
		x.hooks.Event(x.xp, kind, text)
	}
}

// now is the virtual time.
func (x *execState) now() time.Time { return x.e.clock.Now() }

// rand is the request's random source, seeded from the engine seed and
// the request's sequence number (created on first use).
func (x *execState) rand() *rand.Rand {
	if x.rnd == nil {
		x.rnd = rand.New(rand.NewSource(x.e.cfg.Seed*1_000_003 + x.seq))
	}
	return x.rnd
}
