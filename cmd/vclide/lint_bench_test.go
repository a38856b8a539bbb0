package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkLintCorpus is `vclide lint` of the whole shared corpus (134
// files) in one process, after the one-off costs of the first run.
//
// Parsing the files on two goroutines instead of one (parsing is a third
// of the time) measured no better on the shared 2-core machine (min of 5:
// 28.9 ms against 25.4 ms, load average 12-14), so lint stays sequential.
func BenchmarkLintCorpus(b *testing.B) {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", "vcl")
	if _, err := os.Stat(dir); err != nil {
		b.Skip("shared corpus not present")
	}
	run([]string{"lint", dir}, io.Discard, io.Discard)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run([]string{"lint", dir}, io.Discard, io.Discard)
	}
}
