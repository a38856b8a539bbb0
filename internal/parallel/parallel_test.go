package parallel

import (
	"sync"
	"testing"
)

// TestEach: every index is visited once, for any number of workers.
func TestEach(t *testing.T) {
	for _, workers := range []int{0, 1, 2, 8, 200} {
		var mu sync.Mutex
		seen := map[int]int{}
		Each(100, workers, func(i int) {
			mu.Lock()
			seen[i]++
			mu.Unlock()
		})
		for i := 0; i < 100; i++ {
			if seen[i] != 1 {
				t.Fatalf("workers=%d: index %d visited %d times", workers, i, seen[i])
			}
		}
	}
	Each(0, 4, func(int) { t.Fatal("work called for n = 0") })
}

// TestForWorkerState: each goroutine gets its own work function.
func TestForWorkerState(t *testing.T) {
	var mu sync.Mutex
	made := 0
	For(50, 3, func() func(int) {
		mu.Lock()
		made++
		mu.Unlock()
		return func(int) {}
	})
	if made != 3 {
		t.Errorf("%d work functions made, want one per goroutine (3)", made)
	}
}

// TestPanicComesBack: a panic in a worker is raised on the caller.
func TestPanicComesBack(t *testing.T) {
	for _, workers := range []int{1, 4} {
		func() {
			defer func() {
				if r := recover(); r != "boom" {
					t.Errorf("workers=%d: recovered %v, want the worker's panic", workers, r)
				}
			}()
			Each(10, workers, func(i int) {
				if i == 7 {
					panic("boom")
				}
			})
			t.Errorf("workers=%d: the panic was lost", workers)
		}()
	}
}
