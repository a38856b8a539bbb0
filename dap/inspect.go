package dap

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/google/go-dap"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/cache"
	"github.com/vclide/vclide/interp"
	"github.com/vclide/vclide/interp/value"
)

// handleKind says what a variables reference stands for.
type handleKind int

const (
	hObject     handleKind = iota // an object scope (req, bereq, …)
	hHeaders                      // an object's headers
	hValues                       // the values of a repeated header
	hLocals                       // a frame's local variables
	hCache                        // the Cache scope: one child per node
	hCacheNode                    // one node's cached objects
	hCacheEntry                   // one cached object's facts
	hCluster                      // the Clustering scope
	hLost                         // req changes lost to clustering
	hRoute                        // the route so far
)

// handle is one variables reference of the current stop.
type handle struct {
	kind    handleKind
	obj     string // hObject, hHeaders, hValues
	header  string // hValues
	frame   int    // hObject, hLocals: index from the innermost frame
	node    string // hCacheNode
	entries []cache.Entry
}

// The number of stops and handles is folded into references and frame ids
// so that a reference from an earlier stop is recognised as stale.
const (
	refSpan   = 1 << 16
	frameSpan = 1 << 8
	genWrap   = 30000
)

func (st *stopInfo) newHandle(h handle) int {
	st.handles = append(st.handles, h)
	return (st.gen%genWrap)*refSpan + len(st.handles)
}

func (st *stopInfo) handle(ref int) (handle, error) {
	if ref/refSpan != st.gen%genWrap {
		return handle{}, errStaleID
	}
	i := ref%refSpan - 1
	if i < 0 || i >= len(st.handles) {
		return handle{}, fmt.Errorf("unknown variables reference %d", ref)
	}
	return st.handles[i], nil
}

// waitingFrame offsets the frame ids of threads that wait while another
// one is stopped.
const waitingFrame = frameSpan / 2

func (st *stopInfo) frameID(i int) int { return (st.gen%genWrap)*frameSpan + i + 1 }

// frameIndex turns a frame id into an index from the innermost frame (0
// for a zero id, which clients send to mean "the top frame").
func (st *stopInfo) frameIndex(id int) (int, error) {
	if id == 0 {
		return 0, nil
	}
	if id/frameSpan != st.gen%genWrap {
		return 0, errStaleID
	}
	i := id%frameSpan - 1
	if i >= waitingFrame {
		return 0, errors.New("this frame belongs to a request that waits for the stopped one: select the stopped thread to inspect variables")
	}
	if i < 0 || i >= len(st.frames) {
		return 0, fmt.Errorf("unknown frame id %d", id)
	}
	return i, nil
}

// stack loads the call stack once per stop, innermost frame first.
func (st *stopInfo) stack(x execState) []interp.Frame {
	if st.frames == nil {
		fr := x.Stack()
		st.frames = make([]interp.Frame, len(fr))
		for i := range fr {
			st.frames[i] = fr[len(fr)-1-i]
		}
	}
	return st.frames
}

// subKind is the vcl_* subroutine the request is in: the bottom frame's.
func (st *stopInfo) subKind() (catalog.Sub, bool) {
	if len(st.frames) == 0 {
		return 0, false
	}
	bottom := st.frames[len(st.frames)-1].Sub
	if bottom == nil {
		return 0, false
	}
	if bottom.Builtin {
		return bottom.Kind, true
	}
	if subs := bottom.Scopes.Subs(); len(subs) > 0 {
		return subs[0], true
	}
	return 0, false
}

