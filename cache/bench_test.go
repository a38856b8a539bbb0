package cache

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

func benchStore(n int) (*Store, []string) {
	s := NewStore("bench")
	keys := make([]string, n)
	h := hdr("Cache-Control", "max-age=3600", "Content-Type", "text/html", "Surrogate-Key", "a b")
	f := ParseFreshness(200, h, t0)
	for i := range keys {
		keys[i] = fmt.Sprintf("example.com/item/%d", i)
		s.Insert(NewObject(keys[i], 200, h, []byte("<html></html>"), f, t0))
	}
	return s, keys
}

func BenchmarkLookupHit(b *testing.B) {
	s, keys := benchStore(1024)
	now := t0.Add(time.Minute)
	i := 0
	for b.Loop() {
		if s.Lookup(keys[i&1023], nil, now).Status != LookupHit {
			b.Fatal("miss")
		}
		i++
	}
}

func BenchmarkLookupHitVary(b *testing.B) {
	s := NewStore("bench")
	for _, enc := range []string{"gzip", "br", "identity"} {
		o := object("/v", hdr("Cache-Control", "max-age=3600", "Vary", "Accept-Encoding"), t0)
		o.SetVariant(hdr("Accept-Encoding", enc))
		s.Insert(o)
	}
	req := http.Header{"Accept-Encoding": {"br"}}
	now := t0.Add(time.Minute)
	for b.Loop() {
		if s.Lookup("/v", req, now).Status != LookupHit {
			b.Fatal("miss")
		}
	}
}

// BenchmarkLookupMissInsert is the miss path: lookup, then store what the
// backend returned.
func BenchmarkLookupMissInsert(b *testing.B) {
	s, keys := benchStore(1024)
	h := hdr("Cache-Control", "max-age=3600", "Content-Type", "text/html")
	obj := NewObject("", 200, h, []byte("<html></html>"), ParseFreshness(200, h, t0), t0)
	now := t0.Add(time.Minute)
	i := 0
	for b.Loop() {
		key := keys[i&1023]
		s.PurgeKey(key, false, now)
		if s.Lookup(key, nil, now).Status != LookupMiss {
			b.Fatal("hit after purge")
		}
		obj.Key = key
		if _, err := s.Insert(obj); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkFetchNode(b *testing.B) {
	p := New(4, 1)
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = fmt.Sprintf("example.com/item/%d", i)
	}
	i := 0
	for b.Loop() {
		p.FetchNode(keys[i&1023])
		i++
	}
}
