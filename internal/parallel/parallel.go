// Package parallel runs independent pieces of work on a few goroutines:
// files to parse or check, subroutines to check, programs of several open
// roots. Results go to the caller's slices by index, so the outcome does
// not depend on the number of goroutines.
package parallel

import (
	"sync"
	"sync/atomic"
)

// For calls work(i) for every i in [0, n) and returns when all calls are
// done. With workers <= 1 (or n <= 1) it runs them in order on the
// caller's goroutine; otherwise on min(workers, n) goroutines that take
// the next index as they finish. Each goroutine gets its own work function
// from newWorker (for per-goroutine state). A panic in a worker is raised
// again on the caller's goroutine once the others stopped, so the caller's
// recover sees it instead of the process ending.
func For(n, workers int, newWorker func() func(i int)) {
	workers = min(workers, n)
	if workers <= 1 {
		if n > 0 {
			work := newWorker()
			for i := 0; i < n; i++ {
				work(i)
			}
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var panicked atomic.Pointer[any]
	for range workers {
		work := newWorker()
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					panicked.CompareAndSwap(nil, &r)
					next.Store(int64(n)) // the others stop at their next index
				}
			}()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				work(i)
			}
		}()
	}
	wg.Wait()
	if r := panicked.Load(); r != nil {
		panic(*r)
	}
}

// Each is For with one work function shared by every goroutine.
func Each(n, workers int, work func(i int)) {
	For(n, workers, func() func(int) { return work })
}
