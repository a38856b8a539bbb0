package dap

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/interp/scenario"
	"github.com/vclide/vclide/vcltest"
)

// The launch mode "test" debugs the VCL's unit tests (falco's format,
// package vcltest): "program" is the VCL under test, "tests" a test file or
// glob (default: the test files vclide test would find), "filter" a glob
// over test names. The tests run on one thread; breakpoints stop in the test
// files and in the VCL they test; the call stack shows the test calling
// vcl_recv; a failed assertion stops under the "assertion" exception filter.

const modeTest = "test"

// testTarget is what a test-mode launch runs.
type testTarget struct {
	opts vcltest.Options
}

// loadTestTarget checks the VCL together with its test files as one
// program, so that the statements the tests run are the ones breakpoints
// are set on.
func loadTestTarget(cfg LaunchConfig) (*target, error) {
	main, err := filepath.Abs(cfg.Program)
	if err != nil {
		return nil, fieldErrorf("program", "%v", err)
	}
	ws, err := analysis.OpenWorkspace(analysis.WorkspaceSpec{Start: main, Folders: []string{filepath.Dir(main)}, IncludePaths: cfg.IncludePaths})
	if ws == nil {
		return nil, fmt.Errorf("launch: %v", err)
	}
	if ws.IsTestFile(main) {
		// Started from a test file: debug it against the VCL it tests.
		testFile := main
		var mains []string
		for _, f := range ws.Files() {
			if !ws.IsTestFile(f) {
				mains = append(mains, f)
			}
		}
		if main = analysis.TestTarget(testFile, mains); main == "" {
			return nil, fieldErrorf("program", "is a test file and no VCL to test sits next to it (%s)", testFile)
		}
		if cfg.Tests == "" {
			cfg.Tests = testFile
		}
	}
	opts := vcltest.Options{Main: main, Workspace: ws, Filter: cfg.Filter}
	if cfg.Tests != "" {
		opts.TestFiles = []string{cfg.Tests}
	}
	files, err := vcltest.Discover(opts)
	if err != nil {
		return nil, fieldErrorf("tests", "%v", err)
	}
	if len(files) == 0 {
		return nil, fieldErrorf("tests", "no test files (*.test.vcl) next to %s or in the include paths", filepath.Base(main))
	}
	mt, err := ws.ReadFile(main, nil)
	if err != nil {
		return nil, fieldErrorf("program", "cannot be read: %v", err)
	}
	var tests []*syntax.File
	for _, f := range files {
		text, err := ws.ReadFile(f, nil)
		if err != nil {
			return nil, fieldErrorf("tests", "cannot read %s: %v", f, err)
		}
		tests = append(tests, syntax.Parse(f, text))
	}
	prog := ws.CheckWithTests(syntax.Parse(main, mt), tests, nil)
	t := &target{cfg: cfg, prog: prog, tests: &testTarget{opts: opts}, scen: &scenario.Scenario{VCL: main}}
	t.spelling = headerSpellings(prog)
	t.jobs = []*job{{thread: 1, label: "tests"}}
	return t, nil
}

// runTestsOnce runs the tests under the debugger: one thread for the whole
// run, the report written to the debug console.
func (d *driver) runTestsOnce() bool {
	d.resetRun()
	ctx, done := d.withCancel()
	j := d.jobAt(0)
	th := &thr{job: j}
	d.testThr = th
	if !d.silent() {
		d.s.threadStarted(j)
	}
	opts := d.t.tests.opts
	opts.Hooks = hookAdapter{d}
	rep := vcltest.RunProgram(ctx, opts, d.t.prog)
	done()
	d.cur, d.testThr = nil, nil
	if d.abort != nil {
		return d.afterAbort()
	}
	if !d.silent() {
		var b bytes.Buffer
		wd, _ := os.Getwd()
		vcltest.WriteText(&b, rep, wd)
		d.s.output("stdout", b.String())
	}
	d.failed = rep.Failed()
	d.replayTo, d.scanning = 0, false
	d.s.finished(d.failed)
	return d.idle()
}

// validateTestMode checks the test-mode fields.
func (c *LaunchConfig) validateTestMode() error {
	if c.Mode != modeTest {
		if c.Tests != "" {
			return fieldErrorf("tests", `is only used with "mode": %q`, modeTest)
		}
		if c.Filter != "" {
			return fieldErrorf("filter", `is only used with "mode": %q`, modeTest)
		}
		return nil
	}
	if c.Program == "" {
		return fieldErrorf("program", `is required with "mode": %q (the VCL under test)`, modeTest)
	}
	if c.Tests != "" {
		if _, err := filepath.Match(c.Tests, ""); err != nil {
			return fieldErrorf("tests", "is not a valid glob: %v", err)
		}
		if strings.ContainsAny(c.Tests, "*?[") {
			return nil
		}
		if st, err := os.Stat(c.Tests); err != nil || st.IsDir() {
			return fieldErrorf("tests", "must be a test file or a glob, not %q", c.Tests)
		}
	}
	return nil
}
