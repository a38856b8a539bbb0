package interp

import (
	"errors"
	"net/http"
	"slices"

	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/interp/value"
)

// The running request is what the debugger inspects through Exec.
var _ execImpl = (*execState)(nil)

func (x *execState) stack() []Frame {
	out := make([]Frame, len(x.frames))
	for i, f := range x.frames {
		fr := Frame{Sub: f.sub.sub, Node: f.node, NodeID: f.id, File: f.sub.src}
		if f.cur != nil {
			b := f.cur.base()
			fr.File, fr.Pos = b.src, b.st.Span()
		}
		out[i] = fr
	}
	return out
}

func (x *execState) label() string { return x.sublabel }

func (x *execState) parent() *Exec { return x.parentX }

func (x *execState) get(name string) (value.Value, error) { return x.Variable(name) }

func (x *execState) set(name string, v value.Value) error { return x.SetVariable(name, v) }

func (x *execState) headers(object string) http.Header { return x.Headers(object) }

// eval evaluates an expression typed in the debugger, in the current
// frame: locals of the innermost subroutine are visible.
func (x *execState) eval(src string) (value.Value, error) {
	f := syntax.Parse("<eval>", "log "+src+";")
	if len(f.Errors) > 0 {
		return value.Value{}, f.Errors[0]
	}
	if f.Snippet == nil || len(f.Snippet.Stmts) != 1 {
		return value.Value{}, errors.New("not a single expression")
	}
	ls, ok := f.Snippet.Stmts[0].(*syntax.LogStmt)
	if !ok || ls.Value == nil {
		return value.Value{}, errors.New("not a single expression")
	}
	cs := &csub{name: "<eval>"} // between subroutines: no locals
	if n := len(x.frames); n > 0 {
		cs = x.frames[n-1].sub
	}
	// Compile against a copy: an unknown local must not grow the running
	// subroutine's frame.
	scratch := &csub{name: cs.name, slotNames: slices.Clone(cs.slotNames), slotTypes: slices.Clone(cs.slotTypes)}
	c := &compiler{e: x.e, facts: x.e.prog, sub: scratch, slots: map[string]int{}, src: f.Source}
	for i, n := range cs.slotNames {
		c.slots[n] = i
	}
	ce := c.expr(ls.Value)
	if len(c.errs) > 0 {
		return value.Value{}, errors.New(c.errs[0])
	}
	if len(scratch.slotNames) > len(cs.slotNames) {
		return value.Value{}, errors.New("unknown local variable " + scratch.slotNames[len(cs.slotNames)])
	}
	savedErr := x.err
	v, err := ce.eval(x)
	x.err = savedErr
	return v, err
}

func (x *execState) locals() map[string]value.Value {
	out := map[string]value.Value{}
	if n := len(x.frames); n > 0 {
		f := x.frames[n-1]
		for i, name := range f.sub.slotNames {
			out[name] = x.slab[f.base+i]
		}
	}
	return out
}

func (x *execState) snapshot() Snapshot {
	s := Snapshot{
		State:         x.stateString(),
		Restarts:      x.restarts,
		Clustering:    x.clustered,
		ClusterReason: x.clusterReason,
		DeliveryNode:  x.delivery.ID,
		CurrentNode:   x.node.ID,
		Cache:         x.e.pop.Entries(x.now()),
		Route:         slices.Clone(x.res.Route),
	}
	if x.fetch != nil && x.clustered {
		s.FetchNode = x.fetch.ID
	} else if x.key != "" {
		s.FetchNode = x.e.pop.FetchNode(x.key).ID
	}
	if x.onFetch && x.deliveryReq != nil {
		s.PendingLost = x.req.diff(x.deliveryReq)
	}
	if x.lastBReq != nil {
		b := *x.lastBReq
		s.BackendRequest = &b
	}
	return s
}
