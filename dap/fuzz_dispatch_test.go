package dap

import (
	"bytes"
	"io"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/vclide/vclide/internal/fuzzmsg"
)

var fuzzExprs = []string{
	"req.url", "req.http.X-Trace", `req.http.Host + "x"`, "1 + 2 * 3", "std.tolower(req.url)",
	"beresp.status", "var.nope", `regsub(req.url, "^/", "")`, "(", "req.http.",
}

var fuzzResume = []string{"continue", "next", "stepIn", "stepOut", "pause", "stepBack", "reverseContinue"}

// dapFuzzStream builds a request stream from fuzzer input.
func dapFuzzStream(data []byte, program, broken string) []byte {
	r := fuzzmsg.NewReader(data)
	var out bytes.Buffer
	seq := 0
	req := func(command string, args any) {
		seq++
		m := map[string]any{"seq": seq, "type": "request", "command": command}
		if args != nil {
			m["arguments"] = args
		}
		out.Write(fuzzmsg.Frame(fuzzmsg.JSON(m)))
	}
	num := func() int { return fuzzmsg.Pick(r, r.Intn(4), r.Intn(40), 1000+r.Intn(4), -1) }
	source := func() map[string]any {
		return map[string]any{"path": fuzzmsg.Pick(r, program, broken, "/etc/passwd", "rel.vcl"), "sourceReference": r.Intn(3)}
	}
	if r.Intn(16) != 0 {
		req("initialize", map[string]any{"adapterID": "vcl", "linesStartAt1": r.Intn(2) == 0, "columnsStartAt1": true})
	}
	for n := 0; r.More() && n < 40; n++ {
		switch r.Intn(16) {
		case 0:
			req("launch", map[string]any{
				"program":     fuzzmsg.Pick(r, program, program, broken, "/nonexistent.vcl", r.String(8)),
				"stopOnEntry": r.Intn(2) == 0,
				"requests":    fuzzmsg.Pick[any](r, []any{"GET /", "GET /a?x=1"}, []any{map[string]any{"method": "POST", "url": "/p"}}, "bad", nil),
				"clustering":  r.Intn(2) == 0,
			})
			if r.Intn(4) != 0 {
				// The usual start: breakpoints, then run.
				req("setBreakpoints", map[string]any{"source": map[string]any{"path": program}, "breakpoints": []any{
					map[string]any{"line": 10 + r.Intn(50)}, map[string]any{"line": 10 + r.Intn(50)}}})
				req("configurationDone", nil)
			}
		case 1:
			req("setBreakpoints", map[string]any{"source": source(), "breakpoints": []any{
				map[string]any{"line": num()}, map[string]any{"line": r.Intn(70), "condition": fuzzmsg.Pick(r, fuzzExprs...), "hitCondition": r.String(3), "logMessage": r.String(10)},
			}})
		case 2:
			req(fuzzmsg.Pick(r, "setFunctionBreakpoints", "setExceptionBreakpoints"), map[string]any{
				"breakpoints": []any{map[string]any{"name": fuzzmsg.Pick(r, "vcl_recv", "add_trace", r.String(8))}},
				"filters":     []any{fuzzmsg.Pick(r, "error", "restart", r.String(5))}})
		case 3:
			req("configurationDone", nil)
		case 4:
			req(fuzzmsg.Pick(r, "threads", "stackTrace", "scopes", "variables", "exceptionInfo"), map[string]any{
				"threadId": num(), "frameId": num(), "variablesReference": num(), "startFrame": num(), "levels": num()})
		case 5, 6:
			req(fuzzmsg.Pick(r, fuzzResume...), map[string]any{"threadId": num()})
		case 7:
			req("evaluate", map[string]any{"expression": fuzzmsg.Pick(r, fuzzExprs...) + r.String(16), "frameId": num(),
				"context": fuzzmsg.Pick(r, "repl", "watch", "hover", "clipboard")})
		case 8:
			req(fuzzmsg.Pick(r, "setVariable", "setExpression"), map[string]any{"variablesReference": num(),
				"name": fuzzmsg.Pick(r, "req.url", "X-Trace", r.String(6)), "expression": fuzzmsg.Pick(r, fuzzExprs...), "value": r.String(12), "frameId": num()})
		case 9:
			req(fuzzmsg.Pick(r, "source", "breakpointLocations"), map[string]any{"source": source(), "sourceReference": num(), "line": num()})
		case 10:
			req(fuzzmsg.Pick(r, "restart", "terminate", "cancel", "attach", "loadedSources", r.String(6)), map[string]any{"requestId": num()})
		case 11:
			// Arguments of the wrong shape.
			req(fuzzmsg.Pick(r, "launch", "setBreakpoints", "evaluate", "stackTrace", "variables", "next"), fuzzmsg.Pick[any](r, "x", 3, []any{}, map[string]any{"threadId": "one", "source": 5}))
		case 12:
			// Framed, but not a valid request.
			out.Write(fuzzmsg.Frame(fuzzmsg.Pick(r, r.Bytes(40), []byte(`{"type":"event","event":"x"}`), []byte(`{"seq":"s","type":"request"}`), []byte(`null`))))
		case 13:
			if r.Intn(8) == 0 {
				out.Write(fuzzmsg.Invalid(r)) // bad framing ends the session
			}
		default:
			req(fuzzmsg.Pick(r, "threads", "next", "continue", "stackTrace"), map[string]any{"threadId": 1})
		}
	}
	return out.Bytes()
}

// FuzzDAPDispatch sends random sequences of valid and invalid requests to
// an in-process debug session. It must not crash, hang, or panic in a
// handler (handlers recover panics, so they are caught in the log).
func FuzzDAPDispatch(f *testing.F) {
	program, err := filepath.Abs(filepath.Join("..", "testdata", "dap", "main.vcl"))
	if err != nil {
		f.Fatal(err)
	}
	broken := filepath.Join(filepath.Dir(program), "broken.vcl")
	f.Add([]byte{})
	f.Add([]byte{1, 0, 0, 0, 0, 0, 1, 1, 20, 3, 5, 0, 4, 0, 4, 1, 7, 0, 5, 1, 6, 2, 15})
	f.Add([]byte{1, 0, 0, 1, 1, 4, 1, 10, 3, 14, 7, 3, 9, 8, 2, 12, 5, 11, 1})
	f.Add(bytes.Repeat([]byte{1, 0, 3, 0, 1, 0, 14, 4, 2, 7, 5, 8, 9, 6}, 6))
	f.Fuzz(func(t *testing.T, data []byte) {
		stream := dapFuzzStream(data, program, broken)
		stream = append(stream, fuzzmsg.Frame([]byte(`{"seq":100000,"type":"request","command":"disconnect","arguments":{"terminateDebuggee":true}}`))...)
		core, logs := observer.New(zap.ErrorLevel)
		conn := fuzzmsg.NewConn(bytes.NewReader(stream), 2*time.Second)
		s := NewSession(conn, io.Discard, zap.New(core))
		done := make(chan struct{})
		go func() {
			_ = s.Run()
			close(done)
		}()
		select {
		case <-done:
			conn.Done()
		case <-time.After(20 * time.Second):
			t.Fatalf("the session hung on %q", stream)
		}
		if panics := logs.FilterMessageSnippet("panic"); panics.Len() > 0 {
			e := panics.All()[0]
			t.Fatalf("%s: %v\nstream: %q", e.Message, e.ContextMap(), stream)
		}
	})
}
