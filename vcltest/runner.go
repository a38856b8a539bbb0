// Package vcltest runs VCL unit tests written in falco's format (*.test.vcl
// files of test subroutines with @scope/@suite annotations calling
// testing.* and assert.*) on vclide's interpreter, and reports them as text,
// falco-compatible JSON, JUnit XML and coverage. cmd/vclide's `test`
// command, the language server's code lenses and the debug adapter's test
// mode all run tests through Run.
package vcltest

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/interp"
	"github.com/vclide/vclide/interp/value"
)

// Options select and configure a test run.
type Options struct {
	// Main is the VCL under test.
	Main string
	// Workspace is the project (configuration, include paths, tests:
	// globs), opened by the front end with analysis.OpenWorkspace.
	Workspace *analysis.Workspace
	// Buffers are the editor's unsaved documents (nil: the disk).
	Buffers analysis.Buffers
	// TestFiles are the test files to run; empty means discover them:
	// *.test.vcl next to Main and in the include paths, and files under
	// Root matching the configured tests: globs.
	TestFiles []string
	// Filter is a glob: a test runs when it matches the test file's name
	// or path, the test subroutine's name or its suite name ("" = all).
	Filter string
	// Tags are the -t tags that @tag annotations are matched against.
	Tags []string
	// Overrides set predefined variables for every test (-o VAR=VALUE and
	// the testing.overrides of .falco.yml), before the test's own
	// testing.inject_variable calls.
	Overrides map[string]string
	// Coverage records statement, branch and subroutine coverage.
	Coverage bool
	// Hooks observe execution (the debugger); nil for none.
	Hooks interp.Hooks
	// OnSuite, when set, is called as each suite finishes (streaming).
	OnSuite func(file string, s *Suite)
}

// Report is the outcome of a run, in falco's JSON shape.
type Report struct {
	Tests     []*FileReport `json:"tests"`
	Summaries Summary       `json:"summaries"`
	// Coverage is set when Options.Coverage was.
	Coverage *Coverage `json:"-"`
}

// FileReport is one test file's suites.
type FileReport struct {
	File   string   `json:"file"`
	Suites []*Suite `json:"suites"`
}

// Suite is one test subroutine's outcome.
type Suite struct {
	// Name is the @suite annotation, else the subroutine name.
	Name string `json:"name"`
	// Error is why the test failed ("" when it passed or was skipped).
	Error string `json:"error"`
	// Scope is the scope the test ran in, upper case ("RECV"); several
	// scopes are joined with commas.
	Scope string `json:"scope"`
	Skip  bool   `json:"skip"`
	// Logs are the lines written by log statements during the test.
	Logs []string `json:"logs"`
	// File, Line and Position locate the failure (the failing assertion
	// or statement), or the test subroutine when it did not fail. Line and
	// Position (the column) are 1-based.
	File     string `json:"file"`
	Line     int    `json:"line"`
	Position int    `json:"position"`
	// ElapsedTime is the run time in milliseconds.
	ElapsedTime float64 `json:"elapsed_time"`

	// Sub is the test subroutine's name; Assertion the failed assertion,
	// if that is what failed. Not part of the JSON.
	Sub       string          `json:"-"`
	SubLine   int             `json:"-"`
	Assertion *AssertionError `json:"-"`
}

// Passed reports whether the suite ran and passed.
func (s *Suite) Passed() bool { return !s.Skip && s.Error == "" }

// Summary counts the suites of a run.
type Summary struct {
	Passes     int `json:"passes"`
	Fails      int `json:"fails"`
	Skips      int `json:"skips"`
	Total      int `json:"total"`
	Assertions int `json:"assertions"`
	// ElapsedTime is the whole run in milliseconds.
	ElapsedTime float64 `json:"elapsed_time"`
}

// Failed reports whether any suite failed.
func (r *Report) Failed() bool { return r.Summaries.Fails > 0 }

