package analysis

import (
	"runtime"

	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/internal/parallel"
)

// parallelUnits is the number of subroutines to check from which the
// check is spread over the processors.
const parallelUnits = 64

// maxUnitWorkers caps the goroutines checking subroutines (0: one per
// processor); tests set it to 1 to compare with a sequential check.
var maxUnitWorkers = 0

// freshUnit is what checking one subroutine added to its checker, to be
// added to the program in subroutine order.
type freshUnit struct {
	diags  []*Diagnostic
	walked []*syntax.File
}

// checkUnits checks every subroutine, or adopts its previous result
// (Options.Previous). Subroutines only write to their own Sub and result,
// so many fresh ones are checked in parallel by copies of the checker;
// results are then added to the program in subroutine order, so the
// program is the same whatever the number of processors.
func (c *checker) checkUnits() {
	subs := c.prog.SubList
	results := make([]*unitResult, len(subs))
	var fresh []int
	for i, s := range subs {
		if r := c.reusable(s); r != nil {
			results[i] = r
		} else {
			fresh = append(fresh, i)
		}
	}
	outs := make([]freshUnit, len(subs))
	workers := min(runtime.GOMAXPROCS(0), len(fresh)/parallelUnits)
	if maxUnitWorkers > 0 {
		workers = min(workers, maxUnitWorkers)
	}
	if workers > 1 {
		c.prepareShared()
	}
	// Each goroutine checks with its own copy of the checker (one copy
	// when sequential too, so what the checks add is collected the same
	// way).
	parallel.For(len(fresh), workers, func() func(int) {
		w := c.worker()
		return func(k int) {
			i := fresh[k]
			results[i], outs[i] = w.checkUnit(subs[i])
		}
	})
	isFresh := make([]bool, len(subs))
	for _, i := range fresh {
		isFresh[i] = true
	}
	for i, s := range subs {
		r := results[i]
		if isFresh[i] {
			s.unit.info = r.info
			c.diags = append(c.diags, outs[i].diags...)
			c.addSiblings(r)
			if len(outs[i].walked) > 0 {
				if c.walked == nil {
					c.walked = map[*Sub][]*syntax.File{}
				}
				c.walked[s] = outs[i].walked
			}
			c.prog.rechecked = append(c.prog.rechecked, s.Name)
		} else {
			c.adopt(s, r)
		}
		c.prog.results[unitKey(s)] = r
		s.result = r
	}
}

// checkUnit checks one subroutine and returns its result and what the
// check added to the checker.
func (c *checker) checkUnit(s *Sub) (*unitResult, freshUnit) {
	m := c.marks()
	c.beginUnit(s)
	c.checkSub(s)
	c.checkUnusedLocals(s)
	r := c.endUnit(s, m)
	out := freshUnit{diags: c.diags[m.diags:len(c.diags):len(c.diags)], walked: c.walked[s]}
	return r, out
}

// addSiblings adds a result's calls of sibling-file subroutines.
func (c *checker) addSiblings(r *unitResult) {
	for _, u := range r.siblings {
		c.prog.SiblingCalls = append(c.prog.SiblingCalls, SiblingCall{Sub: c.opts.WorkspaceSubs[u.name], Loc: c.location(u.at)})
	}
}

// prepareShared computes what checkers compute lazily and share, before
// copies of the checker run at once.
func (c *checker) prepareShared() {
	c.declaredBackendNames()
	c.subNamesKey()
	c.answer(lookupKey{kind: lkBackendNames})
	candidateNames()
}

// worker returns a copy of the checker for checking subroutines on
// another goroutine: it shares the program's declarations (read only) and
// has its own per-unit state.
func (c *checker) worker() *checker {
	w := *c
	w.b = infoBuilder{}
	w.rec = nil
	w.diags = nil
	w.walked = nil
	w.interned = [numLookupKinds]map[string]*internedLookup{}
	w.internedNodes = nil
	w.unitGen = 0
	w.scratchLookups, w.scratchUses, w.scratchCalls, w.scratchSiblings = nil, nil, nil, nil
	w.reqWrites, w.reqReads, w.restarts, w.errors, w.firstPass = nil, nil, nil, nil, nil
	w.symArena, w.locArena = nil, nil
	w.lastPath, w.lastSrc = "", nil
	w.sub, w.file = nil, nil
	return &w
}
