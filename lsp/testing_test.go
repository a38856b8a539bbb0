package lsp

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

const lensMain = `backend F_origin { .host = "example.com"; }
sub helper { set req.http.X = "1"; }
sub vcl_recv {
#FASTLY recv
  call helper;
  return(lookup);
}
`

const lensTest = `// @scope: recv
// @suite: passes
sub test_pass {
  testing.call_subroutine("vcl_recv");
  assert.equal(req.http.X, "1");
}

// @scope: recv
sub test_fail {
  testing.call_subroutine("vcl_recv");
  assert.state(pass);
}
`

// TestTestFileInTheEditor: a test file is checked against the VCL it tests
// (no false errors), gets code lenses, runs through vclide.runTest, and
// its failed assertion shows as a diagnostic on the assert line.
func TestTestFileInTheEditor(t *testing.T) {
	dir := writeFiles(t, t.TempDir(), map[string]string{"main.vcl": lensMain, "main.test.vcl": lensTest})
	c := newTestClient(t, clientOpts{folder: dir})
	testPath := filepath.Join(dir, "main.test.vcl")
	uri := c.open(testPath, lensTest)
	c.waitDiagnostics(uri, func(d []protocol.Diagnostic) bool {
		for _, x := range d {
			if x.Severity == protocol.DiagnosticSeverityError {
				t.Errorf("false error in the test file: %+v", x)
			}
		}
		return true
	})

	var lenses []protocol.CodeLens
	c.mustCall(protocol.MethodTextDocumentCodeLens, map[string]any{"textDocument": map[string]any{"uri": uri}}, &lenses)
	var titles []string
	for _, l := range lenses {
		titles = append(titles, l.Command.Title+"@"+itoaLSP(int(l.Range.Start.Line)))
	}
	if got := strings.Join(titles, ","); got != "▶ run all@0,▶ run test@2,debug test@2,▶ run test@8,debug test@8" {
		t.Errorf("lenses = %s", got)
	}
	// Each lens names its command and the test it runs or debugs (the
	// editor builds the "mode": "test" launch from these arguments).
	wantLens := []struct{ command, name string }{
		{CommandRunTest, ""}, {CommandRunTest, "test_pass"}, {CommandDebugTest, "test_pass"},
		{CommandRunTest, "test_fail"}, {CommandDebugTest, "test_fail"},
	}
	for i, w := range wantLens {
		if i >= len(lenses) {
			break
		}
		cmd := lenses[i].Command
		var args []runTestArgs
		b, _ := json.Marshal(cmd.Arguments)
		if err := json.Unmarshal(b, &args); err != nil || len(args) != 1 {
			t.Fatalf("lens %d arguments %s: %v", i, b, err)
		}
		if cmd.Command != w.command || args[0].Name != w.name || args[0].URI != uri || filepath.Base(string(args[0].Program)) != "main.vcl" {
			t.Errorf("lens %d (%s): command %q arguments %+v, want %q for test %q of main.vcl", i, cmd.Title, cmd.Command, args[0], w.command, w.name)
		}
	}
	run := lenses[3].Command
	if run.Command != CommandRunTest {
		t.Fatalf("lens command %q", run.Command)
	}
	var rep struct {
		Summaries struct{ Passes, Fails int } `json:"summaries"`
	}
	c.mustCall(protocol.MethodWorkspaceExecuteCommand, map[string]any{"command": run.Command, "arguments": run.Arguments}, &rep)
	if rep.Summaries.Fails != 1 || rep.Summaries.Passes != 0 {
		t.Errorf("one test run: %+v", rep.Summaries)
	}
	diags := c.waitDiagnostics(uri, func(d []protocol.Diagnostic) bool {
		for _, x := range d {
			if x.Code == "test-failed" {
				return true
			}
		}
		return false
	})
	for _, x := range diags {
		if x.Code == "test-failed" && (x.Range.Start.Line != 10 || x.Range.Start.Character != 2 || !strings.Contains(x.Message, "assert.state")) {
			t.Errorf("failure diagnostic %+v, want it on line 11 col 3", x)
		}
	}
	// Run all: one passes, one fails.
	c.mustCall(protocol.MethodWorkspaceExecuteCommand, map[string]any{"command": CommandRunTest, "arguments": lenses[0].Command.Arguments}, &rep)
	if rep.Summaries.Fails != 1 || rep.Summaries.Passes != 1 {
		t.Errorf("run all: %+v", rep.Summaries)
	}
	var bad json.RawMessage
	if err := c.call(protocol.MethodWorkspaceExecuteCommand, map[string]any{"command": "nope"}, &bad); err == nil {
		t.Error("an unknown command succeeded")
	}
}

