package dap

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-dap"
)

// jsonPath writes a path the way Neovim's vim.json.encode does: every "/"
// as `\/`, every non-ASCII letter as a \u escape, a newline as `\n`.
func jsonPath(p string) string {
	var b strings.Builder
	for _, r := range p {
		switch {
		case r == '/':
			b.WriteString(`\/`)
		case r == '\n':
			b.WriteString(`\n`)
		case r > 0x7e:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapeFixture copies main.vcl and a scenario into a directory whose name
// needs a \u escape and a \n escape, with an include directory beside them.
func escapeFixture(t *testing.T) (dir string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "café\nbar")
	if err := os.MkdirAll(filepath.Join(dir, "inc"), 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(testdata(t, "main.vcl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.vcl"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "s.yaml"), []byte("vcl: main.vcl\nrequests: [{url: /from-the-scenario}]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestLaunchJSONEscapes sends every launch field with JSON escapes (`\/`,
// `\u00e9`, `\n`) as raw JSON text: they are decoded as JSON, never pasted
// into YAML (issue 11 item 1).
func TestLaunchJSONEscapes(t *testing.T) {
	dir := escapeFixture(t)
	run := fmt.Sprintf(`{
		"type": "vcl", "request": "launch", "name": "Debug a request",
		"program": "%[1]s\/main.vcl",
		"includePaths": ["%[1]s\/inc"],
		"scenario": "%[1]s\/s.yaml",
		"requests": [
			{"method": "GET", "url": "\/caf\u00e9\/a?next=\/b", "headers": {"X-Note": "\u00e9t\u00e9 \/ ok"}, "body": "line1\nline2",
			 "expect": {"status": 200, "body": "\u00e9t\u00e9\nfin\/"}},
			"HEAD \/x\/y"
		],
		"backends": {"F_origin": {"responses": [{"path": "\/**", "status": 200, "headers": {"X-From": "mock\/\u00e9"}, "body": "\u00e9t\u00e9\nfin\/"}]}},
		"origin": "http:\/\/127.0.0.1:9\/",
		"clustering": true, "nodes": 2, "seed": 5, "stopOnEntry": false,
		"mode": "r\u0075n"
	}`, jsonPath(dir))
	c := newTestClient(t)
	c.call("initialize", map[string]any{"adapterID": "vcl", "linesStartAt1": true, "columnsStartAt1": true})
	if r := c.response(c.sendRawRequest("launch", run)); !r.GetResponse().Success {
		t.Fatalf("launch: %s", r.GetResponse().Message)
	}
	c.event("initialized")
	c.call("configurationDone", nil)
	ex := c.runToEnd(0)
	if ex.Body.ExitCode != 0 {
		t.Errorf("exit code %d, want 0 (the expectations hold)", ex.Body.ExitCode)
	}
	out := c.outputText()
	for _, want := range []string{
		"GET /café/a?next=/b → 200", "HEAD /x/y → 200", "X-From: mock/é", "  été\n  fin/", "expectations passed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "from-the-scenario") {
		t.Errorf("the inline requests did not replace the scenario's")
	}

	// Serve mode: mode and listen escaped too.
	serve := fmt.Sprintf(`{"program": "%s\/main.vcl", "mode": "s\u0065rve", "listen": "127.0.0.1\u003a0"}`, jsonPath(dir))
	c2 := newTestClient(t)
	c2.call("initialize", map[string]any{"adapterID": "vcl"})
	if r := c2.response(c2.sendRawRequest("launch", serve)); !r.GetResponse().Success {
		t.Fatalf("serve launch: %s", r.GetResponse().Message)
	}
	c2.call("disconnect", nil)
}

// sendRawRequest sends a request whose arguments are raw JSON text.
func (c *testClient) sendRawRequest(command, args string) int {
	c.tb.Helper()
	c.seq++
	c.sendRaw([]byte(fmt.Sprintf(`{"seq": %d, "type": "request", "command": %q, "arguments": %s}`, c.seq, command, args)))
	return c.seq
}

var _ = dap.LaunchRequest{}
