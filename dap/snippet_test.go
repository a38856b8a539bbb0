package dap

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-dap"
)

// testdataIn returns the absolute path of a file in testdata/DIR.
func testdataIn(tb testing.TB, dir, name string) string {
	tb.Helper()
	p, err := filepath.Abs(filepath.Join("..", "testdata", dir, name))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// TestSnippetLaunch: a vcl_recv snippet file runs inside the default
// boilerplate at #FASTLY recv, the console says so, and breakpoints in the
// snippet file stop there.
func TestSnippetLaunch(t *testing.T) {
	snippet := testdataIn(t, "snippet", "recv_snippet.vcl")
	first := lineOf(t, snippet, "first")
	blocked := lineOf(t, snippet, "blocked")
	c := newTestClient(t)
	c.start(map[string]any{"program": snippet, "requests": []string{"GET /blocked"}}, func() {
		bps := c.setBreakpoints(snippet, bp(first), bp(blocked))
		for _, b := range bps {
			if !b.Verified {
				t.Errorf("breakpoint at line %d not verified: %s", b.Line, b.Message)
			}
		}
	})
	for _, line := range []int{first, blocked} {
		st := c.stopped()
		top := st.top()
		if top.Source == nil || top.Source.Path != snippet || top.Line != line {
			t.Fatalf("stopped at %+v line %d, want %s:%d", top.Source, top.Line, snippet, line)
		}
		if top.Name != "vcl_recv" && !strings.Contains(top.Name, "recv") {
			t.Errorf("frame %q, want vcl_recv", top.Name)
		}
		c.call("continue", map[string]any{"threadId": st.thread})
	}
	c.runToEnd(0)
	out := c.outputText()
	if !strings.Contains(out, "snippet: recv_snippet.vcl runs as the body of vcl_recv in the default boilerplate, at #FASTLY recv") {
		t.Errorf("the console does not say the snippet runs in the boilerplate:\n%s", out)
	}
	if !strings.Contains(out, "403") {
		t.Errorf("the snippet's error 403 did not happen:\n%s", out)
	}
}

// TestSnippetBoilerplateSource: frames in the in-memory boilerplate a
// snippet runs in carry a sourceReference, and the source request serves
// it.
func TestSnippetBoilerplateSource(t *testing.T) {
	snippet := testdataIn(t, "snippet", "recv_snippet.vcl")
	c := newTestClient(t)
	c.start(map[string]any{"program": snippet, "stopOnEntry": true}, nil)
	st := c.stopped()
	var ref int
	for _, f := range st.frames {
		if f.Source != nil && f.Source.SourceReference > 0 {
			ref = f.Source.SourceReference
			if f.Source.Path != "" {
				t.Errorf("in-memory frame has a path: %+v", f.Source)
			}
		}
	}
	if ref == 0 {
		t.Fatalf("no frame in the boilerplate at the entry stop: %+v", st.frames)
	}
	r := c.call("source", map[string]any{"source": map[string]any{"sourceReference": ref}, "sourceReference": ref}).(*dap.SourceResponse)
	if !strings.Contains(r.Body.Content, "#FASTLY recv") || !strings.Contains(r.Body.Content, "recv_snippet.vcl") {
		t.Errorf("boilerplate source: %q", r.Body.Content)
	}
	c.runToEnd(st.thread)
}
