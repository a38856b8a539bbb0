package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkLintCorpus is `vclide lint` of the whole shared corpus (134
// files) in one process, after the one-off costs of the first run, with
// the files parsed and checked by one worker and by two.
func BenchmarkLintCorpus(b *testing.B) {
	dir := lintCorpusDir(b)
	defer func(w int) { lintWorkers = w }(lintWorkers)
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			lintWorkers = workers
			run([]string{"lint", dir}, io.Discard, io.Discard)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				run([]string{"lint", dir}, io.Discard, io.Discard)
			}
		})
	}
}

// lintCorpusDir is the shared corpus, or skips the test.
func lintCorpusDir(tb testing.TB) string {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "vcl")
	if _, err := os.Stat(dir); err != nil {
		tb.Skip("shared corpus not present")
	}
	return dir
}

// TestLintParallelParseSameOutput: linting the corpus with files parsed and
// checked by several workers prints exactly what one worker prints.
func TestLintParallelParseSameOutput(t *testing.T) {
	dir := lintCorpusDir(t)
	defer func(w int) { lintWorkers = w }(lintWorkers)
	var outs [2]string
	for i, workers := range []int{1, 4} {
		lintWorkers = workers
		var out strings.Builder
		run([]string{"lint", "--format", "json", dir}, &out, io.Discard)
		outs[i] = out.String()
	}
	if outs[0] != outs[1] || len(outs[0]) < 1000 {
		t.Errorf("one worker printed %d bytes, four printed %d, and they differ or are too short", len(outs[0]), len(outs[1]))
	}
}