func (s *Session) onStackTrace(r *dap.StackTraceRequest) {
	var frames []dap.StackFrame
	total := 0
	if err := s.threadError(r.Arguments.ThreadId); err != nil {
		s.sendError(r.Request, errNotStopped, "stackTrace: "+err.Error())
		return
	}
	_, d, _ := s.current()
	err := s.withStop(func(x execState, st *stopInfo) error {
		var stack []interp.Frame
		waiting := r.Arguments.ThreadId != st.thread
		if waiting {
			// Another request of the stopped one's concurrent group: it
			// waits (not started, or parked at its cache lookup) while this
			// one is stopped. Its frames are shown, not inspected.
			stack = d.waitingStack(r.Arguments.ThreadId)
		} else {
			stack = st.stack(x)
		}
		total = len(stack)
		start := min(max(r.Arguments.StartFrame, 0), len(stack))
		end := len(stack)
		if r.Arguments.Levels > 0 {
			end = min(start+r.Arguments.Levels, end)
		}
		for i := start; i < end; i++ {
			fr := stack[i]
			if i == 0 && !waiting && st.reason != nil && st.reason.at != nil && st.reason.at.exitSrc != nil {
				fr.File, fr.Pos = st.reason.at.exitSrc, st.reason.at.exitAt
			}
			f := s.stackFrame(st, i, fr)
			if waiting {
				f.Id = st.frameID(waitingFrame + i)
				f.PresentationHint = "subtle"
			}
			frames = append(frames, f)
		}
		return nil
	})
	if err != nil {
		s.sendError(r.Request, errNotStopped, "stackTrace: "+err.Error())
		return
	}
	if frames == nil {
		frames = []dap.StackFrame{}
	}
	s.respond(r.Request, &dap.StackTraceResponse{Body: dap.StackTraceResponseBody{StackFrames: frames, TotalFrames: total}})
}

// stackFrame describes one frame: the subroutine, its node and position.
func (s *Session) stackFrame(st *stopInfo, i int, f interp.Frame) dap.StackFrame {
	name := "?"
	if f.Sub != nil {
		name = f.Sub.Name
	}
	if f.Node != "" {
		name = fmt.Sprintf("%s [%s %s]", name, f.Node, f.NodeID)
	}
	out := dap.StackFrame{Id: st.frameID(i), Name: name}
	if f.Pos == (syntax.Range{}) && f.Sub != nil && f.Sub.Decl != nil && f.Sub.File != nil {
		// Entering the subroutine: no statement has started yet; point at
		// its declaration.
		f.File, f.Pos = f.Sub.File.Source, f.Sub.Decl.Name.Range
	}
	if f.File != nil {
		start, end := f.File.Position(f.Pos.Start), f.File.Position(f.Pos.End)
		out.Source = s.sourceOf(f.File.Name)
		out.Line, out.Column = start.Line-1+s.lineBase, start.Col-1+s.colBase
		if f.Pos.End > f.Pos.Start {
			out.EndLine, out.EndColumn = end.Line-1+s.lineBase, end.Col-1+s.colBase
		}
	}
	return out
}

// objects lists the VCL objects with their scope names, in display order.
var objects = []struct{ name, title string }{
	{"req", "Request (req)"},
	{"bereq", "Backend request (bereq)"},
	{"beresp", "Backend response (beresp)"},
	{"obj", "Cached object (obj)"},
	{"resp", "Response (resp)"},
}

// requestExtras are shown in the Request scope beside req.*.
var requestExtras = []string{"fastly_info.", "client.ip", "client.identity", "server.identity", "server.datacenter", "now"}

// objVars lists, per object and subroutine, the variables to show. It is
// built on first use, not in an init, so that starting the binary does not
// decode the catalogue.
var objVars = sync.OnceValue(func() map[string]map[catalog.Sub][]*catalog.Variable {
	all := catalog.Variables()
	byObj := map[string]map[catalog.Sub][]*catalog.Variable{}
	for _, o := range objects {
		m := map[catalog.Sub][]*catalog.Variable{}
		for k := catalog.Sub(0); k < catalog.NumSubs; k++ {
			var list []*catalog.Variable
			for _, v := range all {
				if v.Pattern || v.Deprecated || !v.Readable(k) {
					continue
				}
				if strings.HasPrefix(v.Name, o.name+".") || o.name == "req" && isRequestExtra(v.Name) {
					list = append(list, v)
				}
			}
			m[k] = list
		}
		byObj[o.name] = m
	}
	return byObj
})

