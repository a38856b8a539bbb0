package lsp

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
)

// liveHeap returns the live heap after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// rssMB returns the process's resident set (Linux), or -1.
func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return -1
}

// TestSoakEdits types 2,000 characters into a large document through the
// language server, which answers a request about the new text after each
// one. Caches keyed by text sliced out of the document used to keep one
// copy of the document per keystroke (in a regular expression literal,
// 1,000 keystrokes in 500 KB: RSS 17 → 628 MB); the live heap must stay
// flat.
func TestSoakEdits(t *testing.T) {
	const (
		edits    = 2000
		warmup   = 200
		maxGrow  = 6 << 20
		fillSize = 100 << 10
	)
	tests := []struct {
		name   string
		line   string // line 1 of the document; the cursor starts at its end
		insert func(i int) string
		method string // asked after each edit
		at     bool   // the request takes the cursor position
	}{
		{
			name:   "regex literal, checked",
			line:   `  if (req.url ~ "^/a`,
			insert: func(i int) string { return string(rune('a' + i%26)) },
			method: protocol.MethodTextDocumentDocumentSymbol,
		},
		{
			name:   "namespaces, completed",
			line:   `  set req.http.Y = std`,
			insert: func(i int) string { return string(rune('a'+i%26)) + "." },
			method: protocol.MethodTextDocumentCompletion,
			at:     true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("sub vcl_recv {\n" + tt.line + "\") {\n    set req.http.X = \"1\";\n  }\n")
			for b.Len() < fillSize {
				b.WriteString("  # filler comment that makes the document large enough to notice\n")
			}
			b.WriteString("}\n")
			text := b.String()
			line, col := uint32(1), uint32(len(tt.line))

			c := newTestClient(t, clientOpts{noIndex: true, quiet: true})
			defer c.release()
			uri := c.open(filepath.Join(t.TempDir(), "main.vcl"), text)
			ask := func() {
				params := map[string]any{"textDocument": map[string]any{"uri": uri}}
				if tt.at {
					params["position"] = protocol.Position{Line: line, Character: col}
				}
				var out any
				c.mustCall(tt.method, params, &out)
			}
			ask()
			var before uint64
			var rssBefore float64
			for i := 1; i <= edits; i++ {
				pos := protocol.Position{Line: line, Character: col}
				ins := tt.insert(i)
				c.change(uri, i+1, &protocol.Range{Start: pos, End: pos}, ins)
				col += uint32(len(ins))
				ask()
				if i == warmup {
					before, rssBefore = liveHeap(), rssMB()
				}
			}
			after, rssAfter := liveHeap(), rssMB()
			t.Logf("%d edits in a %d KB document: live heap %.1f MB → %.1f MB (after %d warm-up edits), RSS %.1f MB → %.1f MB",
				edits, len(text)>>10, float64(before)/(1<<20), float64(after)/(1<<20), warmup, rssBefore, rssAfter)
			if grow := int64(after) - int64(before); grow > maxGrow {
				t.Fatalf("live heap grew by %.1f MB over %d edits, want at most %d MB", float64(grow)/(1<<20), edits-warmup, maxGrow>>20)
			}
		})
	}
}
