// Package lru is a least-recently-used cache bounded by the bytes its
// entries hold, not by their number, for memoising pure computations in
// long-running servers (the language server, serve).
//
// A count bound is not enough there: one entry can be a 100-byte pattern or
// a 10 MB one, and a string key sliced out of a document keeps the whole
// document alive. The cache therefore charges each entry its key and value
// sizes and, for string keys, stores a copy of the key.
package lru

import (
	"container/list"
	"strings"
	"sync"
)

// entryOverhead approximates the bookkeeping of one entry (list element,
// map slot, entry struct) so that many tiny entries are still bounded.
const entryOverhead = 160

// Cache maps keys to values, evicting the least recently used entries when
// the bytes charged exceed the bound. It is safe for concurrent use.
type Cache[K comparable, V any] struct {
	mu       sync.Mutex
	maxBytes int64
	used     int64
	sizeOf   func(K, V) int64
	cloneKey func(K) K
	items    map[K]*list.Element
	order    list.List // front: most recently used
}

type entry[K comparable, V any] struct {
	key  K
	val  V
	size int64
}

// New returns a cache that holds at most maxBytes, as measured by sizeOf
// (the bytes an entry keeps alive, key included; a fixed per-entry
// overhead is added). cloneKey, when not nil, copies a key before it is
// stored, so that the cache never retains memory the caller's key points
// into.
func New[K comparable, V any](maxBytes int64, sizeOf func(K, V) int64, cloneKey func(K) K) *Cache[K, V] {
	return &Cache[K, V]{maxBytes: maxBytes, sizeOf: sizeOf, cloneKey: cloneKey, items: map[K]*list.Element{}}
}

// NewStrings returns a cache with string keys, which it copies; each entry
// is charged len(key) plus valueSize(value).
func NewStrings[V any](maxBytes int64, valueSize func(V) int64) *Cache[string, V] {
	return New(maxBytes, func(k string, v V) int64 { return int64(len(k)) + valueSize(v) }, strings.Clone)
}

// Get returns the value cached for key and marks it recently used.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*entry[K, V]).val, true
}

// Add caches value for key, replacing an earlier value, and evicts the
// least recently used entries until the cache fits its bound. An entry
// larger than the whole bound is not cached.
func (c *Cache[K, V]) Add(key K, value V) {
	size := c.sizeOf(key, value) + entryOverhead
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.removeLocked(el)
	}
	if size > c.maxBytes {
		return
	}
	if c.cloneKey != nil {
		key = c.cloneKey(key)
	}
	c.items[key] = c.order.PushFront(&entry[K, V]{key: key, val: value, size: size})
	c.used += size
	for c.used > c.maxBytes {
		c.removeLocked(c.order.Back())
	}
}

func (c *Cache[K, V]) removeLocked(el *list.Element) {
	e := c.order.Remove(el).(*entry[K, V])
	delete(c.items, e.key)
	c.used -= e.size
}

// Len returns the number of cached entries.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// Bytes returns the bytes charged to the cached entries.
func (c *Cache[K, V]) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

// Clear empties the cache.
func (c *Cache[K, V]) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.items)
	c.order.Init()
	c.used = 0
}
