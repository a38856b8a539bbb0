// Package interp executes a checked VCL program (from package analysis) the
// way Fastly does: one client request goes through vcl_recv → hash →
// hit/miss/pass → fetch → error → deliver → log on a simulated POP (package
// cache), with clustering between a delivery node and a fetch node,
// restarts, the #FASTLY macros, builtin functions (package builtin) and a
// virtual clock. Debugger hooks observe every statement.
//
// This file is the contract between the engine, the scenario runner and
// command-line front ends, and the debug adapter.
package interp

import (
	"context"
	"net/http"
	"net/netip"
	"time"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/cache"
	"github.com/vclide/vclide/interp/value"
)

// Config sets up an Engine.
type Config struct {
	// Program is the checked program to run; it must have no error
	// diagnostics.
	Program *analysis.Program
	// Nodes is the number of cache nodes in the POP (default 4).
	Nodes int
	// Seed drives the choice of delivery node and every random function.
	Seed int64
	// Clustering enables the delivery/fetch node split (default on: set
	// DisableClustering to turn it off).
	DisableClustering bool
	// Clock is the virtual clock (default: a clock at cache.Epoch).
	Clock *cache.VirtualClock
	// Backends maps backend names (as declared in VCL, or any name) to an
	// origin. Backends declared in VCL without an entry here use Fallback.
	Backends map[string]Origin
	// Fallback answers for backends with no entry (default: the embedded
	// origin: 200, a small body, Cache-Control: max-age=120).
	Fallback Origin
	// Hooks observe execution (nil: none; the fast path checks for nil).
	Hooks Hooks
	// KeepExpired is how long an expired object that carries ETag or
	// Last-Modified stays in a node's cache after its stale windows, so
	// that the next request revalidates it with a conditional fetch.
	// Zero means DefaultKeepExpired; a negative value keeps nothing.
	// Fastly's documentation leaves this to cache eviction (see
	// cache.Store.SetKeepExpired).
	KeepExpired time.Duration
	// Tests implements testing.* and assert.* for unit tests (see
	// NewTestExec); nil outside the test runner.
	Tests TestFuncs
}

// DefaultKeepExpired is the simulator's choice for Config.KeepExpired: one
// hour, about the lifetime under which Fastly keeps objects in memory only
// (Fastly community answer "Why isn't serve stale working as expected?":
// objects with TTLs above 3700s are written to disk).
const DefaultKeepExpired = time.Hour

// Origin answers backend requests: a real HTTP origin, scenario mocks, or
// the embedded origin.
type Origin interface {
	// RoundTrip performs one backend request. A connection failure or a
	// timeout is returned as an error (the engine then takes the 503 path
	// through vcl_error without vcl_fetch).
	RoundTrip(ctx context.Context, req *BackendRequest) (*BackendResponse, error)
}

// BackendRequest is what the engine sends to an origin (from bereq).
type BackendRequest struct {
	Backend string // backend name
	Method  string
	URL     string // path and query
	Host    string
	Header  http.Header
	Body    []byte
	// Addr is the host:port the VCL declares for the backend, and SSL its
	// .ssl setting; Addr is empty for a service backend. Only an origin
	// the user opted into (--origin declared) connects there.
	Addr string
	SSL  bool
	// Timeouts from the backend declaration (zero: defaults).
	ConnectTimeout, FirstByteTimeout, BetweenBytesTimeout time.Duration
	// Now is the virtual time of the request (mock sequences use it).
	Now time.Time
}

// BackendResponse is an origin's answer.
type BackendResponse struct {
	Status int
	// Reason is the reason phrase of the origin's status line (empty: the
	// standard one for Status); it becomes beresp.response.
	Reason string
	Header http.Header
	Body   []byte
	// Delay is how long the origin took (virtual time; added to the clock
	// for mocks, measured for real origins).
	Delay time.Duration
}

// Request is one client request.
type Request struct {
	Method   string
	URL      string // path and query, e.g. "/a?b=c"
	Header   http.Header
	Body     []byte
	ClientIP netip.Addr // default 192.0.2.1
	// Host defaults to the Host header or "example.com".
	TLS bool
}

// Response is what the client receives.
type Response struct {
	Status int
	// Reason is the reason phrase of the status line (resp.response, as
	// set by `error 299 "Cheers!"`, obj.response or resp.response).
	Reason string
	Header http.Header
	Body   []byte
}

// RouteStep is one subroutine run: which, on which node, and how it ended.
type RouteStep struct {
	Sub    string `json:"sub"`    // "vcl_recv"
	Node   string `json:"node"`   // "delivery" or "fetch"
	NodeID string `json:"nodeId"` // e.g. "cache-sim2"
	Return string `json:"return"` // the action taken ("lookup", "error", …)
}

// BackendCall records one backend request and its outcome.
type BackendCall struct {
	Backend string `json:"backend"`
	Method  string `json:"method"`
	URL     string `json:"url"`
	Status  int    `json:"status"` // 0 when the request failed
	Error   string `json:"error,omitempty"`
}

// ClusterEvent records a hand-off between the delivery and fetch node.
type ClusterEvent struct {
	// Kind is "to-fetch" or "to-delivery", or "off" when clustering was
	// disabled for the request (Reason says why).
	Kind   string `json:"kind"`
	From   string `json:"from"`
	To     string `json:"to"`
	Reason string `json:"reason,omitempty"`
	// Lost lists the req variables changed on the fetch node that the
	// delivery node does not see ("req.http.X-Route").
	Lost []string `json:"lost,omitempty"`
}

