package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"go.lsp.dev/protocol"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/vcltest"
)

// Unit-test files (falco's format, package vcltest) in the editor: they are
// checked against the VCL they test, get code lenses to run or debug each
// test, and the failed assertions of the last run show as diagnostics.

// CommandRunTest is the workspace/executeCommand command that runs tests.
// Its one argument is {"uri": test file, "name": test subroutine (optional),
// "program": main VCL (optional)}; it answers with the report.
const CommandRunTest = "vclide.runTest"

// CommandDebugTest is the client-side command of the "debug test" lens
// (the editor starts a debug session of mode "test"); same argument.
const CommandDebugTest = "vclide.debugTest"

// runTestArgs is the argument of vclide.runTest and vclide.debugTest.
type runTestArgs struct {
	URI     protocol.DocumentURI `json:"uri"`
	Name    string               `json:"name,omitempty"`
	Program string               `json:"program,omitempty"`
}

// loadRoot checks a root file. A test file is checked together with the
// VCL it tests (see testTarget); testRoot reports that.
func loadRoot(ws *analysis.Workspace, root string, docs overlay, prev *analysis.Program) (prog *analysis.Program, err error, testRoot bool) {
	if ws.IsTestFile(root) {
		if main := testTarget(ws, root); main != "" {
			mt, merr := ws.ReadFile(main, docs.buffers)
			tt, terr := ws.ReadFile(root, docs.buffers)
			if merr == nil && terr == nil {
				return ws.CheckWithTests(ws.Parse(main, mt), []*syntax.File{ws.Parse(root, tt)}, docs.buffers), nil, true
			}
		}
	}
	text, err := ws.ReadFile(root, docs.buffers)
	if err != nil {
		return nil, err, false
	}
	return ws.CheckAfter(ws.Parse(root, text), docs.buffers, prev), nil, false
}

// testTarget is the VCL a test file tests: the configured main file, else
// the workspace file with the same name (x.test.vcl → x.vcl), else one in
// the same directory.
func testTarget(ws *analysis.Workspace, path string) string {
	if m := ws.Config.Main; m != "" {
		return m
	}
	var mains []string
	for _, f := range ws.Files() {
		if !ws.IsTestFile(f) {
			mains = append(mains, f)
		}
	}
	return analysis.TestTarget(path, mains)
}

// lookupFunction finds a builtin function or a testing.*/assert.* one.
func lookupFunction(name string) (*catalog.Function, bool) {
	if fn, ok := catalog.LookupFunction(name); ok {
		return fn, true
	}
	return analysis.TestFunction(name)
}

// lookupVariable finds a predefined variable or a testing.* one.
func lookupVariable(name string) (*catalog.Variable, bool) {
	if v, ok := catalog.LookupVariable(name); ok {
		return v, true
	}
	return analysis.TestVariable(name)
}

// testFile reports whether the completer's document is a test file.
func (c *completer) testFile() bool {
	return analysis.IsTestFile(c.file.Source.Name, c.snap.prog.Options)
}

// testFunctionItems offers testing.* and assert.* in test files.
func (c *completer) testFunctionItems(statement bool, ns string) {
	if !c.testFile() {
		return
	}
	for _, fn := range analysis.TestFunctions() {
		if ns != "" && !strings.HasPrefix(fn.Name, ns) {
			continue
		}
		sig := &fn.Overloads[0]
		if (sig.Return == catalog.TypeVoid) != statement && fn.Name != "testing.call_subroutine" {
			continue
		}
		it := protocol.CompletionItem{
			Label:         fn.Name,
			Kind:          protocol.CompletionItemKindFunction,
			Detail:        fn.Name + sig.String()[len(sig.Return.String())+1:] + " → " + sig.Return.String(),
			Documentation: shortDoc(fn.Description),
			SortText:      sortFunc + fn.Name,
		}
		c.callInsert(&it, fn.Name, sig.Params, statement)
		c.items = append(c.items, completionItem{CompletionItem: it})
	}
}

// testVariableItems offers testing.state and the other testing variables
// (read-only) in test files.
func (c *completer) testVariableItems(mode, ns string) {
	if mode != "read" || !c.testFile() {
		return
	}
	for _, v := range analysis.TestVariables() {
		if ns != "" && !strings.HasPrefix(v.Name, ns) {
			continue
		}
		c.items = append(c.items, completionItem{CompletionItem: protocol.CompletionItem{
			Label: v.Name, Kind: protocol.CompletionItemKindVariable,
			Detail: v.Type.String() + " · read-only, test files", Documentation: shortDoc(v.Description), SortText: sortVar + v.Name,
		}})
	}
}

