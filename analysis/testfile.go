package analysis

import (
	"path/filepath"
	"strings"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// IsTestFile reports whether path is a unit-test file: its name ends in
// ".test.vcl", or it matches the `tests:` globs of .vclide.yaml
// (Options.TestFile).
func IsTestFile(path string, opts Options) bool {
	if strings.HasSuffix(filepath.Base(path), ".test.vcl") {
		return true
	}
	return opts.TestFile != nil && opts.TestFile(path)
}

// TestFile is one checked unit-test file.
type TestFile struct {
	File *syntax.File
	// Cases are the test subroutines in source order, grouped ones included.
	Cases  []*TestCase
	Groups []*TestGroup
}

// TestGroup is a describe block: its hooks and its test subroutines. The
// tests of a group share one interpreter state.
type TestGroup struct {
	Name   string
	Decl   *syntax.DescribeDecl
	Before map[catalog.Sub][]*Sub // before_SCOPE hooks
	After  map[catalog.Sub][]*Sub // after_SCOPE hooks
	Cases  []*TestCase
}

// TestCase is one test subroutine with its annotations.
type TestCase struct {
	Sub   *Sub
	Suite string // @suite, or the subroutine name
	// Scopes from @scope (recv when there is none, see HasScope); Scope is
	// the first one, the scope the test runs in.
	Scopes   catalog.SubSet
	Scope    catalog.Sub
	HasScope bool
	Skip     bool     // @skip
	Tags     []string // @tag values ("prod", "!prod")
	Group    *TestGroup
	File     *syntax.File
}

// annotations are the @-comments just above a declaration.
type annotations struct {
	scopes    catalog.SubSet
	first     catalog.Sub
	hasScope  bool
	suite     string
	skip      bool
	tags      []string
	badScopes []badScope
}

type badScope struct {
	word string
	r    syntax.Range
}

// leadingAnnotations reads the comment lines directly above a declaration
// (no blank line between them and it).
func leadingAnnotations(f *syntax.File, declStart syntax.Pos) annotations {
	var a annotations
	src := f.Source
	line := src.Position(declStart).Line
	// Comments are in source order: walk back from the declaration.
	i := len(f.Comments) - 1
	for i >= 0 && f.Comments[i].Start >= declStart {
		i--
	}
	want := line - 1
	var block []*syntax.Comment
	for ; i >= 0; i-- {
		cm := f.Comments[i]
		end := src.Position(cm.End - 1).Line
		if end != want && end != line { // same line: `// @skip` sub x …
			break
		}
		block = append(block, cm)
		want = src.Position(cm.Start).Line - 1
	}
	for j := len(block) - 1; j >= 0; j-- {
		a.parse(block[j])
	}
	return a
}

func (a *annotations) parse(cm *syntax.Comment) {
	text := strings.TrimSpace(strings.TrimLeft(strings.TrimSuffix(strings.TrimPrefix(cm.Text, "/*"), "*/"), "/#"))
	if !strings.HasPrefix(text, "@") {
		return
	}
	key, val, _ := strings.Cut(text[1:], ":")
	key = strings.ToLower(strings.TrimSpace(key))
	val = strings.TrimSpace(val)
	switch key {
	case "scope":
		for _, w := range strings.Split(val, ",") {
			w = strings.TrimSpace(w)
			if w == "" {
				continue
			}
			s, ok := catalog.ParseSub(w)
			if !ok {
				off := strings.Index(cm.Text, w)
				r := cm.Range
				if off >= 0 {
					r = syntax.Range{Start: cm.Start + syntax.Pos(off), End: cm.Start + syntax.Pos(off+len(w))}
				}
				a.badScopes = append(a.badScopes, badScope{w, r})
				continue
			}
			if !a.hasScope {
				a.first = s
			}
			a.hasScope = true
			a.scopes = a.scopes.With(s)
		}
	case "suite":
		a.suite = val
	case "skip":
		a.skip = true
	case "tag", "tags":
		for _, t := range strings.Split(val, ",") {
			if t = strings.TrimSpace(t); t != "" {
				a.tags = append(a.tags, t)
			}
		}
	}
}

// addTestDecls registers the declarations of a test file: untyped
// subroutines are test cases (each its own Sub, so repeated names stay
// separate tests), typed ones are helpers callable by name, describe
// groups hold hooks and tests, other declarations are globals.
func (c *checker) addTestDecls(f *syntax.File) {
	tf := &TestFile{File: f}
	c.prog.Tests = append(c.prog.Tests, tf)
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *syntax.SubDecl:
			if d.ReturnType != nil {
				c.addSub(f, d)
				continue
			}
			tf.Cases = append(tf.Cases, c.addTestCase(f, d, nil))
		case *syntax.DescribeDecl:
			g := &TestGroup{Name: d.Name.Name, Decl: d, Before: map[catalog.Sub][]*Sub{}, After: map[catalog.Sub][]*Sub{}}
			tf.Groups = append(tf.Groups, g)
			for _, h := range d.Hooks {
				when, word, ok := syntax.IsHookName(h.Name.Name)
				k, known := catalog.ParseSub(word)
				if !ok || !known {
					c.report(f.Source, h.Name.Range, SeverityError, CodeTest, "unknown hook "+h.Name.Name+": hooks are before_SCOPE or after_SCOPE with SCOPE one of recv, hash, hit, miss, pass, fetch, error, deliver, log")
					continue
				}
				s := c.newTestSub(f, h, catalog.SetOf(k))
				if when == "before" {
					g.Before[k] = append(g.Before[k], s)
				} else {
					g.After[k] = append(g.After[k], s)
				}
			}
			for _, sd := range d.Subs {
				tc := c.addTestCase(f, sd, g)
				g.Cases = append(g.Cases, tc)
				tf.Cases = append(tf.Cases, tc)
			}
		}
	}
}