// CacheEvent is a cache operation observed during the request.
type CacheEvent struct {
	Kind   string `json:"kind"` // lookup-hit, lookup-miss, lookup-stale, lookup-hitpass, store, store-hfp, refresh, purge, collapse-wait
	Node   string `json:"node"`
	Key    string `json:"key"`
	Detail string `json:"detail,omitempty"`
}

// Result is the outcome of one request.
type Result struct {
	Request         Request
	Response        Response
	State           string // final fastly_info.state
	Restarts        int
	Route           []RouteStep
	Logs            []string
	BackendRequests []BackendCall
	Cache           []CacheEvent
	Cluster         []ClusterEvent
	// Notes are one-line remarks about the run, such as the first use of
	// a service backend and who answers it.
	Notes []string
	// Background lists the background fetches this request started (a
	// stale-while-revalidate hit starts one); they run after the client
	// response is sent.
	Background []*BackgroundFetch
	// ESI lists the <esi:include> subrequests made while delivering this
	// response, in page order (each with its own Result).
	ESI []*ESIInclude
	// Err is a runtime error that ended the request (it also produced a
	// 503 response); nil on success.
	Err error
}

// BackgroundFetch is one asynchronous revalidation: the fetch Fastly starts
// on the node that served a stale-while-revalidate hit. It runs vcl_miss
// and then vcl_fetch (or, on a 304, refreshes the object without
// vcl_fetch), and updates that node's cache; nothing it does reaches the
// client that triggered it.
type BackgroundFetch struct {
	// Method and URL are those of the backend request's origin (req).
	Method string
	URL    string
	// Node is the ID of the node that ran the fetch.
	Node            string
	Route           []RouteStep
	Cache           []CacheEvent
	BackendRequests []BackendCall
	Logs            []string
	// Err is a runtime error that ended the fetch; nil on success.
	Err error
}

// Label is how the fetch is named in output and in the debugger:
// "background fetch GET /x".
func (b *BackgroundFetch) Label() string { return "background fetch " + b.Method + " " + b.URL }

// Frame is one entry of the VCL call stack seen by hooks and the debugger.
type Frame struct {
	Sub  *analysis.Sub
	Node string // "delivery" or "fetch"
	// NodeID names the cache node.
	NodeID string
	// File and Pos locate the statement being executed.
	File *syntax.Source
	Pos  syntax.Range
}

// Hooks observe execution. Every method is called synchronously on the
// request's goroutine; a debugger blocks inside them to pause. Implementations
// must be cheap when nothing is watched.
type Hooks interface {
	// Statement is called before each statement runs.
	Statement(x *Exec, st syntax.Stmt)
	// Enter is called when a subroutine starts (after the frame is pushed).
	Enter(x *Exec, sub *analysis.Sub)
	// Exit is called when a subroutine ends, with its return action.
	Exit(x *Exec, sub *analysis.Sub, action string)
	// Event is called for route, cluster, cache, log, restart and error
	// events, with a one-line description.
	Event(x *Exec, kind, text string)
}

// Exec is the live state of one request. The debugger reads (and sets)
// variables through it while the request is paused in a hook.
type Exec struct {
	impl execImpl
}

// execImpl is implemented by the engine's request state.
type execImpl interface {
	stack() []Frame
	get(name string) (value.Value, error)
	set(name string, v value.Value) error
	eval(expr string) (value.Value, error)
	headers(object string) http.Header
	locals() map[string]value.Value
	snapshot() Snapshot
	label() string
	parent() *Exec
}

// Label names the work this Exec runs: "" for a client request,
// "background fetch GET /x" for a background fetch, "esi GET /frag" for an
// ESI subrequest.
func (x *Exec) Label() string { return x.impl.label() }

// Parent is the Exec of the request that started this one (a background
// fetch or an ESI subrequest), or nil for a client request.
func (x *Exec) Parent() *Exec { return x.impl.parent() }

// SubrequestHooks is implemented by Hooks that want to know when work with
// its own Exec starts and ends inside a request: a background fetch or an
// ESI subrequest. Statement, Enter, Exit and Event are then called with the
// child's Exec between the two calls.
type SubrequestHooks interface {
	// SubrequestStart is called before the child runs its first subroutine.
	SubrequestStart(parent, child *Exec)
	// SubrequestEnd is called after the child's last subroutine.
	SubrequestEnd(parent, child *Exec)
}

// Stack returns the call stack, innermost frame last.
func (x *Exec) Stack() []Frame { return x.impl.stack() }

// Get reads a variable by VCL name ("req.url", "var.x", "req.http.Host").
func (x *Exec) Get(name string) (value.Value, error) { return x.impl.get(name) }

// Set assigns a variable by VCL name, with the same rules as `set`.
func (x *Exec) Set(name string, v value.Value) error { return x.impl.set(name, v) }

// Eval evaluates a VCL expression in the current frame.
func (x *Exec) Eval(expr string) (value.Value, error) { return x.impl.eval(expr) }

// Headers returns the header map of "req", "bereq", "beresp", "obj" or
// "resp" (nil when unavailable in the current subroutine).
func (x *Exec) Headers(object string) http.Header { return x.impl.headers(object) }

// Locals returns the current frame's local variables.
func (x *Exec) Locals() map[string]value.Value { return x.impl.locals() }

// Snapshot returns the facts the debugger shows beside variables.
func (x *Exec) Snapshot() Snapshot { return x.impl.snapshot() }

// Snapshot is the request's position in the POP and its cache view.
type Snapshot struct {
	State          string // fastly_info.state so far
	Restarts       int
	Clustering     bool
	ClusterReason  string
	DeliveryNode   string
	FetchNode      string
	CurrentNode    string
	PendingLost    []string // req changes that will be lost on return to the delivery node
	Cache          []cache.Entry
	Route          []RouteStep
	BackendRequest *BackendRequest
}