// TestTestingCompletionHoverSignature: testing.* and assert.* complete,
// hover and show signatures in test files, and do not complete elsewhere.
func TestTestingCompletionHoverSignature(t *testing.T) {
	text := "// @scope: recv\nsub test_a {\n  assert.eq\n}\n// @scope: recv\nsub test_b {\n  set req.http.S = testing.st;\n}\n"
	clean := "// @scope: recv\nsub test_c {\n  assert.equal(req.url, \"/\");\n}\n"
	dir := writeFiles(t, t.TempDir(), map[string]string{"main.vcl": lensMain, "main.test.vcl": text, "clean.test.vcl": clean})
	c := newTestClient(t, clientOpts{folder: dir})
	uri := c.open(filepath.Join(dir, "main.test.vcl"), text)
	curi := c.open(filepath.Join(dir, "clean.test.vcl"), clean)
	labels := func(pos protocol.Position) string {
		var list struct {
			Items []protocol.CompletionItem `json:"items"`
		}
		c.mustCall(protocol.MethodTextDocumentCompletion, tdp(uri, pos), &list)
		var out []string
		for _, it := range list.Items {
			out = append(out, it.Label)
		}
		return strings.Join(out, ",")
	}
	if got := labels(at(t, text, "assert.eq\n", 9)); !strings.Contains(got, "assert.equal") || !strings.Contains(got, "assert.equal_fold") {
		t.Errorf("completion after assert.eq: %s", got)
	}
	if got := labels(at(t, text, "testing.st;", 10)); !strings.Contains(got, "testing.state") {
		t.Errorf("completion after testing.st: %s", got)
	}
	var hov protocol.Hover
	c.mustCall(protocol.MethodTextDocumentHover, tdp(curi, at(t, clean, "assert.equal(", 3)), &hov)
	if !strings.Contains(hov.Contents.Value, "assert.equal") || !strings.Contains(hov.Contents.Value, "strict_equal") {
		t.Errorf("hover: %q", hov.Contents.Value)
	}
	var sig struct {
		Signatures []struct {
			Label string `json:"label"`
		} `json:"signatures"`
		ActiveParameter int `json:"activeParameter"`
	}
	c.mustCall(protocol.MethodTextDocumentSignatureHelp, tdp(curi, at(t, clean, "req.url, \"/\"", 9)), &sig)
	if len(sig.Signatures) != 1 || !strings.Contains(sig.Signatures[0].Label, "assert.equal(") || sig.ActiveParameter != 1 {
		t.Errorf("signature help: %+v", sig)
	}
	// Not offered in the VCL under test.
	mainText := "sub vcl_recv {\n#FASTLY recv\n  assert.\n}\n"
	muri := c.open(filepath.Join(dir, "other.vcl"), mainText)
	var list struct {
		Items []protocol.CompletionItem `json:"items"`
	}
	c.mustCall(protocol.MethodTextDocumentCompletion, tdp(muri, at(t, mainText, "assert.", 7)), &list)
	for _, it := range list.Items {
		if strings.HasPrefix(it.Label, "assert") {
			t.Errorf("%s offered outside a test file", it.Label)
		}
	}
}

func itoaLSP(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