// addTestCase makes a test case from a test subroutine and its annotations.
func (c *checker) addTestCase(f *syntax.File, d *syntax.SubDecl, g *TestGroup) *TestCase {
	a := leadingAnnotations(f, d.Start)
	for _, b := range a.badScopes {
		c.report(f.Source, b.r, SeverityError, CodeTest, "unknown scope \""+b.word+"\" in @scope: use recv, hash, hit, miss, pass, fetch, error, deliver or log")
	}
	tc := &TestCase{Suite: a.suite, Scopes: a.scopes, Scope: a.first, HasScope: a.hasScope, Skip: a.skip, Tags: a.tags, Group: g, File: f}
	if !a.hasScope {
		// falco runs a test without @scope in vcl_recv's scope.
		tc.Scope, tc.Scopes = catalog.SubRecv, catalog.SetOf(catalog.SubRecv)
	}
	if tc.Suite == "" {
		tc.Suite = d.Name.Name
	}
	tc.Sub = c.newTestSub(f, d, tc.Scopes)
	return tc
}

// newTestSub makes the Sub of a test or hook: checked like any subroutine
// in the given scopes, but not callable by name and never "unused".
func (c *checker) newTestSub(f *syntax.File, d *syntax.SubDecl, scopes catalog.SubSet) *Sub {
	s := &Sub{Name: d.Name.Name, Decl: d, Body: d.Body, File: f, Test: true, Scopes: scopes}
	s.Symbol = &Symbol{Kind: SymSub, Name: s.Name, Decl: d, NameLoc: Location{f.Source, d.Name.Range}}
	s.unit = &unit{sub: s}
	c.prog.SubList = append(c.prog.SubList, s)
	if c.testSubs == nil {
		c.testSubs = map[string]*Sub{}
	}
	if _, dup := c.testSubs[s.Name]; !dup {
		c.testSubs[s.Name] = s
	}
	return s
}

