package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/textproto"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-dap"
)

// equivalenceDir is a workspace that uses every part of .vclide.yaml: an
// include path (lib), a snippet glob (snippets/*.vcl run in recv),
// declarations (F_service, office), a severity override (unused-local is an
// error) and a subroutine defined in a sibling file (helpers.vcl).
const equivalenceDir = "../../testdata/workspace/equivalence"

// TestWorkspaceEquivalence opens the same workspace through vclide lint,
// the language server, vclide run and the debug adapter, and checks that
// they see the same diagnostics and refuse to run the same programs.
func TestWorkspaceEquivalence(t *testing.T) {
	dir, err := filepath.Abs(equivalenceDir)
	if err != nil {
		t.Fatal(err)
	}
	lint := lintDiagnostics(t, dir)
	// Linting one file sees its sibling files too, as the editor does.
	var mainOnly []string
	for _, d := range lint {
		if strings.HasPrefix(d, "main.vcl:") || strings.HasPrefix(d, "lib/common.vcl:") {
			mainOnly = append(mainOnly, d)
		}
	}
	if one := lintDiagnostics(t, dir, filepath.Join(dir, "main.vcl")); strings.Join(one, "\n") != strings.Join(mainOnly, "\n") {
		t.Errorf("lint main.vcl:\n  %s\nwant (as in lint DIR):\n  %s", strings.Join(one, "\n  "), strings.Join(mainOnly, "\n  "))
	}
	lsp := lspDiagnostics(t, dir, []string{"main.vcl", "ok.vcl", "helpers.vcl", "snippets/extra.vcl"})
	if strings.Join(lint, "\n") != strings.Join(lsp, "\n") {
		t.Errorf("lint and the language server disagree:\nlint:\n  %s\nlsp:\n  %s", strings.Join(lint, "\n  "), strings.Join(lsp, "\n  "))
	}
	// Each feature of the configuration shows in the result: without it the
	// list would differ (an undefined backend or ACL, an include not found,
	// an unknown subroutine, a warning instead of an error, no scope error).
	for _, want := range []string{
		"main.vcl:5:17: error: var.unused is declared but never used [unused-local]",
		"snippets/extra.vcl:2:5: error: beresp.ttl cannot be set in vcl_recv; it can be set in vcl_fetch [variable-scope]",
	} {
		if !contains(lint, want) {
			t.Errorf("lint lacks %q:\n  %s", want, strings.Join(lint, "\n  "))
		}
	}
	for _, bad := range []string{"undefined-backend", "undefined-acl", "[include]", "unknown-subroutine"} {
		for _, d := range lint {
			if strings.Contains(d, bad) {
				t.Errorf("the configuration was not applied: %s", d)
			}
		}
	}

	// run and the debugger refuse exactly the same programs, with the same
	// diagnostics: lint's errors in the program's files, and calls of
	// subroutines only a sibling file defines.
	sibling := "main.vcl:10:8: error: subroutine helper is defined in helpers.vcl, which this program does not include; include it to run the program [unknown-subroutine]"
	for _, tc := range []struct {
		entry string
		files []string // the program's files
		extra []string // blocking beyond lint's errors
	}{
		{"main.vcl", []string{"main.vcl", "lib/common.vcl"}, []string{sibling}},
		{"snippets/extra.vcl", []string{"snippets/extra.vcl"}, nil},
		{"ok.vcl", []string{"ok.vcl", "lib/common.vcl"}, nil},
	} {
		t.Run(tc.entry, func(t *testing.T) {
			var want []string
			for _, d := range lint {
				file, _, _ := strings.Cut(d, ":")
				if strings.Contains(d, ": error: ") && contains(tc.files, file) {
					want = append(want, d)
				}
			}
			want = append(want, tc.extra...)
			sort.Strings(want)
			wantKeys := withoutSeverity(want)
			entry := filepath.Join(dir, tc.entry)
			runRefused, runDiags := runDiagnostics(t, dir, entry)
			dapRefused, dapDiags := dapDiagnostics(t, dir, entry)
			if runRefused != (len(want) > 0) || dapRefused != runRefused {
				t.Errorf("refused: run %v, dap %v; want %v", runRefused, dapRefused, len(want) > 0)
			}
			if strings.Join(runDiags, "\n") != strings.Join(want, "\n") {
				t.Errorf("run reports\n  %s\nwant\n  %s", strings.Join(runDiags, "\n  "), strings.Join(want, "\n  "))
			}
			if strings.Join(dapDiags, "\n") != strings.Join(wantKeys, "\n") {
				t.Errorf("dap reports\n  %s\nwant\n  %s", strings.Join(dapDiags, "\n  "), strings.Join(wantKeys, "\n  "))
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// withoutSeverity turns "f:1:2: error: msg [code]" into "f:1:2: msg", the
// form the debug adapter reports.
func withoutSeverity(ds []string) []string {
	re := regexp.MustCompile(`^([^:]+:\d+:\d+): \w+: (.*) \[[a-z-]+\]$`)
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = re.ReplaceAllString(d, "$1: $2")
	}
	return out
}

// relDiag renders a diagnostic as "relative/path:line:col: severity: message [code]".
func relDiag(dir, file string, line, col int, sev, msg, code string) string {
	rel, err := filepath.Rel(dir, file)
	if err != nil {
		rel = file
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", filepath.ToSlash(rel), line, col, sev, msg, code)
}

// lintDiagnostics lints target (a directory or file of the workspace dir).
func lintDiagnostics(t *testing.T, dir string, target ...string) []string {
	t.Helper()
	var stdout, stderr strings.Builder
	if len(target) == 0 {
		target = []string{dir}
	}
	run(append([]string{"lint", "--format", "json"}, target...), &stdout, &stderr)
	var diags []jsonDiagnostic
	if err := json.Unmarshal([]byte(stdout.String()), &diags); err != nil {
		t.Fatalf("lint output: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	out := make([]string, 0, len(diags))
	for _, d := range diags {
		out = append(out, relDiag(dir, d.File, d.Range.Start.Line, d.Range.Start.Col, d.Severity, d.Message, d.Code))
	}
	sort.Strings(out)
	return out
}

// runDiagnostics runs `vclide run ENTRY` and returns whether it refused
// the program and the diagnostics it printed.
func runDiagnostics(t *testing.T, dir, entry string) (bool, []string) {
	t.Helper()
	var stdout, stderr strings.Builder
	code := run([]string{"run", entry}, &stdout, &stderr)
	refused := strings.Contains(stderr.String(), "fix them before running it")
	if refused != (code == 2) {
		t.Errorf("run exited %d: %s", code, stderr.String())
	}
	re := regexp.MustCompile(`^(/[^:]+):(\d+):(\d+): (\w+): (.*) \[([a-z-]+)\]$`)
	var out []string
	for _, line := range strings.Split(stderr.String(), "\n") {
		if m := re.FindStringSubmatch(line); m != nil {
			l, _ := strconv.Atoi(m[2])
			c, _ := strconv.Atoi(m[3])
			out = append(out, relDiag(dir, m[1], l, c, m[4], m[5], m[6]))
		}
	}
	sort.Strings(out)
	return refused, out
}

// dapDiagnostics launches ENTRY in the debug adapter and returns whether
// the launch was refused and the diagnostics the refusal lists.
func dapDiagnostics(t *testing.T, dir, entry string) (bool, []string) {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- dapMain(context.Background(), nil, inR, outW, &stderr, nil)
		outW.Close()
	}()
	defer func() {
		inW.Close()
		go io.Copy(io.Discard, outR)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("vclide dap did not end")
		}
	}()
	r := bufio.NewReader(outR)
	initialize(t, inW, r)
	args, _ := json.Marshal(map[string]any{"program": entry})
	err := dap.WriteProtocolMessage(inW, &dap.LaunchRequest{
		Request:   dap.Request{ProtocolMessage: dap.ProtocolMessage{Seq: 2, Type: "request"}, Command: "launch"},
		Arguments: args,
	})
	if err != nil {
		t.Fatal(err)
	}
	for {
		m, err := dap.ReadProtocolMessage(r)
		if err != nil {
			t.Fatalf("reading the launch answer: %v", err)
		}
		switch m := m.(type) {
		case *dap.LaunchResponse:
			return false, nil
		case *dap.ErrorResponse:
			if m.Command != "launch" {
				continue
			}
			var out []string
			re := regexp.MustCompile(`^(/[^:]+):(\d+):(\d+): (.*)$`)
			for _, line := range strings.Split(m.Message, "\n") {
				if mm := re.FindStringSubmatch(line); mm != nil {
					rel, _ := filepath.Rel(dir, mm[1])
					out = append(out, fmt.Sprintf("%s:%s:%s: %s", filepath.ToSlash(rel), mm[2], mm[3], mm[4]))
				}
			}
			sort.Strings(out)
			return true, out
		}
	}
}

// lspDiagnostics opens files of dir in the language server (dir is the
// workspace folder) and returns every diagnostic it publishes, for those
// files and the files they include, once it is quiet.
func lspDiagnostics(t *testing.T, dir string, open []string) []string {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	lspStdin = inR
	defer func() { lspStdin = os.Stdin }()
	var stderr lspBuffer
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"lsp", "--log-level", "error"}, outW, &stderr)
		outW.Close()
	}()
	send := func(msg map[string]any) {
		msg["jsonrpc"] = "2.0"
		b, _ := json.Marshal(msg)
		if _, err := io.WriteString(inW, lspFrame(string(b))); err != nil {
			t.Fatal(err)
		}
	}
	type published struct {
		URI         string `json:"uri"`
		Diagnostics []struct {
			Range struct {
				Start struct{ Line, Character int } `json:"start"`
			} `json:"range"`
			Severity int    `json:"severity"`
			Code     string `json:"code"`
			Message  string `json:"message"`
		} `json:"diagnostics"`
	}
	msgs := make(chan json.RawMessage, 100)
	go func() {
		defer close(msgs)
		tr := textproto.NewReader(bufio.NewReader(outR))
		for {
			h, err := tr.ReadMIMEHeader()
			if err != nil {
				return
			}
			n, _ := strconv.Atoi(h.Get("Content-Length"))
			body := make([]byte, n)
			if _, err := io.ReadFull(tr.R, body); err != nil {
				return
			}
			msgs <- body
		}
	}()
	root := "file://" + dir
	send(map[string]any{"id": 1, "method": "initialize", "params": map[string]any{
		"capabilities":     map[string]any{},
		"rootUri":          root,
		"workspaceFolders": []map[string]any{{"uri": root, "name": "ws"}},
	}})
	send(map[string]any{"method": "initialized", "params": map[string]any{}})
	for _, f := range open {
		text, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		send(map[string]any{"method": "textDocument/didOpen", "params": map[string]any{
			"textDocument": map[string]any{"uri": root + "/" + f, "languageId": "vcl", "version": 1, "text": string(text)},
		}})
	}
	latest := map[string][]string{}
	sevs := map[int]string{1: "error", 2: "warning", 3: "info", 4: "hint"}
	quiet := time.NewTimer(3 * time.Second)
	deadline := time.After(30 * time.Second)
collect:
	for {
		select {
		case raw, ok := <-msgs:
			if !ok {
				break collect
			}
			var m struct {
				Method string    `json:"method"`
				Params published `json:"params"`
			}
			if json.Unmarshal(raw, &m) != nil || m.Method != "textDocument/publishDiagnostics" {
				continue
			}
			path := strings.TrimPrefix(m.Params.URI, "file://")
			var ds []string
			for _, d := range m.Params.Diagnostics {
				ds = append(ds, relDiag(dir, path, d.Range.Start.Line+1, d.Range.Start.Character+1, sevs[d.Severity], d.Message, d.Code))
			}
			latest[path] = ds
			quiet.Reset(1500 * time.Millisecond)
		case <-quiet.C:
			break collect
		case <-deadline:
			t.Fatal("the language server never went quiet")
		}
	}
	send(map[string]any{"id": 2, "method": "shutdown"})
	send(map[string]any{"method": "exit"})
	go func() {
		for range msgs {
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Error("vclide lsp did not exit")
	}
	inW.Close()
	var out []string
	for _, ds := range latest {
		out = append(out, ds...)
	}
	sort.Strings(out)
	return out
}

// TestRunSnippet: `vclide run` on a vcl_recv snippet file runs it as the
// body of vcl_recv inside the default boilerplate, and says so in one line.
func TestRunSnippet(t *testing.T) {
	snippet, err := filepath.Abs("../../testdata/snippet/recv_snippet.vcl")
	if err != nil {
		t.Fatal(err)
	}
	note := "snippet: recv_snippet.vcl runs as the body of vcl_recv in the default boilerplate, at #FASTLY recv"
	var stdout, stderr strings.Builder
	if code := run([]string{"run", snippet, "-r", "/blocked", "-r", "/"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := stdout.String()
	if first, _, _ := strings.Cut(out, "\n"); first != note {
		t.Errorf("first line %q, want %q", first, note)
	}
	if strings.Count(out, note) != 1 {
		t.Errorf("the note should appear once:\n%s", out)
	}
	for _, want := range []string{"response: 403 Blocked by the snippet", "response: 200 OK", "vcl_recv     delivery  cache-sim3  → error"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// With --json, stdout stays JSON and the note goes to stderr.
	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"run", "--json", snippet, "-r", "/blocked"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(stdout.String()), &obj); err != nil {
		t.Errorf("stdout is not one JSON object: %v\n%s", err, stdout.String())
	}
	if strings.TrimSpace(stderr.String()) != note {
		t.Errorf("stderr %q, want the note", stderr.String())
	}
}

// TestRunMacroLocal runs a recv snippet that uses var.fastly_req_do_shield,
// the local Fastly's generated vcl_recv declares: it used to be refused
// ("var.fastly_req_do_shield is not declared in vcl_recv") although lint
// only warned. The macro sets it to true on the first pass.
func TestRunMacroLocal(t *testing.T) {
	snippet, err := filepath.Abs("../../testdata/macro_local/recv_snippet.vcl")
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr strings.Builder
	if code := run([]string{"run", snippet, "-r", "/page", "-r", "/admin"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	page, admin, _ := strings.Cut(out, "== GET /admin")
	if !strings.Contains(page, "response: 299 shield") {
		t.Errorf("/page: want 299 shield (the macro sets the local to true):\n%s", page)
	}
	if !strings.Contains(admin, "response: 298 no shield") {
		t.Errorf("/admin: want 298 no shield:\n%s", admin)
	}
}
