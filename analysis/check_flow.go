package analysis

import (
	"strings"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// fetchNodeSubs run on the fetch node when clustering is on.
var fetchNodeSubs = catalog.SetOf(catalog.SubHit, catalog.SubMiss, catalog.SubPass, catalog.SubFetch)

// normalizeVar makes header names case-insensitive for comparisons.
func normalizeVar(name string) string {
	if i := strings.Index(name, ".http."); i >= 0 {
		return name[:i+6] + strings.ToLower(name[i+6:])
	}
	return name
}

// noteReq records req.* writes and reads for the clustering checks.
func (c *checker) noteReq(id *syntax.Ident, mode access) {
	name := id.Name
	if i := strings.IndexByte(name, ':'); i >= 0 && mode == accRead {
		name = name[:i]
	}
	switch name {
	case "req.restarts", "req.hash", "req.digest", "req.is_ssl", "req.protocol", "req.proto", "req.xid", "req.topurl",
		"req.body", "req.postbody", "req.body.base64", "req.is_ipv6", "req.header_bytes_read", "req.bytes_read", "req.is_purge",
		"req.vcl", "req.vcl.generation", "req.vcl.version", "req.vcl.md5", "req.service_id", "req.customer_id", "req.is_background_fetch":
		return
	}
	// Only accesses that can take part in a clustering warning are kept:
	// writes where the fetch node may run, reads on the delivery node.
	if mode == accRead {
		if c.scopes&catalog.SetOf(catalog.SubDeliver, catalog.SubRecv) == 0 {
			return
		}
	} else if c.scopes&(fetchNodeSubs|catalog.SetOf(catalog.SubError)) == 0 {
		return
	}
	a := reqAccess{id: id, src: c.file.Source, scopes: c.scopes}
	if mode == accRead {
		c.reqReads = append(c.reqReads, a)
	} else {
		c.reqWrites = append(c.reqWrites, a)
	}
}

// noteFirstPass records `if (req.restarts == 0) { set req.backend = …; }`.
func (c *checker) noteFirstPass(s *syntax.IfStmt) {
	if !firstPassCond(s.Cond) {
		return
	}
	for _, st := range s.Then.Stmts {
		if set, ok := st.(*syntax.SetStmt); ok && set.Target.Name == "req.backend" {
			c.firstPass = append(c.firstPass, firstPassSet{loc: c.loc(set.Target.Range)})
		}
	}
}

func firstPassCond(e syntax.Expr) bool {
	for {
		p, ok := e.(*syntax.ParenExpr)
		if !ok {
			break
		}
		e = p.X
	}
	switch e := e.(type) {
	case *syntax.BinaryExpr:
		if e.Op == syntax.LAND {
			// Down the && chain by iteration: it may be very long.
			for {
				if firstPassCond(e.Y) {
					return true
				}
				x, ok := e.X.(*syntax.BinaryExpr)
				if !ok || x.Op != syntax.LAND {
					return firstPassCond(e.X)
				}
				e = x
			}
		}
		id, ok := e.X.(*syntax.Ident)
		if !ok || id.Name != "req.restarts" {
			return false
		}
		n, ok := e.Y.(*syntax.IntLit)
		if !ok {
			return false
		}
		return e.Op == syntax.EQL && n.Value == 0 || e.Op == syntax.LSS && n.Value == 1 || e.Op == syntax.LEQ && n.Value == 0
	case *syntax.UnaryExpr:
		id, ok := e.X.(*syntax.Ident)
		return e.Op == syntax.NOT && ok && id.Name == "req.restarts"
	}
	return false
}

// checkClustering warns about req changes made on the fetch node that a
// later read on the delivery node (vcl_deliver, or vcl_recv after a
// restart) expects to see (semantics.md §3, rule 2).
func (c *checker) checkClustering() {
	if !c.gatherFlow() {
		return
	}
	for i := range c.reqWrites {
		c.reqWrites[i].name = normalizeVar(c.reqWrites[i].id.Name)
	}
	for i := range c.reqReads {
		name := c.reqReads[i].id.Name
		if j := strings.IndexByte(name, ':'); j >= 0 {
			name = name[:j] // a subfield read reads the header
		}
		c.reqReads[i].name = normalizeVar(name)
	}
	// vcl_error runs on the fetch node when an error is raised there.
	onFetch := fetchNodeSubs
	for _, e := range c.errors {
		if e.scopes&fetchNodeSubs != 0 {
			onFetch = onFetch.With(catalog.SubError)
			break
		}
	}
	var fetchRestart *flowPoint
	for i, r := range c.restarts {
		if r.scopes&onFetch != 0 {
			fetchRestart = &c.restarts[i]
			break
		}
	}
	type key struct {
		name string
		loc  Location
	}
	done := map[key]bool{}
	for _, w := range c.reqWrites {
		if w.scopes&onFetch == 0 {
			continue
		}
		k := key{w.name, w.loc()}
		if done[k] {
			continue
		}
		var related []Related
		for _, r := range c.reqReads {
			if r.name != w.name {
				continue
			}
			switch {
			case r.scopes.Has(catalog.SubDeliver):
				related = append(related, Related{File: r.src, Range: r.id.Range, Message: "read here in vcl_deliver, on the delivery node"})
			case r.scopes.Has(catalog.SubRecv) && fetchRestart != nil:
				related = append(related, Related{File: r.src, Range: r.id.Range, Message: "read here in vcl_recv after a restart"})
			}
			if len(related) >= 3 {
				break
			}
		}
		if len(related) == 0 {
			continue
		}
		done[k] = true
		where := (w.scopes & onFetch).String()
		d := c.report(w.src, w.id.Range, SeverityWarning, CodeClusterLost,
			w.id.Name+" is changed in "+where+", which runs on the fetch node when clustering is on: the change is lost when the request returns to the delivery node. Copy it onto beresp.http.* (or obj.http.*) instead, or disable clustering for this request")
		d.Related = related
		if fetchRestart != nil && strings.Contains(related[0].Message, "restart") {
			d.Related = append(d.Related, Related{File: fetchRestart.loc.File, Range: fetchRestart.loc.Range, Message: "the restart"})
		}
	}
	if len(c.restarts) > 0 {
		for _, fp := range c.firstPass {
			d := c.report(fp.loc.File, fp.loc.Range, SeverityWarning, CodeRestartBackend,
				"req.backend is only set when req.restarts is 0: after a restart this request uses the default backend. Set it on every pass, or pick the backend for restarts explicitly")
			d.Related = []Related{{File: c.restarts[0].loc.File, Range: c.restarts[0].loc.Range, Message: "a restart"}}
		}
	}
}

// gatherFlow collects the flow facts of every subroutine's result, in
// subroutine order, when there is anything to warn about (a req write on
// the fetch node, or a first-pass backend choice); else it reports false
// having looked at no fact.
func (c *checker) gatherFlow() bool {
	any := false
	for _, s := range c.prog.SubList {
		if r := s.result; !s.Test && (len(r.writes) > 0 || len(r.firstPass) > 0) {
			any = true
			break
		}
	}
	if !any {
		return false
	}
	c.reqWrites, c.reqReads, c.restarts, c.errors, c.firstPass = nil, nil, nil, nil, nil
	for _, s := range c.prog.SubList {
		r := s.result
		if s.Test {
			continue
		}
		for _, a := range r.reads {
			c.reqReads = append(c.reqReads, reqAccess{id: a.id, src: c.source(a.file), scopes: a.scopes})
		}
		for _, a := range r.writes {
			c.reqWrites = append(c.reqWrites, reqAccess{id: a.id, src: c.source(a.file), scopes: a.scopes})
		}
		for _, p := range r.restarts {
			c.restarts = append(c.restarts, flowPoint{s, p.scopes, c.location(p.at)})
		}
		for _, p := range r.errors {
			c.errors = append(c.errors, flowPoint{s, p.scopes, c.location(p.at)})
		}
		for _, l := range r.firstPass {
			c.firstPass = append(c.firstPass, firstPassSet{c.location(l)})
		}
	}
	return true
}

// checkRecursion reports call cycles: Fastly forbids recursion.
func (c *checker) checkRecursion() {
	const (
		white = iota
		grey
		black
	)
	color := make(map[*Sub]int, len(c.prog.SubList))
	var stack []*CallSite
	var visit func(s *Sub)
	visit = func(s *Sub) {
		color[s] = grey
		for _, cs := range s.Calls {
			switch color[cs.Callee] {
			case grey:
				// The cycle runs from the frame whose caller is the callee
				// back to this call.
				var names []string
				for i, st := range stack {
					if st.Caller == cs.Callee {
						for _, f := range stack[i:] {
							names = append(names, f.Caller.Name)
						}
						break
					}
				}
				names = append(names, cs.Caller.Name, cs.Callee.Name)
				cs.Callee.Recursive = true
				c.report(cs.Loc.File, cs.Loc.Range, SeverityError, CodeRecursion,
					"recursive call "+strings.Join(dedupChain(names), " → ")+": Fastly does not allow a subroutine to call itself, directly or indirectly")
			case white:
				stack = append(stack, cs)
				visit(cs.Callee)
				stack = stack[:len(stack)-1]
			}
		}
		color[s] = black
	}
	for _, s := range c.prog.SubList {
		if color[s] == white {
			visit(s)
		}
	}
}

func dedupChain(names []string) []string {
	out := names[:0:0]
	for i, n := range names {
		if i > 0 && names[i-1] == n {
			continue
		}
		out = append(out, n)
	}
	return out
}

// checkUnusedLocals reports the locals of the subroutine just checked
// that nothing reads or sets (part of its result: its locals' references
// all come from its own body).
func (c *checker) checkUnusedLocals(s *Sub) {
	for _, l := range s.Locals {
		if l.Kind == SymLocal && !l.External && len(l.Refs) == 0 {
			c.report(l.NameLoc.File, l.NameLoc.Range, SeverityHint, CodeUnusedLocal, l.Name+" is declared but never used")
		}
	}
}

// checkUnused reports custom subroutines nobody calls.
func (c *checker) checkUnused() {
	for _, s := range c.prog.SubList {
		if !s.Builtin && !s.Snippet && !s.Test && len(s.Callers) == 0 && s.Decl != nil && !c.isTest[s.File] {
			c.report(s.File.Source, s.Decl.Name.Range, SeverityHint, CodeUnusedSub, "subroutine "+s.Name+" is never called")
		}
	}
}