// TestSub returns a test-file subroutine by name (the first one with that
// name), for testing.mock targets.
func (p *Program) TestSub(name string) *Sub {
	for _, s := range p.SubList {
		if s.Test && s.Name == name {
			return s
		}
	}
	return nil
}

// checkTestCall does the checks a testing.* call needs beyond its
// signature: the subroutines named by testing.call_subroutine and
// testing.mock must exist, and a vcl_* subroutine must run in the test's
// scope.
func (c *checker) checkTestCall(call *syntax.CallExpr) {
	lit := func(i int) (*syntax.StringLit, bool) {
		if i >= len(call.Args) {
			return nil, false
		}
		l, ok := call.Args[i].(*syntax.StringLit)
		return l, ok
	}
	switch call.Fn.Name {
	case "testing.call_subroutine":
		l, ok := lit(0)
		if !ok {
			return
		}
		callee, found := c.subNamed(l.Value)
		if !found {
			if k, builtin := catalog.ParseSub(l.Value); builtin && strings.HasPrefix(l.Value, "vcl_") {
				// Not defined: it runs Fastly's default code.
				if c.scopes != 0 && !c.scopes.Has(k) {
					c.at(l.Range, SeverityError, CodeTest, l.Value+" runs in "+k.String()+" but this test's scope is "+c.scopes.String()+": add `// @scope: "+k.String()+"` above the test")
				}
				return
			}
			if c.testSub(l.Value) != nil {
				return
			}
			d := c.at(l.Range, SeverityError, CodeUnknownSub, "testing.call_subroutine: no subroutine "+l.Value+" in the VCL under test")
			d.Suggestions = closest(l.Value, c.subNames())
			if len(d.Suggestions) > 0 {
				d.Message += ": did you mean " + d.Suggestions[0] + "?"
			}
			return
		}
		if callee.Symbol != nil {
			c.addRef(callee.Symbol, true, l.Range)
		}
		if callee.Builtin && c.scopes != 0 && !c.scopes.Has(callee.Kind) {
			c.at(l.Range, SeverityError, CodeTest, callee.Name+" runs in "+callee.Kind.String()+" but this test's scope is "+c.scopes.String()+": add `// @scope: "+callee.Kind.String()+"` above the test")
		}
	case "testing.mock", "testing.restore_mock":
		if l, ok := lit(0); ok {
			target, found := c.subNamed(l.Value)
			switch {
			case !found:
				c.at(l.Range, SeverityError, CodeUnknownSub, call.Fn.Name+": no subroutine "+l.Value+" in the VCL under test")
			case target.Builtin:
				c.at(l.Range, SeverityError, CodeTest, call.Fn.Name+": "+l.Value+" is a vcl_* subroutine; only custom subroutines can be mocked")
			}
		}
		if l, ok := lit(1); ok && call.Fn.Name == "testing.mock" {
			if _, found := c.subNamed(l.Value); !found && c.testSub(l.Value) == nil {
				c.at(l.Range, SeverityError, CodeUnknownSub, "testing.mock: no subroutine "+l.Value+" in the test file or the VCL under test")
			}
		}
	}
}

// TestTarget picks the VCL under test for a test file when linting or
// editing without an explicit main file: among candidates (VCL files that
// are not test files and that nothing includes), the one with the same
// name ("x.test.vcl" → "x.vcl"), else the only one in the same directory,
// else the first one in the same directory. "" when there is none.
func TestTarget(testPath string, candidates []string) string {
	dir := filepath.Dir(testPath)
	stem := strings.TrimSuffix(filepath.Base(testPath), ".test.vcl")
	stem = strings.TrimSuffix(stem, ".vcl")
	var same []string
	for _, c := range candidates {
		if filepath.Dir(c) != dir {
			continue
		}
		if strings.TrimSuffix(filepath.Base(c), ".vcl") == stem {
			return c
		}
		same = append(same, c)
	}
	if len(same) > 0 {
		return same[0]
	}
	return ""
}
