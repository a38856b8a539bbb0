package lru

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

func TestEvictsLeastRecentlyUsedByBytes(t *testing.T) {
	// Each entry costs len(key) + 100 + entryOverhead bytes.
	per := int64(1 + 100 + entryOverhead)
	c := NewStrings(3*per, func(string) int64 { return 100 })
	c.Add("a", "A")
	c.Add("b", "B")
	c.Add("c", "C")
	if _, ok := c.Get("a"); !ok { // a becomes the most recent
		t.Fatal("a missing before any eviction")
	}
	c.Add("d", "D") // evicts b, the least recently used
	tests := []struct {
		key  string
		want bool
	}{{"a", true}, {"b", false}, {"c", true}, {"d", true}}
	for _, tt := range tests {
		if _, ok := c.Get(tt.key); ok != tt.want {
			t.Errorf("Get(%q) present = %v, want %v", tt.key, ok, tt.want)
		}
	}
	if got := c.Bytes(); got > 3*per {
		t.Errorf("Bytes() = %d, over the bound %d", got, 3*per)
	}
}

func TestBoundIsBytesNotEntries(t *testing.T) {
	c := NewStrings(1<<20, func(v []byte) int64 { return int64(len(v)) })
	for i := range 100 {
		c.Add(fmt.Sprint(i), make([]byte, 100<<10)) // 100 KB each
	}
	if c.Bytes() > 1<<20 {
		t.Fatalf("Bytes() = %d, over 1 MB", c.Bytes())
	}
	if n := c.Len(); n < 9 || n > 10 {
		t.Fatalf("Len() = %d, want the 9 or 10 entries that fit in 1 MB", n)
	}
}

func TestOversizedEntryIsNotCached(t *testing.T) {
	c := NewStrings(1000, func(v string) int64 { return int64(len(v)) })
	c.Add("small", "x")
	c.Add("big", strings.Repeat("x", 2000))
	if _, ok := c.Get("big"); ok {
		t.Error("an entry larger than the bound was cached")
	}
	if _, ok := c.Get("small"); !ok {
		t.Error("an oversized entry evicted the others")
	}
}

func TestReplaceKeepsAccounting(t *testing.T) {
	c := NewStrings(10000, func(v string) int64 { return int64(len(v)) })
	c.Add("k", strings.Repeat("x", 500))
	c.Add("k", "y")
	if got, want := c.Bytes(), int64(1+1+entryOverhead); got != want {
		t.Errorf("Bytes() after replacing = %d, want %d", got, want)
	}
	if v, _ := c.Get("k"); v != "y" {
		t.Errorf("Get = %q, want the replacement", v)
	}
}

// TestKeysAreCopied guards the leak the cache exists to prevent: a key
// sliced out of a large document must not keep the document alive.
func TestKeysAreCopied(t *testing.T) {
	doc := strings.Repeat("x", 1<<20) + "pattern" + strings.Repeat("y", 1<<20)
	key := doc[1<<20 : 1<<20+7]
	c := NewStrings(1<<20, func(bool) int64 { return 1 })
	c.Add(key, true)
	for k := range c.items {
		if unsafe.StringData(k) == unsafe.StringData(key) {
			t.Fatal("the cache stored the caller's key, which points into the whole document")
		}
	}
	if _, ok := c.Get(key); !ok {
		t.Fatal("the copied key does not find the entry")
	}
}

func TestConcurrentUse(t *testing.T) {
	c := NewStrings(4096, func(int) int64 { return 8 })
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				k := fmt.Sprint(g, "-", i%50)
				if _, ok := c.Get(k); !ok {
					c.Add(k, i)
				}
			}
		}()
	}
	wg.Wait()
	if c.Bytes() > 4096 {
		t.Fatalf("Bytes() = %d, over the bound", c.Bytes())
	}
}

func TestClear(t *testing.T) {
	c := NewStrings(1<<20, func(int) int64 { return 8 })
	c.Add("a", 1)
	c.Add("b", 2)
	c.Clear()
	if _, ok := c.Get("a"); ok || c.Len() != 0 || c.Bytes() != 0 {
		t.Fatalf("after Clear: Len %d, Bytes %d", c.Len(), c.Bytes())
	}
	c.Add("c", 3)
	if v, ok := c.Get("c"); !ok || v != 3 {
		t.Fatal("the cache does not work after Clear")
	}
}
