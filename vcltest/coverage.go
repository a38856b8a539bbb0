package vcltest

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/interp"
)

// Coverage is statement, branch and subroutine coverage of the VCL under
// test (test files excluded), per file.
type Coverage struct {
	Files []*FileCoverage
}

// FileCoverage is one file's coverage.
type FileCoverage struct {
	File        string
	Statements  Ratio
	Branches    Ratio
	Subroutines Ratio
	// Lines maps each line holding a statement to how often one ran.
	Lines map[int]int
	Subs  []SubCoverage
	// BranchList has two entries per if statement: the true and the false
	// branch, in source order.
	BranchList []BranchCoverage
}

// Ratio is covered out of total.
type Ratio struct{ Covered, Total int }

// Percent is the covered share, 100 when there is nothing to cover.
func (r Ratio) Percent() float64 {
	if r.Total == 0 {
		return 100
	}
	return float64(r.Covered) * 100 / float64(r.Total)
}

// String spells the ratio as a percentage with its counts: " 75.0% (3/4)".
func (r Ratio) String() string {
	return fmt.Sprintf("%5.1f%% (%d/%d)", r.Percent(), r.Covered, r.Total)
}

// SubCoverage is how often a subroutine was entered.
type SubCoverage struct {
	Name  string
	Line  int
	Calls int
}

// BranchCoverage is one branch of an if statement.
type BranchCoverage struct {
	Line   int
	Block  int // the if statement's index in the file
	Branch int // 0 true, 1 false
	Taken  int
}

type covKey struct {
	file string
	off  syntax.Pos
}

type ifInfo struct {
	key      covKey
	firstThn syntax.Stmt // nil for an empty then block
	firstEls syntax.Stmt // nil when there is no else
}

// coverage collects hits over the programs of a run (each test file has
// its own program; positions in the same file are the same).
type coverage struct {
	stmts    map[syntax.Stmt]covKey
	ifs      map[syntax.Stmt]*ifInfo
	firsts   map[syntax.Stmt][]firstOf // statement → the if branches it starts
	subs     map[*analysis.Sub]covKey
	stmtHits map[covKey]int
	stmtLine map[covKey]int
	subHits  map[covKey]int
	subName  map[covKey]string
	brHits   map[covKey][2]int
	brOrder  map[covKey]bool
	pending  *ifInfo // an if whose branch is decided by the next statement
}

type firstOf struct {
	ifk    covKey
	branch int
}

func newCoverage() *coverage {
	return &coverage{
		stmts: map[syntax.Stmt]covKey{}, ifs: map[syntax.Stmt]*ifInfo{}, firsts: map[syntax.Stmt][]firstOf{},
		subs: map[*analysis.Sub]covKey{}, stmtHits: map[covKey]int{}, stmtLine: map[covKey]int{},
		subHits: map[covKey]int{}, subName: map[covKey]string{}, brHits: map[covKey][2]int{}, brOrder: map[covKey]bool{},
	}
}

// add registers the statements, if statements and subroutines of the VCL
// under test in one program.
func (c *coverage) add(p *analysis.Program) {
	for _, s := range p.SubList {
		if s.Test || s.Decl == nil || analysis.IsTestFile(s.File.Source.Name, p.Options) {
			continue
		}
		src := s.File.Source
		k := covKey{src.Name, s.Decl.Start}
		c.subs[s] = k
		c.subName[k] = s.Name
		c.stmtLine[k] = src.Position(s.Decl.Name.Start).Line
		if _, ok := c.subHits[k]; !ok {
			c.subHits[k] = 0
		}
		for _, part := range s.Parts() {
			c.addBlock(part.File.Source, part.Body)
		}
	}
}

func (c *coverage) addBlock(src *syntax.Source, b *syntax.Block) {
	if b == nil {
		return
	}
	for _, st := range b.Stmts {
		c.addStmt(src, st)
	}
}

