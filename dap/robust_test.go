package dap

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-dap"
)

func TestMalformedRequests(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want string // part of the error response, or of an output event
	}{
		{"unknown command", `{"seq":1,"type":"request","command":"frobnicate"}`, `unknown command "frobnicate"`},
		{"wrong argument type", `{"seq":1,"type":"request","command":"stackTrace","arguments":{"threadId":"one"}}`, `malformed "stackTrace" request`},
		{"not JSON", `{"seq":1,"type":"req`, "ignored a malformed message"},
		{"not a request", `{"seq":1,"type":"event","event":"stopped","body":{}}`, ""},
		{"attach", `{"seq":1,"type":"request","command":"attach","arguments":{}}`, "attach is not supported"},
		{"unsupported", `{"seq":1,"type":"request","command":"disassemble","arguments":{"memoryReference":"0","instructionCount":1}}`, "not supported"},
		{"stackTrace before launch", `{"seq":1,"type":"request","command":"stackTrace","arguments":{"threadId":1}}`, "launch first"},
		{"evaluate before launch", `{"seq":1,"type":"request","command":"evaluate","arguments":{"expression":"req.url"}}`, "launch first"},
		{"stepBack before launch", `{"seq":1,"type":"request","command":"stepBack","arguments":{"threadId":1}}`, "launch first"},
		{"restart before launch", `{"seq":1,"type":"request","command":"restart"}`, "before launch"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t)
			c.sendRaw([]byte(tc.raw))
			if tc.want != "" {
				got := ""
				for got == "" {
					switch m := c.next().(type) {
					case *dap.ErrorResponse:
						got = m.Message
					case *dap.OutputEvent:
						got = m.Body.Output
					}
				}
				if !strings.Contains(got, tc.want) {
					t.Errorf("got %q, want %q", got, tc.want)
				}
			}
			// The session goes on.
			c.seq = 10
			c.call("initialize", map[string]any{"adapterID": "vcl"})
			r := c.call("threads", nil).(*dap.ThreadsResponse)
			if len(r.Body.Threads) != 0 {
				t.Errorf("threads before launch: %+v", r.Body.Threads)
			}
		})
	}
}

func TestNotStopped(t *testing.T) {
	c := newTestClient(t)
	c.start(map[string]any{"program": testdata(t, "main.vcl"), "mode": "serve"}, nil)
	for _, cmd := range []string{"scopes", "variables", "evaluate", "setVariable"} {
		args := map[string]any{"threadId": 1, "frameId": 1, "variablesReference": 1, "expression": "req.url", "name": "req.url", "value": "1"}
		if msg := c.callErr(cmd, args); !strings.Contains(msg, "not stopped") {
			t.Errorf("%s: %q", cmd, msg)
		}
	}
	// No request is running: every thread id is unknown.
	for _, cmd := range []string{"continue", "next", "stepIn", "stepOut", "pause", "stepBack", "reverseContinue", "stackTrace"} {
		if msg := c.callErr(cmd, map[string]any{"threadId": 1}); !strings.Contains(msg, "unknown thread 1") {
			t.Errorf("%s: %q", cmd, msg)
		}
	}
	c.call("disconnect", nil)
}

// TestBeforeLaunch: stepping, continuing and pausing before a launch are
// errors (issue 10 item 12), and so is an unknown thread while stopped.
func TestBeforeLaunch(t *testing.T) {
	c := newTestClient(t)
	c.call("initialize", map[string]any{"adapterID": "vcl"})
	for _, cmd := range []string{"continue", "next", "stepIn", "stepOut", "pause", "stepBack", "reverseContinue"} {
		if msg := c.callErr(cmd, map[string]any{"threadId": 1}); !strings.Contains(msg, "launch first") {
			t.Errorf("%s before launch: %q", cmd, msg)
		}
	}
	c2, st := stopAt(t, map[string]any{"program": testdata(t, "main.vcl")}, "recv-call")
	for _, cmd := range []string{"continue", "next", "stepIn", "stepOut", "pause", "stepBack", "reverseContinue", "stackTrace"} {
		if msg := c2.callErr(cmd, map[string]any{"threadId": 99}); !strings.Contains(msg, "99") {
			t.Errorf("%s on thread 99: %q", cmd, msg)
		}
	}
	// The stop is intact.
	c2.runToEnd(st.thread)
}

// TestDisconnectMidStep closes the connection while a request is stopped:
// the session must end (the cleanup waits for it) and not hang.
func TestDisconnectMidStep(t *testing.T) {
	tests := []struct {
		name string
		end  func(c *testClient, st stop)
	}{
		{"connection closed while stopped", func(c *testClient, st stop) { c.w.Close() }},
		{"connection closed right after next", func(c *testClient, st stop) {
			c.send("next", map[string]any{"threadId": st.thread})
			c.w.Close()
		}},
		{"disconnect request", func(c *testClient, st stop) { c.call("disconnect", map[string]any{"terminateDebuggee": true}) }},
		{"terminate request", func(c *testClient, st stop) {
			c.call("terminate", nil)
			c.event("terminated")
			c.call("disconnect", nil)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, st := stopAt(t, map[string]any{"program": testdata(t, "main.vcl")}, "recv-call")
			tc.end(c, st)
			select {
			case <-c.done:
			case <-time.After(5 * time.Second):
				t.Fatal("the session did not end")
			}
		})
	}
}

func TestBrokenFraming(t *testing.T) {
	c := newTestClient(t)
	if _, err := c.w.Write([]byte("Content-Length: nope\r\n\r\n{}")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.done:
		if c.runErr == nil {
			t.Error("Run returned no error for broken framing")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the session did not end on broken framing")
	}
}

// TestLaunchFailureThenDisconnect: a program that does not compile ends the
// launch with an error and the session still ends cleanly.
func TestLaunchFailureThenDisconnect(t *testing.T) {
	c := newTestClient(t)
	c.call("initialize", map[string]any{"adapterID": "vcl"})
	msg := c.callErr("launch", map[string]any{"program": testdata(t, "broken.vcl")})
	if !strings.Contains(msg, "undefined_function") {
		t.Errorf("launch error %q does not show the diagnostic", msg)
	}
	c.call("disconnect", nil)
}