// Discover lists the test files of a run (see Options.TestFiles).
func Discover(opts Options) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	add := func(p string) {
		abs, err := filepath.Abs(p)
		if err == nil && !seen[abs] {
			seen[abs] = true
			out = append(out, abs)
		}
	}
	if len(opts.TestFiles) > 0 {
		for _, pat := range opts.TestFiles {
			matches, err := filepath.Glob(pat)
			if err != nil {
				return nil, fmt.Errorf("bad test file pattern %q: %v", pat, err)
			}
			if len(matches) == 0 {
				return nil, fmt.Errorf("no test file matches %s", pat)
			}
			for _, m := range matches {
				add(m)
			}
		}
		return out, nil
	}
	ws := opts.Workspace
	dirs := append([]string{filepath.Dir(opts.Main)}, ws.IncludePaths()...)
	for _, d := range dirs {
		matches, _ := filepath.Glob(filepath.Join(d, "*.test.vcl"))
		sort.Strings(matches)
		for _, m := range matches {
			add(m)
		}
	}
	if len(ws.Config.Tests) > 0 {
		root := ws.Dir
		if root == "" {
			root = filepath.Dir(opts.Main)
		}
		var found []string
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && p != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(p, ".vcl") && ws.IsTestFile(p) {
				found = append(found, p)
			}
			return nil
		})
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	return out, nil
}

// Run runs the tests of opts.Main. The error is for problems that stop the
// whole run (the main VCL cannot be read); problems in a test file fail its
// suites instead.
func Run(ctx context.Context, opts Options) (*Report, error) {
	start := time.Now()
	if err := checkOverrides(opts.Overrides); err != nil {
		return nil, err
	}
	if opts.Workspace == nil {
		ws, err := analysis.OpenWorkspace(analysis.WorkspaceSpec{Start: opts.Main, Dirs: []string{filepath.Dir(opts.Main)}})
		if ws == nil {
			return nil, err
		}
		opts.Workspace = ws
	}
	mainText, err := readFile(opts, opts.Main)
	if err != nil {
		return nil, err
	}
	files, err := Discover(opts)
	if err != nil {
		return nil, err
	}
	rep := &Report{Tests: []*FileReport{}}
	var cov *coverage
	if opts.Coverage {
		cov = newCoverage()
	}
	f := &funcs{}
	for _, file := range files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fr := runFile(ctx, opts, mainText, file, f, cov)
		if fr != nil {
			rep.Tests = append(rep.Tests, fr)
		}
	}
	rep.summarize(f, start, cov)
	return rep, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func readFile(opts Options, p string) (string, error) {
	return opts.Workspace.ReadFile(p, opts.Buffers)
}

// runFile checks one test file against the main VCL and runs its tests.
func runFile(ctx context.Context, opts Options, mainText, file string, f *funcs, cov *coverage) *FileReport {
	text, err := readFile(opts, file)
	if err != nil {
		return &FileReport{File: file, Suites: []*Suite{{Name: filepath.Base(file), File: file, Error: err.Error(), Logs: []string{}}}}
	}
	tf := syntax.Parse(file, text)
	mf := syntax.Parse(opts.Main, mainText)
	prog := opts.Workspace.CheckWithTests(mf, []*syntax.File{tf}, opts.Buffers)
	reps := runChecked(ctx, opts, prog, f, cov)
	if len(reps) == 0 {
		return nil
	}
	return reps[0]
}

// RunProgram runs the tests of a program already checked with its test
// files (analysis.CheckWithTests), one report per test file: the debugger
// runs tests this way, so that its breakpoints (set on the program's
// statements) are the statements that run.
func RunProgram(ctx context.Context, opts Options, prog *analysis.Program) *Report {
	start := time.Now()
	f := &funcs{}
	var cov *coverage
	if opts.Coverage {
		cov = newCoverage()
	}
	rep := &Report{Tests: runChecked(ctx, opts, prog, f, cov)}
	rep.summarize(f, start, cov)
	return rep
}

// summarize counts the suites.
func (rep *Report) summarize(f *funcs, start time.Time, cov *coverage) {
	rep.Summaries = Summary{}
	if rep.Tests == nil {
		rep.Tests = []*FileReport{}
	}
	for _, fr := range rep.Tests {
		for _, s := range fr.Suites {
			rep.Summaries.Total++
			switch {
			case s.Skip:
				rep.Summaries.Skips++
			case s.Error != "":
				rep.Summaries.Fails++
			default:
				rep.Summaries.Passes++
			}
		}
	}
	rep.Summaries.Assertions = f.assertions
	rep.Summaries.ElapsedTime = ms(time.Since(start))
	if cov != nil {
		rep.Coverage = cov.report()
	}
}