func (c *coverage) addStmt(src *syntax.Source, st syntax.Stmt) {
	k := covKey{src.Name, st.Span().Start}
	switch s := st.(type) {
	case *syntax.Block:
		c.addBlock(src, s)
		return
	case *syntax.LabelStmt:
		return
	}
	c.stmts[st] = k
	c.stmtLine[k] = src.Position(st.Span().Start).Line
	if _, ok := c.stmtHits[k]; !ok {
		c.stmtHits[k] = 0
	}
	if s, ok := st.(*syntax.IfStmt); ok {
		info := &ifInfo{key: k}
		if s.Then != nil && len(s.Then.Stmts) > 0 {
			info.firstThn = firstStmt(s.Then.Stmts[0])
			c.firsts[info.firstThn] = append(c.firsts[info.firstThn], firstOf{k, 0})
		}
		if s.Else != nil {
			if blk, ok := s.Else.(*syntax.Block); ok && len(blk.Stmts) > 0 {
				info.firstEls = firstStmt(blk.Stmts[0])
			} else if !ok {
				info.firstEls = s.Else
			}
			if info.firstEls != nil {
				c.firsts[info.firstEls] = append(c.firsts[info.firstEls], firstOf{k, 1})
			}
		}
		c.ifs[st] = info
		c.brOrder[k] = true
		if _, ok := c.brHits[k]; !ok {
			c.brHits[k] = [2]int{}
		}
		c.addBlock(src, s.Then)
		if s.Else != nil {
			c.addStmt(src, s.Else)
		}
	}
}

// firstStmt is the statement that runs first in st (blocks are entered).
func firstStmt(st syntax.Stmt) syntax.Stmt {
	for {
		b, ok := st.(*syntax.Block)
		if !ok || len(b.Stmts) == 0 {
			return st
		}
		st = b.Stmts[0]
	}
}

func (c *coverage) hit(st syntax.Stmt) {
	if p := c.pending; p != nil {
		c.pending = nil
		if st != p.firstThn && st != p.firstEls && p.firstEls == nil {
			c.branch(p.key, 1) // no else: the condition was false
		}
	}
	if k, ok := c.stmts[st]; ok {
		c.stmtHits[k]++
	}
	for _, f := range c.firsts[st] {
		c.branch(f.ifk, f.branch)
	}
	if info := c.ifs[st]; info != nil {
		c.pending = info
	}
}

func (c *coverage) branch(k covKey, b int) {
	h := c.brHits[k]
	h[b]++
	c.brHits[k] = h
}

// hooks returns interp hooks that record coverage and pass every event on
// to next (the debugger), if any.
func (c *coverage) hooks(next interp.Hooks) interp.Hooks { return &covHooks{c: c, next: next} }

type covHooks struct {
	c    *coverage
	next interp.Hooks
}

func (h *covHooks) Statement(x *interp.Exec, st syntax.Stmt) {
	h.c.hit(st)
	if h.next != nil {
		h.next.Statement(x, st)
	}
}

func (h *covHooks) Enter(x *interp.Exec, sub *analysis.Sub) {
	if k, ok := h.c.subs[sub]; ok {
		h.c.subHits[k]++
	}
	if h.next != nil {
		h.next.Enter(x, sub)
	}
}

func (h *covHooks) Exit(x *interp.Exec, sub *analysis.Sub, action string) {
	if p := h.c.pending; p != nil && p.firstEls == nil {
		// The if was the last statement that ran in its subroutine.
		if _, inSub := h.c.subs[sub]; inSub || sub.Test {
			h.c.pending = nil
			h.c.branch(p.key, 1)
		}
	}
	if h.next != nil {
		h.next.Exit(x, sub, action)
	}
}

func (h *covHooks) Event(x *interp.Exec, kind, text string) {
	if h.next != nil {
		h.next.Event(x, kind, text)
	}
}

