package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneBatchGC: the batch setting applies and is restored, and a GOGC
// the user set is left alone.
func TestTuneBatchGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	restore := tuneBatchGC()
	if got := debug.SetGCPercent(batchGCPercent); got != batchGCPercent {
		t.Errorf("GC percent during a batch command = %d, want %d", got, batchGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != batchMemoryCaps {
		t.Errorf("memory limit = %d, want %d", got, int64(batchMemoryCaps))
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GC percent after the command = %d, want 100 restored", got)
	}
	t.Setenv("GOGC", "50")
	tuneBatchGC()()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set by the user the GC percent changed to %d", got)
	}
}