// runChecked runs the tests of every test file of a checked program.
func runChecked(ctx context.Context, opts Options, prog *analysis.Program, f *funcs, cov *coverage) []*FileReport {
	// Errors inside a test fail only that test; other errors fail them all.
	broken := map[*analysis.Sub]string{}
	var fatal []string
	var keep []*analysis.Diagnostic
	for _, d := range prog.Diagnostics {
		if d.Severity != analysis.SeverityError {
			keep = append(keep, d)
			continue
		}
		var tc *analysis.TestCase
		for _, tests := range prog.Tests {
			if tc = caseAt(tests, d); tc != nil {
				break
			}
		}
		if tc != nil {
			if _, dup := broken[tc.Sub]; !dup {
				broken[tc.Sub] = diagText(d)
			}
			continue
		}
		fatal = append(fatal, diagText(d))
	}
	var eng *interp.Engine
	if len(fatal) == 0 {
		p2 := *prog
		p2.Diagnostics = keep
		p2.SubList = nil
		for _, s := range prog.SubList {
			if _, bad := broken[s]; !bad {
				p2.SubList = append(p2.SubList, s)
			}
		}
		cfg := interp.Config{Program: &p2, DisableClustering: true, Nodes: 1, Tests: f, Hooks: opts.Hooks}
		if cov != nil {
			cov.add(&p2)
			cfg.Hooks = cov.hooks(opts.Hooks)
		}
		var err error
		if eng, err = interp.New(cfg); err != nil {
			fatal = append(fatal, err.Error())
		}
	}
	var out []*FileReport
	for _, tests := range prog.Tests {
		file := tests.File.Source.Name
		fr := &FileReport{File: file, Suites: []*Suite{}}
		selected := selectCases(opts, file, tests.Cases)
		if len(selected) == 0 {
			if len(tests.Cases) > 0 || opts.Filter != "" {
				continue
			}
			if len(fatal) > 0 {
				fr.Suites = append(fr.Suites, &Suite{Name: filepath.Base(file), File: file, Error: strings.Join(fatal, "\n"), Logs: []string{}})
			}
			out = append(out, fr)
			continue
		}
		groupExec := map[*analysis.TestGroup]*interp.TestExec{}
		for _, sc := range selected {
			if ctx.Err() != nil {
				break
			}
			tc := sc.tc
			s := &Suite{Name: tc.Suite, Scope: scopeText(tc), File: file, Logs: []string{}, Sub: tc.Sub.Name}
			pos := tests.File.Source.Position(tc.Sub.Decl.Name.Start)
			s.Line, s.Position, s.SubLine = pos.Line, pos.Col, pos.Line
			switch {
			case sc.skip:
				s.Skip = true
			case len(fatal) > 0:
				s.Error = strings.Join(fatal, "\n")
			case broken[tc.Sub] != "":
				s.Error = broken[tc.Sub]
				locate(s, broken[tc.Sub])
			default:
				runCase(ctx, opts, eng, tc, s, groupExec)
			}
			fr.Suites = append(fr.Suites, s)
			if opts.OnSuite != nil {
				opts.OnSuite(file, s)
			}
		}
		out = append(out, fr)
	}
	return out
}

// caseAt returns the test whose subroutine holds an error diagnostic.
// An error in a test's annotations (the comments just above it) counts as
// the test's own.
func caseAt(tests *analysis.TestFile, d *analysis.Diagnostic) *analysis.TestCase {
	var next *analysis.TestCase
	for _, tc := range tests.Cases {
		if tc.File.Source != d.File {
			continue
		}
		if tc.Sub.Decl.Range.Contains(d.Range.Start) {
			return tc
		}
		if d.Code == analysis.CodeTest && tc.Sub.Decl.Start > d.Range.Start && (next == nil || tc.Sub.Decl.Start < next.Sub.Decl.Start) {
			next = tc
		}
	}
	return next
}

func diagText(d *analysis.Diagnostic) string {
	p := d.File.Position(d.Range.Start)
	return fmt.Sprintf("%s:%d:%d: %s [%s]", d.File.Name, p.Line, p.Col, d.Message, d.Code)
}

// locate sets a suite's position from a "file:line:col: …" message.
func locate(s *Suite, msg string) {
	var line, col int
	rest := strings.TrimPrefix(msg, s.File+":")
	if rest == msg {
		return
	}
	if n, _ := fmt.Sscanf(rest, "%d:%d:", &line, &col); n == 2 {
		s.Line, s.Position = line, col
	}
}

func scopeText(tc *analysis.TestCase) string {
	var parts []string
	parts = append(parts, strings.ToUpper(tc.Scope.String()))
	for _, k := range tc.Scopes.Subs() {
		if k != tc.Scope {
			parts = append(parts, strings.ToUpper(k.String()))
		}
	}
	return strings.Join(parts, ",")
}

