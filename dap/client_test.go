package dap

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-dap"
	"go.uber.org/zap"
)

// testClient drives a Session over in-memory pipes with go-dap messages.
type testClient struct {
	tb     testing.TB
	w      io.WriteCloser
	seq    int
	msgs   chan dap.Message
	events []dap.Message // events read while waiting for something else
	done   chan struct{} // closed when Session.Run returns
	runErr error
	output strings.Builder
	mu     sync.Mutex
	// stops counts the stopped events read.
	stops int
}

// testdata returns the absolute path of a file in testdata/dap.
func testdata(tb testing.TB, name string) string {
	tb.Helper()
	p, err := filepath.Abs(filepath.Join("..", "testdata", "dap", name))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// lineOf finds the line holding "@marker" in a testdata file.
func lineOf(tb testing.TB, file, marker string) int {
	tb.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	for i, l := range strings.Split(string(data), "\n") {
		if k := strings.Index(l, "@"+marker); k >= 0 {
			rest := l[k+1+len(marker):]
			if rest == "" || rest[0] == ' ' {
				return i + 1
			}
		}
	}
	tb.Fatalf("no @%s in %s", marker, file)
	return 0
}

func newTestClient(tb testing.TB) *testClient {
	tb.Helper()
	cr, sw := io.Pipe()
	sr, cw := io.Pipe()
	c := &testClient{tb: tb, w: cw, msgs: make(chan dap.Message, 1024), done: make(chan struct{})}
	s := NewSession(sr, sw, zap.NewNop())
	go func() {
		c.runErr = s.Run()
		sw.Close()
		close(c.done)
	}()
	go func() {
		r := bufio.NewReader(cr)
		defer close(c.msgs)
		for {
			m, err := dap.ReadProtocolMessage(r)
			if err != nil {
				return
			}
			c.msgs <- m
		}
	}()
	tb.Cleanup(func() {
		cw.Close()
		select {
		case <-c.done:
		case <-time.After(10 * time.Second):
			tb.Errorf("the session did not end after the client went away")
		}
	})
	return c
}

// sendRaw writes one framed message.
func (c *testClient) sendRaw(body []byte) {
	c.tb.Helper()
	if err := dap.WriteBaseMessage(c.w, body); err != nil {
		c.tb.Fatalf("write: %v", err)
	}
}

// send writes a request and returns its seq.
func (c *testClient) send(command string, args any) int {
	c.tb.Helper()
	c.seq++
	m := map[string]any{"seq": c.seq, "type": "request", "command": command}
	if args != nil {
		m["arguments"] = args
	}
	// Unescaped '&', '<' and '>' keep long expressions (a && b && …)
	// small.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		c.tb.Fatal(err)
	}
	c.sendRaw(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return c.seq
}

const testTimeout = 15 * time.Second

// next reads the next message.
func (c *testClient) next() dap.Message {
	c.tb.Helper()
	select {
	case m, ok := <-c.msgs:
		if !ok {
			c.tb.Fatalf("the session closed the connection")
		}
		if _, ok := m.(*dap.StoppedEvent); ok {
			c.stops++
		}
		if o, ok := m.(*dap.OutputEvent); ok {
			c.mu.Lock()
			c.output.WriteString(o.Body.Output)
			c.mu.Unlock()
		}
		return m
	case <-time.After(testTimeout):
		c.tb.Fatalf("timed out waiting for a message; events so far: %s", c.eventNames())
	}
	return nil
}

func (c *testClient) eventNames() string {
	var names []string
	for _, e := range c.events {
		names = append(names, e.(dap.EventMessage).GetEvent().Event)
	}
	return strings.Join(names, ",")
}

// response waits for the response to seq, keeping events for later.
func (c *testClient) response(seq int) dap.ResponseMessage {
	c.tb.Helper()
	for {
		m := c.next()
		switch m := m.(type) {
		case dap.ResponseMessage:
			if m.GetResponse().RequestSeq == seq {
				return m
			}
			c.tb.Fatalf("unexpected response %+v", m.GetResponse())
		case dap.EventMessage:
			c.events = append(c.events, m)
		}
	}
}

// call sends a request and returns its successful response.
func (c *testClient) call(command string, args any) dap.ResponseMessage {
	c.tb.Helper()
	r := c.response(c.send(command, args))
	if !r.GetResponse().Success {
		c.tb.Fatalf("%s failed: %s", command, r.GetResponse().Message)
	}
	return r
}

// callErr sends a request that must fail and returns its message.
func (c *testClient) callErr(command string, args any) string {
	c.tb.Helper()
	r := c.response(c.send(command, args))
	if r.GetResponse().Success {
		c.tb.Fatalf("%s succeeded, want an error", command)
	}
	return r.GetResponse().Message
}

// event waits for the named event (consuming earlier buffered events up to
// it).
func (c *testClient) event(name string) dap.EventMessage {
	c.tb.Helper()
	for i, e := range c.events {
		if em := e.(dap.EventMessage); em.GetEvent().Event == name {
			c.events = c.events[i+1:]
			return em
		}
	}
	c.events = nil
	for {
		m := c.next()
		if em, ok := m.(dap.EventMessage); ok {
			if em.GetEvent().Event == name {
				return em
			}
			continue
		}
		c.tb.Fatalf("unexpected %T while waiting for %s", m, name)
	}
}

// outputText is everything the session printed so far.
func (c *testClient) outputText() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.output.String()
}

