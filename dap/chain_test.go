package dap

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-dap"
)

// TestLongChains launches a program holding a chain of a million operands
// and evaluates million-operand chains at a breakpoint: both overflowed
// the stack (launch checks and compiles the program, breakpoints walk it,
// evaluate parses and compiles the expression).
func TestLongChains(t *testing.T) {
	// Stack use must not grow with the chain: 64 MB is far below the 1 GB
	// a million nested links needed.
	defer debug.SetMaxStack(debug.SetMaxStack(64 << 20))
	testLongChains(t, 1_000_000)
}

func testLongChains(t *testing.T, n int) {
	dir := t.TempDir()
	vcl := filepath.Join(dir, "long.vcl")
	src := "sub vcl_recv {\n  set req.http.X-Long = " + strings.Repeat(`"ab" + `, n-1) + `"ab";` + "\n  set req.http.X-Stop = \"1\";\n}\n"
	if err := os.WriteFile(vcl, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	c := newTestClient(t)
	c.start(map[string]any{"program": vcl}, func() { c.setBreakpoints(vcl, bp(3)) })
	st := c.stopped()
	top := st.top().Id
	tests := []struct{ expr, want string }{
		{strconv.Itoa(n) + strings.Repeat("-1", n-1), "1"},
		{strings.Repeat("1&&", n-1) + "0", "false"},
		{strings.Repeat("0||", n-1) + "1", "true"},
		// A string on the left makes every '+' concatenate (1M-1 ones).
		{`""` + strings.Repeat("+1", n-1), strconv.Quote(strings.Repeat("1", n-1))},
		{"std.strlen(req.http.X-Long)", strconv.Itoa(2 * n)},
	}
	for _, tc := range tests {
		start := time.Now()
		r := c.call("evaluate", map[string]any{"expression": tc.expr, "frameId": top, "context": "repl"}).(*dap.EvaluateResponse)
		if r.Body.Result != tc.want {
			t.Errorf("%.20s… = %.40s, want %s", tc.expr, r.Body.Result, tc.want)
		}
		t.Logf("%.20s…: %v", tc.expr, time.Since(start))
	}
	c.runToEnd(st.thread)
}
