package main

import (
	"os"
	"runtime/debug"
)

// Batch commands run once and exit: collecting garbage early is wasted
// work. They let the heap grow to five times what is live (GOGC=400)
// under a soft memory limit, so a huge workspace is still collected in
// time. A GOGC or GOMEMLIMIT the user set is left alone.
const (
	batchGCPercent  = 400
	batchMemoryCaps = 1 << 30 // 1 GiB
)

// tuneBatchGC applies the batch setting and returns a function that
// restores the previous one (tests run many commands in one process).
func tuneBatchGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	oldPercent := debug.SetGCPercent(batchGCPercent)
	oldLimit := debug.SetMemoryLimit(batchMemoryCaps)
	return func() {
		debug.SetGCPercent(oldPercent)
		debug.SetMemoryLimit(oldLimit)
	}
}