// codeLenses returns "▶ run all" at the top of a test file and "▶ run
// test" / "debug test" above each test subroutine.
func codeLenses(ctx context.Context, q *docQuery, p *protocol.CodeLensParams) (any, error) {
	snap, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	out := []protocol.CodeLens{}
	var tf *analysis.TestFile
	for _, t := range snap.prog.Tests {
		if t.File.Source.Name == f.Source.Name {
			tf = t
		}
	}
	if tf == nil {
		return out, nil
	}
	uri := p.TextDocument.URI
	program := snap.prog.Root.Source.Name
	arg := func(name string) []any {
		return []any{runTestArgs{URI: uri, Name: name, Program: program}}
	}
	top := q.conv.rng(f.Source, syntax.Range{})
	out = append(out, protocol.CodeLens{Range: top, Command: &protocol.Command{Title: "▶ run all", Command: CommandRunTest, Arguments: arg("")}})
	for _, tc := range tf.Cases {
		r := q.conv.rng(f.Source, tc.Sub.Decl.Name.Range)
		out = append(out,
			protocol.CodeLens{Range: r, Command: &protocol.Command{Title: "▶ run test", Command: CommandRunTest, Arguments: arg(tc.Sub.Name)}},
			protocol.CodeLens{Range: r, Command: &protocol.Command{Title: "debug test", Command: CommandDebugTest, Arguments: arg(tc.Sub.Name)}})
	}
	return out, nil
}

// testResults keeps the failures of the last run per test file, published
// as diagnostics on the assertion's line.
type testResults struct {
	mu     sync.Mutex
	byFile map[string][]*analysis.Diagnostic
}

func (r *testResults) set(file string, diags []*analysis.Diagnostic) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byFile == nil {
		r.byFile = map[string][]*analysis.Diagnostic{}
	}
	r.byFile[file] = diags
}

func (r *testResults) get(file string) []*analysis.Diagnostic {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byFile[file]
}

// executeCommand runs vclide.runTest.
func executeCommand(s *Server, raw json.RawMessage) (runner, error) {
	var p protocol.ExecuteCommandParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.Command != CommandRunTest {
		return nil, rpcError(codeInvalidParams, "unknown command "+p.Command)
	}
	var a runTestArgs
	if len(p.Arguments) == 1 {
		b, _ := json.Marshal(p.Arguments[0])
		_ = json.Unmarshal(b, &a)
	}
	if a.URI == "" {
		return nil, rpcError(codeInvalidParams, CommandRunTest+" needs {uri, name?, program?}")
	}
	return func(ctx context.Context) (any, error) { return s.runTests(ctx, a) }, nil
}

// runTests runs the tests of one file (or one test) with the open buffers
// and publishes its failures.
func (s *Server) runTests(ctx context.Context, a runTestArgs) (*vcltest.Report, error) {
	path := uriToPath(string(a.URI))
	ws := s.sess.workspaceFor(path)
	if !ws.IsTestFile(path) {
		return nil, rpcError(codeInvalidParams, path+" is not a test file (*.test.vcl, or the tests: globs of .vclide.yaml)")
	}
	program := a.Program
	if program == "" {
		program = testTarget(ws, path)
	}
	if program == "" {
		return nil, rpcError(codeRequestFailed, "no VCL to test next to "+path)
	}
	docs := s.sess.overlay()
	opts := vcltest.Options{Main: program, Workspace: ws, Buffers: docs.buffers, TestFiles: []string{path}}
	if a.Name != "" {
		opts.Filter = a.Name
	}
	rep, err := vcltest.Run(ctx, opts)
	if err != nil {
		return nil, rpcError(codeRequestFailed, err.Error())
	}
	var diags []*analysis.Diagnostic
	var src *syntax.Source
	if f := syntax.Parse(path, sourceText(ws, path, docs)); f != nil {
		src = f.Source
	}
	for _, fr := range rep.Tests {
		for _, st := range fr.Suites {
			if st.Error == "" || st.Skip || st.File != path || src == nil {
				continue
			}
			off := src.OffsetUTF8(st.Line-1, st.Position-1)
			end := src.LineEnd(st.Line - 1)
			diags = append(diags, &analysis.Diagnostic{File: src, Range: syntax.Range{Start: off, End: end}, Severity: analysis.SeverityError,
				Code: "test-failed", Message: fmt.Sprintf("test %s failed: %s", st.Name, st.Error)})
		}
	}
	s.testResults.set(path, diags)
	s.diag.republish(path)
	s.showMessage(protocol.MessageTypeInfo, vcltest.SummaryLine(rep.Summaries))
	return rep, nil
}

func sourceText(ws *analysis.Workspace, path string, docs overlay) string {
	t, _ := ws.ReadFile(path, docs.buffers)
	return t
}

// overlay returns the open buffers.
func (s *session) overlay() overlay {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.docs
}

// republish makes the next diagnostics run send path's diagnostics again
// (after a test run changed its test failures).
func (d *diagnoser) republish(path string) {
	d.mu.Lock()
	delete(d.published, path)
	d.mu.Unlock()
	d.schedule()
}