// report builds the per-file coverage.
func (c *coverage) report() *Coverage {
	files := map[string]*FileCoverage{}
	get := func(name string) *FileCoverage {
		f := files[name]
		if f == nil {
			f = &FileCoverage{File: name, Lines: map[int]int{}}
			files[name] = f
		}
		return f
	}
	for k, n := range c.stmtHits {
		f := get(k.file)
		f.Statements.Total++
		if n > 0 {
			f.Statements.Covered++
		}
		f.Lines[c.stmtLine[k]] += n
	}
	for k, n := range c.subHits {
		f := get(k.file)
		f.Subroutines.Total++
		if n > 0 {
			f.Subroutines.Covered++
		}
		f.Subs = append(f.Subs, SubCoverage{Name: c.subName[k], Line: c.stmtLine[k], Calls: n})
	}
	var ifKeys []covKey
	for k := range c.brOrder {
		ifKeys = append(ifKeys, k)
	}
	sort.Slice(ifKeys, func(i, j int) bool {
		if ifKeys[i].file != ifKeys[j].file {
			return ifKeys[i].file < ifKeys[j].file
		}
		return ifKeys[i].off < ifKeys[j].off
	})
	for i, k := range ifKeys {
		f := get(k.file)
		h := c.brHits[k]
		for b := 0; b < 2; b++ {
			f.Branches.Total++
			if h[b] > 0 {
				f.Branches.Covered++
			}
			f.BranchList = append(f.BranchList, BranchCoverage{Line: c.stmtLine[k], Block: i, Branch: b, Taken: h[b]})
		}
	}
	out := &Coverage{}
	for _, f := range files {
		sort.Slice(f.Subs, func(i, j int) bool { return f.Subs[i].Line < f.Subs[j].Line })
		out.Files = append(out.Files, f)
	}
	sort.Slice(out.Files, func(i, j int) bool { return out.Files[i].File < out.Files[j].File })
	return out
}

// Total sums the coverage of every file.
func (c *Coverage) Total() (stmts, branches, subs Ratio) {
	for _, f := range c.Files {
		stmts.Covered += f.Statements.Covered
		stmts.Total += f.Statements.Total
		branches.Covered += f.Branches.Covered
		branches.Total += f.Branches.Total
		subs.Covered += f.Subroutines.Covered
		subs.Total += f.Subroutines.Total
	}
	return
}

// WriteTable writes the coverage as a text table, one row per file and a
// total row.
func (c *Coverage) WriteTable(w io.Writer, relTo string) {
	rel := func(p string) string {
		if r, err := filepath.Rel(relTo, p); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
		return p
	}
	width := len("File")
	for _, f := range c.Files {
		if n := len(rel(f.File)); n > width {
			width = n
		}
	}
	fmt.Fprintf(w, "%-*s  %-18s  %-18s  %-18s\n", width, "File", "Statements", "Branches", "Subroutines")
	for _, f := range c.Files {
		fmt.Fprintf(w, "%-*s  %-18s  %-18s  %-18s\n", width, rel(f.File), f.Statements, f.Branches, f.Subroutines)
	}
	s, b, u := c.Total()
	fmt.Fprintf(w, "%-*s  %-18s  %-18s  %-18s\n", width, "Total", s, b, u)
}

// WriteLCOV writes the coverage in LCOV's tracefile format (the format
// editors' coverage gutters read).
func (c *Coverage) WriteLCOV(w io.Writer) error {
	var sb strings.Builder
	for _, f := range c.Files {
		sb.WriteString("TN:vclide\nSF:" + f.File + "\n")
		for _, s := range f.Subs {
			fmt.Fprintf(&sb, "FN:%d,%s\n", s.Line, s.Name)
		}
		for _, s := range f.Subs {
			fmt.Fprintf(&sb, "FNDA:%d,%s\n", s.Calls, s.Name)
		}
		fmt.Fprintf(&sb, "FNF:%d\nFNH:%d\n", f.Subroutines.Total, f.Subroutines.Covered)
		for _, b := range f.BranchList {
			taken := "-"
			if b.Taken > 0 {
				taken = fmt.Sprint(b.Taken)
			}
			fmt.Fprintf(&sb, "BRDA:%d,%d,%d,%s\n", b.Line, b.Block, b.Branch, taken)
		}
		fmt.Fprintf(&sb, "BRF:%d\nBRH:%d\n", f.Branches.Total, f.Branches.Covered)
		lines := make([]int, 0, len(f.Lines))
		for l := range f.Lines {
			lines = append(lines, l)
		}
		sort.Ints(lines)
		hit := 0
		for _, l := range lines {
			fmt.Fprintf(&sb, "DA:%d,%d\n", l, f.Lines[l])
			if f.Lines[l] > 0 {
				hit++
			}
		}
		fmt.Fprintf(&sb, "LF:%d\nLH:%d\nend_of_record\n", len(lines), hit)
	}
	_, err := io.WriteString(w, sb.String())
	return err
}
