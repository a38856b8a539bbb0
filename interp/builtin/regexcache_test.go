package builtin

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/vclide/vclide/interp/value"
)

// heapAfterGC returns the live heap.
func heapAfterGC() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// TestRuntimePatternCachesAreBounded sends 20,000 distinct runtime patterns
// (as `serve` sees them when a pattern comes from the request) through the
// functions that cache compiled patterns. The caches used to keep every
// pattern: serve's RSS grew from 14 to 371 MB over 20k requests.
func TestRuntimePatternCachesAreBounded(t *testing.T) {
	const patterns = 20000
	tests := []struct {
		fn   string
		args func(p string) []value.Value
	}{
		{"querystring.regfilter", func(p string) []value.Value { return []value.Value{vs("/?a=1&b=2"), rx(p)} }},
		{"regsub", func(p string) []value.Value { return []value.Value{vs("abc"), rx(p), vs("x")} }},
	}
	for _, tt := range tests {
		t.Run(tt.fn, func(t *testing.T) {
			before := heapAfterGC()
			for i := range patterns {
				p := fmt.Sprintf("^(?:user|session)_%d_[a-z]+(?:-[0-9]{2,8})?$", i)
				if _, err := call(t, newEnv(), tt.fn, tt.args(p)...); err != nil {
					t.Fatalf("%s(%q): %v", tt.fn, p, err)
				}
			}
			after := heapAfterGC()
			growth := int64(after) - int64(before)
			t.Logf("%s: %d distinct patterns, live heap %.1f MB → %.1f MB", tt.fn, patterns, float64(before)/(1<<20), float64(after)/(1<<20))
			// Each cache holds at most 8 MB by its own estimate; allow
			// the estimate to be off by half.
			if limit := int64(12 << 20); growth > limit {
				t.Fatalf("live heap grew by %.1f MB after %d distinct patterns, want at most %.1f MB (bounded cache)",
					float64(growth)/(1<<20), patterns, float64(limit)/(1<<20))
			}
		})
	}
}