type selectedCase struct {
	tc   *analysis.TestCase
	skip bool
}

// selectCases applies the filter (cases that do not match are left out)
// and the @skip and @tag annotations (cases they exclude are skipped).
func selectCases(opts Options, file string, cases []*analysis.TestCase) []selectedCase {
	var out []selectedCase
	fileMatch := opts.Filter == "" || globMatch(opts.Filter, filepath.Base(file)) || globMatch(opts.Filter, filepath.ToSlash(file))
	for _, tc := range cases {
		if !fileMatch && !globMatch(opts.Filter, tc.Sub.Name) && !globMatch(opts.Filter, tc.Suite) {
			continue
		}
		out = append(out, selectedCase{tc: tc, skip: tc.Skip || !tagsAllow(tc.Tags, opts.Tags)})
	}
	return out
}

// globMatch matches name against a glob in which * also crosses slashes.
func globMatch(glob, name string) bool {
	if ok, _ := path.Match(glob, name); ok {
		return true
	}
	if strings.Contains(glob, "*") && !strings.Contains(glob, "/") {
		ok, _ := path.Match(glob, path.Base(name))
		return ok
	}
	return strings.HasSuffix(name, "/"+strings.TrimPrefix(glob, "**/")) && !strings.ContainsAny(glob, "*?[")
}

// tagsAllow decides @tag: a test with tags runs when one of them matches:
// "x" matches when -t x was given, "!x" when it was not.
func tagsAllow(tags, given []string) bool {
	if len(tags) == 0 {
		return true
	}
	has := func(t string) bool {
		for _, g := range given {
			if g == t {
				return true
			}
		}
		return false
	}
	for _, t := range tags {
		if strings.HasPrefix(t, "!") {
			if !has(t[1:]) {
				return true
			}
		} else if has(t) {
			return true
		}
	}
	return false
}

// checkOverrides refuses an override (-o VAR=VALUE, testing.overrides)
// of a name that is not a variable, or with a value of the wrong type: it
// would otherwise be ignored without a word.
func checkOverrides(overrides map[string]string) error {
	names := make([]string, 0, len(overrides))
	for k := range overrides {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if err := interp.CheckInjection(k, overrides[k]); err != nil {
			return fmt.Errorf("override %s=%s: %w", k, overrides[k], err)
		}
	}
	return nil
}

// falcoDefaults are the values falco's test environment gives variables
// whose simulated value differs; -o and .falco.yml override them.
var falcoDefaults = map[string]string{"server.region": "US"}

// runCase runs one test (with its group's hooks) and fills s.
func runCase(ctx context.Context, opts Options, eng *interp.Engine, tc *analysis.TestCase, s *Suite, groups map[*analysis.TestGroup]*interp.TestExec) {
	tx := groups[tc.Group]
	if tx == nil {
		tx = eng.NewTestExec(ctx)
		for k, v := range falcoDefaults {
			if _, over := opts.Overrides[k]; !over {
				tx.Inject(k, value.String(v))
			}
		}
		for k, v := range opts.Overrides {
			tx.Inject(k, value.String(v))
		}
		if tc.Group != nil {
			groups[tc.Group] = tx
		}
	}
	tx.ResetCalls()
	logStart := len(tx.Logs())
	start := time.Now()
	var err error
	scopes := tc.Scopes.Subs()
	if tc.Group != nil {
		for _, k := range scopes {
			for _, h := range tc.Group.Before[k] {
				if err == nil {
					err = tx.Run(h, k)
				}
			}
		}
	}
	if err == nil {
		err = tx.Run(tc.Sub, tc.Scope)
	}
	if tc.Group != nil {
		for _, k := range scopes {
			for _, h := range tc.Group.After[k] {
				if herr := tx.Run(h, k); err == nil {
					err = herr
				}
			}
		}
	}
	s.ElapsedTime = ms(time.Since(start))
	s.Logs = append(s.Logs, tx.Logs()[logStart:]...)
	if err == nil {
		return
	}
	s.Error = err.Error()
	var re *interp.RuntimeError
	if errors.As(err, &re) && re.File != "" {
		s.File, s.Line, s.Position = re.File, re.Line, re.Col
	}
	var ae *AssertionError
	if errors.As(err, &ae) {
		s.Assertion = ae
		s.Error = ae.Error()
	} else if re != nil {
		s.Error = re.Msg
	}
}