// start initializes and launches with args, runs setup (breakpoints) and
// sends configurationDone.
func (c *testClient) start(args map[string]any, setup func()) {
	c.tb.Helper()
	c.call("initialize", map[string]any{"adapterID": "vcl", "linesStartAt1": true, "columnsStartAt1": true})
	c.call("launch", args)
	c.event("initialized")
	if setup != nil {
		setup()
	}
	c.call("configurationDone", nil)
}

// stop describes where the debuggee stopped.
type stop struct {
	reason string
	text   string
	thread int
	frames []dap.StackFrame
}

func (s stop) top() dap.StackFrame { return s.frames[0] }

// stopped waits for a stopped event and loads the stack.
func (c *testClient) stopped() stop {
	c.tb.Helper()
	ev := c.event("stopped").(*dap.StoppedEvent)
	st := stop{reason: ev.Body.Reason, text: ev.Body.Text, thread: ev.Body.ThreadId}
	r := c.call("stackTrace", map[string]any{"threadId": st.thread}).(*dap.StackTraceResponse)
	st.frames = r.Body.StackFrames
	if len(st.frames) == 0 {
		c.tb.Fatalf("stopped (%s) with an empty stack", st.reason)
	}
	return st
}

// scopes returns the scopes of a frame by name.
func (c *testClient) scopes(frame int) map[string]int {
	c.tb.Helper()
	r := c.call("scopes", map[string]any{"frameId": frame}).(*dap.ScopesResponse)
	out := map[string]int{}
	for _, s := range r.Body.Scopes {
		out[s.Name] = s.VariablesReference
	}
	return out
}

// vars returns the children of a reference by name.
func (c *testClient) vars(ref int) map[string]dap.Variable {
	c.tb.Helper()
	r := c.call("variables", map[string]any{"variablesReference": ref}).(*dap.VariablesResponse)
	out := map[string]dap.Variable{}
	for _, v := range r.Body.Variables {
		out[v.Name] = v
	}
	return out
}

// eval evaluates an expression in the top frame.
func (c *testClient) eval(frame int, expr, context string) string {
	c.tb.Helper()
	r := c.call("evaluate", map[string]any{"expression": expr, "frameId": frame, "context": context}).(*dap.EvaluateResponse)
	return r.Body.Result
}

// setBreakpoints sets line breakpoints in a file and returns the answers.
func (c *testClient) setBreakpoints(file string, bps ...map[string]any) []dap.Breakpoint {
	c.tb.Helper()
	r := c.call("setBreakpoints", map[string]any{"source": map[string]any{"path": file}, "breakpoints": bps}).(*dap.SetBreakpointsResponse)
	return r.Body.Breakpoints
}

// runToEnd continues (from a stop on thread, when not 0) until the
// session terminates, continuing over every further stop.
func (c *testClient) runToEnd(thread int) *dap.ExitedEvent {
	c.tb.Helper()
	if thread != 0 {
		c.call("continue", map[string]any{"threadId": thread})
	}
	for _, e := range c.events {
		if ex, ok := e.(*dap.ExitedEvent); ok {
			c.events = nil
			return ex
		}
	}
	c.events = nil
	for {
		m := c.next()
		switch m := m.(type) {
		case *dap.StoppedEvent:
			c.call("continue", map[string]any{"threadId": m.Body.ThreadId})
		case *dap.ExitedEvent:
			c.event("terminated")
			return m
		case *dap.TerminatedEvent:
			c.tb.Fatalf("terminated without exited")
		}
	}
}

func bp(line int, kv ...any) map[string]any {
	m := map[string]any{"line": line}
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

// contains reports whether text has every part.
func contains(text string, parts ...string) bool {
	for _, p := range parts {
		if !bytes.Contains([]byte(text), []byte(p)) {
			return false
		}
	}
	return true
}