func isRequestExtra(name string) bool {
	for _, p := range requestExtras {
		if name == p || strings.HasSuffix(p, ".") && strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// objectMarkers are the variables whose availability says that an object
// exists in a subroutine: its headers, or (for obj in vcl_deliver and
// vcl_log) its hit count.
var objectMarkers = map[string][]string{
	"req":    {"req.http.X"},
	"bereq":  {"bereq.http.X"},
	"beresp": {"beresp.http.X"},
	"obj":    {"obj.http.X", "obj.hits"},
	"resp":   {"resp.http.X"},
}

// hasObject reports whether an object exists in subroutine k.
func hasObject(obj string, k catalog.Sub) bool {
	for _, name := range objectMarkers[obj] {
		if v, ok := catalog.LookupVariable(name); ok && v.Readable(k) {
			return true
		}
	}
	return false
}

func (s *Session) onScopes(r *dap.ScopesRequest) {
	var scopes []dap.Scope
	err := s.withStop(func(x execState, st *stopInfo) error {
		st.stack(x)
		fi, err := st.frameIndex(r.Arguments.FrameId)
		if err != nil {
			return err
		}
		if fi == 0 {
			if len(x.Locals()) > 0 {
				scopes = append(scopes, dap.Scope{Name: "Locals", PresentationHint: "locals", VariablesReference: st.newHandle(handle{kind: hLocals, frame: fi})})
			}
		}
		kind, ok := st.subKind()
		for _, o := range objects {
			if o.name == "req" || ok && hasObject(o.name, kind) {
				scopes = append(scopes, dap.Scope{Name: o.title, VariablesReference: st.newHandle(handle{kind: hObject, obj: o.name, frame: fi})})
			}
		}
		scopes = append(scopes,
			dap.Scope{Name: "Cache", VariablesReference: st.newHandle(handle{kind: hCache})},
			dap.Scope{Name: "Clustering", VariablesReference: st.newHandle(handle{kind: hCluster})},
		)
		return nil
	})
	if err != nil {
		s.sendError(r.Request, errNotStopped, "scopes: "+err.Error())
		return
	}
	s.respond(r.Request, &dap.ScopesResponse{Body: dap.ScopesResponseBody{Scopes: scopes}})
}

func (s *Session) onVariables(r *dap.VariablesRequest) {
	var vars []dap.Variable
	err := s.withStop(func(x execState, st *stopInfo) error {
		h, err := st.handle(r.Arguments.VariablesReference)
		if err != nil {
			return err
		}
		st.stack(x)
		if filterAllows(r.Arguments.Filter, h.kind) {
			vars = s.children(x, st, h)
		}
		return nil
	})
	if err != nil {
		s.sendError(r.Request, errNotStopped, "variables: "+err.Error())
		return
	}
	if vars == nil {
		vars = []dap.Variable{}
	}
	if a := r.Arguments; a.Count > 0 || a.Start > 0 {
		start := min(a.Start, len(vars))
		end := len(vars)
		if a.Count > 0 {
			end = min(start+a.Count, end)
		}
		vars = vars[start:end]
	}
	s.respond(r.Request, &dap.VariablesResponse{Body: dap.VariablesResponseBody{Variables: vars}})
}

// indexedKinds are the handles whose children are indexed (a repeated
// header's values, the route); all others have named children.
var indexedKinds = map[handleKind]bool{hValues: true, hRoute: true}

// filterAllows applies the variables request's filter: "indexed" or
// "named" children only ("" for both).
func filterAllows(filter string, k handleKind) bool {
	switch filter {
	case "indexed":
		return indexedKinds[k]
	case "named":
		return !indexedKinds[k]
	}
	return true
}

// children lists the variables under a handle.
func (s *Session) children(x execState, st *stopInfo, h handle) []dap.Variable {
	switch h.kind {
	case hObject:
		return objectVars(x, st, h)
	case hHeaders:
		return headerVars(x, st, h.obj, s.headerSpelling())
	case hValues:
		vals := x.Headers(h.obj)[h.header]
		out := make([]dap.Variable, len(vals))
		for i, v := range vals {
			out[i] = dap.Variable{Name: strconv.Itoa(i), Value: strconv.Quote(v), Type: "STRING"}
		}
		return out
	case hLocals:
		locals := x.Locals()
		names := make([]string, 0, len(locals))
		for n := range locals {
			names = append(names, n)
		}
		sort.Strings(names)
		out := make([]dap.Variable, 0, len(names))
		for _, n := range names {
			full := n
			if !strings.HasPrefix(full, "var.") {
				full = "var." + full
			}
			out = append(out, valueVar(full, full, locals[n]))
		}
		return out
	case hCache:
		return cacheVars(x, st)
	case hCacheNode:
		return cacheNodeVars(st, h)
	case hCacheEntry:
		return cacheEntryVars(h.entries[0])
	case hCluster:
		return clusterVars(x, st)
	case hLost:
		snap := x.Snapshot()
		out := make([]dap.Variable, 0, len(snap.PendingLost))
		for _, n := range snap.PendingLost {
			v := dap.Variable{Name: n, EvaluateName: n, Value: "(changed)"}
			if val, err := x.Get(n); err == nil {
				v.Value, v.Type = formatValue(val), val.T.String()
			}
			out = append(out, v)
		}
		return out
	case hRoute:
		snap := x.Snapshot()
		out := make([]dap.Variable, len(snap.Route))
		for i, r := range snap.Route {
			out[i] = dap.Variable{Name: strconv.Itoa(i + 1), Value: fmt.Sprintf("%s on %s (%s) → %s", r.Sub, r.NodeID, r.Node, r.Return)}
		}
		return out
	}
	return nil
}

// objectVars lists an object's headers (as a child) and variables.
func objectVars(x execState, st *stopInfo, h handle) []dap.Variable {
	var out []dap.Variable
	if hdr := x.Headers(h.obj); hdr != nil {
		out = append(out, dap.Variable{
			Name: h.obj + ".http", Value: fmt.Sprintf("%d header(s)", len(hdr)), EvaluateName: h.obj + ".http",
			VariablesReference: st.newHandle(handle{kind: hHeaders, obj: h.obj}), NamedVariables: len(hdr),
		})
	}
	kind, ok := st.subKind()
	if !ok {
		kind = catalog.SubRecv
	}
	shown := map[string]bool{}
	for _, cv := range objVars()[h.obj][kind] {
		v, err := x.Get(cv.Name)
		if err != nil {
			continue
		}
		shown[cv.Name] = true
		out = append(out, valueVar(cv.Name, cv.Name, v))
	}
	if h.obj == "req" {
		// The request's progress, wherever VCL itself may read it or not.
		for _, name := range requestAlways {
			if shown[name] {
				continue
			}
			if v, err := x.Get(name); err == nil {
				out = append(out, valueVar(name, name, v))
			}
		}
	}
	return out
}

// requestAlways are shown in the Request scope in every subroutine.
var requestAlways = []string{"req.hash", "req.restarts", "fastly_info.state", "req.url", "req.method"}

// headerVars lists an object's headers by name; a repeated header gets its
// values as children.
func headerVars(x execState, st *stopInfo, obj string, spelling map[string]string) []dap.Variable {
	hdr := x.Headers(obj)
	names := make([]string, 0, len(hdr))
	for n := range hdr {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]dap.Variable, 0, len(names))
	for _, n := range names {
		vals := hdr[n]
		// The name as the VCL writes it (X-PreFetch-Miss), not Go's
		// canonical form (X-Prefetch-Miss).
		shown := n
		if w, ok := spelling[n]; ok {
			shown = w
		}
		v := dap.Variable{Name: shown, Value: strconv.Quote(strings.Join(vals, ", ")), Type: "STRING", EvaluateName: obj + ".http." + shown}
		if len(vals) > 1 {
			v.VariablesReference = st.newHandle(handle{kind: hValues, obj: obj, header: n})
			v.IndexedVariables = len(vals)
		}
		out = append(out, v)
	}
	return out
}

// valueVar describes one VCL value.
func valueVar(name, evalName string, v value.Value) dap.Variable {
	return dap.Variable{Name: name, Value: formatValue(v), Type: v.T.String(), EvaluateName: evalName}
}

// formatValue renders a value for the UI: strings quoted, a not-set string
// as (not set), everything else in Fastly's string form.
func formatValue(v value.Value) string {
	switch v.T {
	case catalog.TypeString:
		if v.NotSet {
			return "(not set)"
		}
		return strconv.Quote(v.Str)
	case catalog.TypeBool:
		if v.Bool {
			return "true"
		}
		return "false"
	case catalog.TypeRTime:
		return v.String() + "s"
	case catalog.TypeIP:
		if v.NotSet || !v.IP.IsValid() {
			return "(not set)"
		}
	}
	return v.String()
}

func cacheVars(x execState, st *stopInfo) []dap.Variable {
	snap := x.Snapshot()
	byNode := map[string][]cache.Entry{}
	for _, e := range snap.Cache {
		byNode[e.Node] = append(byNode[e.Node], e)
	}
	nodes := make([]string, 0, len(byNode))
	for n := range byNode {
		nodes = append(nodes, n)
	}
	sort.Strings(nodes)
	out := make([]dap.Variable, 0, len(nodes))
	for _, n := range nodes {
		role := ""
		switch n {
		case snap.DeliveryNode:
			role = " (delivery)"
		case snap.FetchNode:
			role = " (fetch)"
		}
		out = append(out, dap.Variable{
			Name: n + role, Value: fmt.Sprintf("%d object(s)", len(byNode[n])),
			VariablesReference: st.newHandle(handle{kind: hCacheNode, node: n, entries: byNode[n]}), NamedVariables: len(byNode[n]),
		})
	}
	if len(out) == 0 {
		out = append(out, dap.Variable{Name: "(empty)", Value: "no cached objects on any node"})
	}
	return out
}

func cacheNodeVars(st *stopInfo, h handle) []dap.Variable {
	out := make([]dap.Variable, 0, len(h.entries))
	for _, e := range h.entries {
		name := e.Key
		if e.VariantKey != "" {
			name += " [" + e.VariantKey + "]"
		}
		summary := fmt.Sprintf("%d %s, ttl %s, age %s, hits %d", e.Status, e.Phase, e.TTLLeft, e.Age, e.Hits)
		if e.HitForPass {
			summary = fmt.Sprintf("hit-for-pass, ttl %s", e.TTLLeft)
		}
		out = append(out, dap.Variable{Name: name, Value: summary, VariablesReference: st.newHandle(handle{kind: hCacheEntry, entries: []cache.Entry{e}})})
	}
	return out
}

func cacheEntryVars(e cache.Entry) []dap.Variable {
	kv := func(n, v string) dap.Variable { return dap.Variable{Name: n, Value: v} }
	out := []dap.Variable{
		kv("key", strconv.Quote(e.Key)),
		kv("status", strconv.Itoa(e.Status)),
		kv("phase", e.Phase.String()),
		kv("ttl left", e.TTLLeft.String()),
		kv("age", e.Age.String()),
		kv("stale-while-revalidate", e.StaleWhileRevalidate.String()),
		kv("stale-if-error", e.StaleIfError.String()),
		kv("stale left", e.StaleLeft.String()),
		kv("hit-for-pass", strconv.FormatBool(e.HitForPass)),
		kv("hits", strconv.Itoa(e.Hits)),
	}
	if e.VariantKey != "" {
		out = append(out, kv("variant", strconv.Quote(e.VariantKey)))
	}
	if len(e.SurrogateKeys) > 0 {
		out = append(out, kv("surrogate keys", strings.Join(e.SurrogateKeys, " ")))
	}
	if e.SoftPurged {
		out = append(out, kv("soft purged", "true"))
	}
	return out
}

func clusterVars(x execState, st *stopInfo) []dap.Variable {
	snap := x.Snapshot()
	kv := func(n, v string) dap.Variable { return dap.Variable{Name: n, Value: v} }
	reason := snap.ClusterReason
	if reason == "" {
		reason = "(none)"
	}
	out := []dap.Variable{
		kv("clustering", strconv.FormatBool(snap.Clustering)),
		kv("reason", reason),
		kv("delivery node", snap.DeliveryNode),
		kv("fetch node", orNone(snap.FetchNode)),
		kv("current node", snap.CurrentNode),
		kv("fastly_info.state", strconv.Quote(snap.State)),
		kv("req.restarts", strconv.Itoa(snap.Restarts)),
	}
	lost := dap.Variable{Name: "lost on return to delivery", Value: "none"}
	if n := len(snap.PendingLost); n > 0 {
		lost.Value = strings.Join(snap.PendingLost, ", ")
		lost.VariablesReference = st.newHandle(handle{kind: hLost})
		lost.NamedVariables = n
	}
	out = append(out, lost)
	route := dap.Variable{Name: "route", Value: fmt.Sprintf("%d subroutine(s)", len(snap.Route))}
	if len(snap.Route) > 0 {
		route.VariablesReference = st.newHandle(handle{kind: hRoute})
		route.IndexedVariables = len(snap.Route)
	}
	out = append(out, route)
	if b := snap.BackendRequest; b != nil {
		out = append(out, kv("backend request", fmt.Sprintf("%s %s %s (host %s)", b.Backend, b.Method, b.URL, b.Host)))
	}
	return out
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// ---------------------------------------------------------------------------
// Evaluate and set

// objectRef returns a handle for an expression that names a whole object
// ("req") or its headers ("req.http").
func objectRef(expr string) (handle, bool) {
	for _, o := range objects {
		switch expr {
		case o.name:
			return handle{kind: hObject, obj: o.name}, true
		case o.name + ".http":
			return handle{kind: hHeaders, obj: o.name}, true
		}
	}
	return handle{}, false
}

// isName reports whether expr is a plain variable name (what hovering
// sends), so that hovers never run function calls.
func isName(expr string) bool {
	if expr == "" {
		return false
	}
	for _, c := range expr {
		if !(c == '.' || c == '_' || c == '-' || c == ':' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

func (s *Session) onEvaluate(r *dap.EvaluateRequest) {
	a := r.Arguments
	expr := strings.TrimSpace(a.Expression)
	if a.Context != "repl" {
		expr = strings.TrimSuffix(expr, ";")
	}
	if a.Context == "hover" && !isName(expr) {
		s.sendError(r.Request, errEvaluate, "not a variable")
		return
	}
	var body dap.EvaluateResponseBody
	err := s.withStop(func(x execState, st *stopInfo) error {
		st.stack(x)
		fi, err := st.frameIndex(a.FrameId)
		if err != nil {
			return err
		}
		if fi > 0 && strings.Contains(expr, "var.") {
			return errors.New("local variables of outer frames are not available: select the top frame")
		}
		if h, ok := objectRef(expr); ok {
			h.frame = fi
			body.Result = expr
			body.VariablesReference = st.newHandle(h)
			return nil
		}
		prog := s.loadedProgram()
		scope := frameScope(st, fi)
		if a.Context == "repl" && isStatement(expr) {
			f, err := checkStmt(prog, scope, expr)
			if err != nil {
				return err
			}
			v, err := s.runStatement(x, f)
			if err != nil {
				return err
			}
			body.Result, body.Type = formatValue(v), v.T.String()
			return nil
		}
		f, err := checkExpr(prog, scope, strings.TrimSuffix(expr, ";"), catalog.TypeUnknown)
		if err != nil {
			return err
		}
		v, err := f.eval(x)
		if err != nil {
			return err
		}
		body.Result, body.Type = f.present(v)
		return nil
	})
	if err != nil {
		s.sendError(r.Request, errEvaluate, err.Error())
		return
	}
	s.respond(r.Request, &dap.EvaluateResponse{Body: body})
}

// runStatement runs a checked console statement and records it, so that
// re-runs (stepBack) repeat it at this point; it returns the changed
// variable's new value.
func (s *Session) runStatement(x execState, f *fragment) (value.Value, error) {
	if err := x.ExecChecked(f.stmt, f.src, f.facts); err != nil {
		return value.Value{}, userError(err)
	}
	s.mu.Lock()
	d := s.d
	s.mu.Unlock()
	if d != nil {
		d.recordStmt(f)
	}
	v, err := x.Get(f.target())
	if err != nil {
		return value.String("(changed)"), nil
	}
	return v, nil
}

// assign sets a variable from the text the user typed: a VCL expression,
// checked in the stop's scope. With literal (edits in the Variables view),
// text for a string variable that is not quoted is taken as it is. The
// change is recorded so that re-runs (stepBack) repeat it.
func (s *Session) assign(x execState, st *stopInfo, fi int, name, text string, literal bool) (value.Value, error) {
	var v value.Value
	cur, gerr := x.Get(name)
	quoted := strings.HasPrefix(text, `"`) || strings.HasPrefix(text, "{")
	if literal && gerr == nil && cur.T == catalog.TypeString && !quoted {
		v = value.String(text)
	} else {
		want := catalog.TypeUnknown
		if gerr == nil {
			want = cur.T
		}
		f, err := checkExpr(s.loadedProgram(), frameScope(st, fi), text, want)
		if err != nil {
			return value.Value{}, fmt.Errorf("%s: %v", text, err)
		}
		if v, err = f.eval(x); err != nil {
			return value.Value{}, fmt.Errorf("%s: %v", text, err)
		}
	}
	if err := x.Set(name, v); err != nil {
		return value.Value{}, userError(err)
	}
	s.mu.Lock()
	d := s.d
	s.mu.Unlock()
	if d != nil {
		d.recordEdit(name, v)
	}
	if nv, err := x.Get(name); err == nil {
		return nv, nil
	}
	return v, nil
}

func (s *Session) onSetVariable(r *dap.SetVariableRequest) {
	a := r.Arguments
	var out value.Value
	err := s.withStop(func(x execState, st *stopInfo) error {
		h, err := st.handle(a.VariablesReference)
		if err != nil {
			return err
		}
		var name string
		switch h.kind {
		case hObject, hLocals, hLost:
			name = a.Name
		case hHeaders:
			name = h.obj + ".http." + a.Name
		default:
			return fmt.Errorf("%s cannot be changed", a.Name)
		}
		if h.kind == hLocals && !strings.HasPrefix(name, "var.") {
			name = "var." + name
		}
		st.stack(x)
		out, err = s.assign(x, st, h.frame, name, a.Value, true)
		return err
	})
	if err != nil {
		s.sendError(r.Request, errEvaluate, "setVariable: "+err.Error())
		return
	}
	s.respond(r.Request, &dap.SetVariableResponse{Body: dap.SetVariableResponseBody{Value: formatValue(out), Type: out.T.String()}})
}

func (s *Session) onSetExpression(r *dap.SetExpressionRequest) {
	a := r.Arguments
	var out value.Value
	err := s.withStop(func(x execState, st *stopInfo) error {
		st.stack(x)
		fi, err := st.frameIndex(a.FrameId)
		if err != nil {
			return err
		}
		name := strings.TrimSpace(a.Expression)
		if fi > 0 && strings.HasPrefix(name, "var.") {
			return errors.New("local variables of outer frames are not available: select the top frame")
		}
		out, err = s.assign(x, st, fi, name, a.Value, true)
		return err
	})
	if err != nil {
		s.sendError(r.Request, errEvaluate, "setExpression: "+err.Error())
		return
	}
	s.respond(r.Request, &dap.SetExpressionResponse{Body: dap.SetExpressionResponseBody{Value: formatValue(out), Type: out.T.String()}})
}

func (s *Session) onExceptionInfo(r *dap.ExceptionInfoRequest) {
	s.mu.Lock()
	cur := s.cur
	s.mu.Unlock()
	if cur == nil || cur.reason.exc == nil {
		s.sendError(r.Request, errNotStopped, "exceptionInfo: not stopped on an exception")
		return
	}
	e := cur.reason.exc
	s.respond(r.Request, &dap.ExceptionInfoResponse{Body: dap.ExceptionInfoResponseBody{
		ExceptionId: e.filter, Description: e.description, BreakMode: "always",
	}})
}

func (s *Session) onSource(r *dap.SourceRequest) {
	path := ""
	if r.Arguments.Source != nil {
		path = r.Arguments.Source.Path
	}
	ref := r.Arguments.SourceReference
	if r.Arguments.Source != nil && r.Arguments.Source.SourceReference > 0 {
		ref = r.Arguments.Source.SourceReference
	}
	if path == "" && ref > 0 {
		text, ok := s.sourceByReference(ref)
		if !ok {
			s.sendError(r.Request, errBadRequest, "source: no such source reference in the launched program")
			return
		}
		s.respond(r.Request, &dap.SourceResponse{Body: dap.SourceResponseBody{Content: text, MimeType: "text/x-vcl"}})
		return
	}
	if path == "" {
		s.sendError(r.Request, errBadRequest, "source: no path")
		return
	}
	text, err := s.readSource(path)
	if err != nil {
		s.sendError(r.Request, errBadRequest, "source: "+err.Error())
		return
	}
	s.respond(r.Request, &dap.SourceResponse{Body: dap.SourceResponseBody{Content: text, MimeType: "text/x-vcl"}})
}
