package dap

import (
	"path/filepath"
	"testing"

	"github.com/google/go-dap"
)

// BenchmarkNextRoundTrip measures what a user waits for after pressing
// "step over": the next request, the stopped event, then the stack trace,
// the scopes of the top frame and the variables of the first scope (the
// Request scope: every req.* variable of the subroutine), on Fastly's
// boilerplate VCL. When the request ends the session is restarted with the
// timer stopped.
func BenchmarkNextRoundTrip(b *testing.B) {
	vcl, err := filepath.Abs(filepath.Join("..", "examples", "boilerplate.vcl"))
	if err != nil {
		b.Fatal(err)
	}
	c := newTestClient(b)
	c.start(map[string]any{"program": vcl, "stopOnEntry": true, "requests": []any{"/"}}, nil)
	st := c.stopped()
	thread := st.thread
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.call("next", map[string]any{"threadId": thread})
		var stopped *dap.StoppedEvent
		for stopped == nil {
			switch m := c.next().(type) {
			case *dap.StoppedEvent:
				stopped = m
			case *dap.TerminatedEvent:
				b.StopTimer()
				c.call("restart", nil)
				for stopped == nil {
					stopped, _ = c.next().(*dap.StoppedEvent)
				}
				b.StartTimer()
			}
		}
		thread = stopped.Body.ThreadId
		frames := c.call("stackTrace", map[string]any{"threadId": thread}).(*dap.StackTraceResponse).Body.StackFrames
		scopes := c.call("scopes", map[string]any{"frameId": frames[0].Id}).(*dap.ScopesResponse).Body.Scopes
		vars := c.call("variables", map[string]any{"variablesReference": scopes[0].VariablesReference}).(*dap.VariablesResponse).Body.Variables
		if len(vars) == 0 {
			b.Fatal("no variables")
		}
	}
	b.StopTimer()
	c.call("disconnect", nil)
}
