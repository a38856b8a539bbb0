package cache

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

var t0 = time.Date(2024, time.March, 1, 12, 0, 0, 0, time.UTC)

// hdr builds a header from name/value pairs; a name may repeat.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func httpDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

func TestParseFreshness(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		h         http.Header
		now       time.Time
		ttl       time.Duration
		swr, sie  time.Duration
		age       time.Duration
		cacheable bool
		source    string
	}{
		{
			name:   "surrogate-control max-age beats everything",
			status: 200,
			h: hdr("Surrogate-Control", "max-age=300", "Cache-Control", "s-maxage=60, max-age=30",
				"Expires", httpDate(t0.Add(time.Hour))),
			ttl: 300 * time.Second, cacheable: true, source: SourceSurrogateMaxAge,
		},
		{
			name: "s-maxage beats max-age", status: 200,
			h:   hdr("Cache-Control", "max-age=30, s-maxage=60", "Expires", httpDate(t0.Add(time.Hour))),
			ttl: 60 * time.Second, cacheable: true, source: SourceSMaxAge,
		},
		{
			name: "max-age beats Expires", status: 200,
			h:   hdr("Cache-Control", "public, max-age=30", "Expires", httpDate(t0.Add(time.Hour))),
			ttl: 30 * time.Second, cacheable: true, source: SourceMaxAge,
		},
		{
			name: "surrogate-control without max-age falls through to cache-control", status: 200,
			h:   hdr("Surrogate-Control", "stale-if-error=5", "Cache-Control", "max-age=9"),
			ttl: 9 * time.Second, sie: 5 * time.Second, cacheable: true, source: SourceMaxAge,
		},
		{
			name: "Expires is relative to Date when present", status: 200,
			h:   hdr("Date", httpDate(t0), "Expires", httpDate(t0.Add(600*time.Second))),
			now: t0.Add(100 * time.Second), ttl: 600 * time.Second, cacheable: true, source: SourceExpires,
		},
		{
			name: "Expires is relative to now without Date", status: 200,
			h:   hdr("Expires", httpDate(t0.Add(90*time.Second))),
			ttl: 90 * time.Second, cacheable: true, source: SourceExpires,
		},
		{
			name: "Expires in the past gives zero", status: 200,
			h:   hdr("Expires", httpDate(t0.Add(-time.Hour))),
			ttl: 0, cacheable: true, source: SourceExpires,
		},
		{
			name: "unparsable Expires means already expired", status: 200,
			h:   hdr("Expires", "0"),
			ttl: 0, cacheable: true, source: SourceExpires,
		},
		{
			name: "Expires ignores Age", status: 200,
			h:   hdr("Expires", httpDate(t0.Add(60*time.Second)), "Age", "30"),
			ttl: 60 * time.Second, age: 0, cacheable: true, source: SourceExpires,
		},
		{
			name: "Age is subtracted from max-age", status: 200,
			h:   hdr("Cache-Control", "max-age=30", "Age", "10"),
			ttl: 20 * time.Second, age: 10 * time.Second, cacheable: true, source: SourceMaxAge,
		},
		{
			name: "Age beyond max-age leaves zero", status: 200,
			h:   hdr("Cache-Control", "max-age=30", "Age", "45"),
			ttl: 0, age: 45 * time.Second, cacheable: true, source: SourceMaxAge,
		},
		{
			name: "default when nothing applies", status: 200,
			h:   hdr("Content-Type", "text/html"),
			ttl: DefaultTTL, cacheable: true, source: SourceDefault,
		},
		{
			name: "malformed max-age is ignored", status: 200,
			h:   hdr("Cache-Control", "max-age=soon"),
			ttl: DefaultTTL, cacheable: true, source: SourceDefault,
		},
		{
			name: "stale directives from surrogate-control", status: 200,
			h:   hdr("Surrogate-Control", "max-age=60, stale-while-revalidate=30, stale-if-error=600"),
			ttl: 60 * time.Second, swr: 30 * time.Second, sie: 600 * time.Second, cacheable: true,
			source: SourceSurrogateMaxAge,
		},
		{
			name: "each stale directive prefers surrogate-control, then cache-control", status: 200,
			h: hdr("Surrogate-Control", "max-age=10, stale-if-error=5",
				"Cache-Control", "max-age=1, stale-while-revalidate=7, stale-if-error=99"),
			ttl: 10 * time.Second, swr: 7 * time.Second, sie: 5 * time.Second, cacheable: true,
			source: SourceSurrogateMaxAge,
		},
		{
			name: "private and no-store are not honoured", status: 200,
			h:   hdr("Cache-Control", "private, no-store, no-cache, max-age=50"),
			ttl: 50 * time.Second, cacheable: true, source: SourceMaxAge,
		},
		{
			name: "names are case-insensitive, values may be quoted, lines combine", status: 200,
			h:   hdr("Cache-Control", "public", "Cache-Control", `Max-Age="45"`),
			ttl: 45 * time.Second, cacheable: true, source: SourceMaxAge,
		},
		{
			name: "500 is not cacheable but still gets a TTL", status: 500,
			h:   hdr("Cache-Control", "max-age=60"),
			ttl: 60 * time.Second, cacheable: false, source: SourceMaxAge,
		},
		{name: "404 is cacheable", status: 404, h: hdr(), ttl: DefaultTTL, cacheable: true, source: SourceDefault},
		{name: "410 is cacheable", status: 410, h: hdr(), ttl: DefaultTTL, cacheable: true, source: SourceDefault},
		{name: "206 is not cacheable", status: 206, h: hdr(), ttl: DefaultTTL, cacheable: false, source: SourceDefault},
		{name: "307 is not cacheable", status: 307, h: hdr(), ttl: DefaultTTL, cacheable: false, source: SourceDefault},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := tt.now
			if now.IsZero() {
				now = t0
			}
			got := ParseFreshness(tt.status, tt.h, now)
			if got.TTL != tt.ttl || got.SWR != tt.swr || got.SIE != tt.sie || got.Age != tt.age ||
				got.Cacheable != tt.cacheable || got.Source != tt.source {
				t.Errorf("ParseFreshness = {TTL:%v SWR:%v SIE:%v Age:%v Cacheable:%v Source:%q}, want {TTL:%v SWR:%v SIE:%v Age:%v Cacheable:%v Source:%q}",
					got.TTL, got.SWR, got.SIE, got.Age, got.Cacheable, got.Source,
					tt.ttl, tt.swr, tt.sie, tt.age, tt.cacheable, tt.source)
			}
		})
	}
}

func TestCacheableStatus(t *testing.T) {
	for status := 100; status < 600; status++ {
		want := slices.Contains([]int{200, 203, 300, 301, 302, 404, 410}, status)
		if got := CacheableStatus(status); got != want {
			t.Errorf("CacheableStatus(%d) = %v, want %v", status, got, want)
		}
	}
}

func TestParseSurrogateKeys(t *testing.T) {
	tests := []struct {
		name string
		h    http.Header
		want []string
	}{
		{"none", hdr(), nil},
		{"space separated", hdr("Surrogate-Key", "article-1  home\tnews"), []string{"article-1", "home", "news"}},
		{"several lines, duplicates dropped", hdr("Surrogate-Key", "a b", "Surrogate-Key", "b c"), []string{"a", "b", "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseSurrogateKeys(tt.h); !slices.Equal(got, tt.want) {
				t.Errorf("ParseSurrogateKeys = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestVirtualClock(t *testing.T) {
	c := NewVirtualClock(time.Time{})
	if !c.Now().Equal(Epoch) {
		t.Fatalf("zero start: Now = %v, want Epoch %v", c.Now(), Epoch)
	}
	var _ Clock = c
	steps := []struct {
		advance time.Duration
		want    time.Time
	}{
		{30 * time.Second, Epoch.Add(30 * time.Second)},
		{0, Epoch.Add(30 * time.Second)},
		{-10 * time.Second, Epoch.Add(20 * time.Second)},
	}
	for _, s := range steps {
		if got := c.Advance(s.advance); !got.Equal(s.want) || !c.Now().Equal(s.want) {
			t.Errorf("Advance(%v) = %v (Now %v), want %v", s.advance, got, c.Now(), s.want)
		}
	}
	c.Set(t0)
	if !c.Now().Equal(t0) {
		t.Errorf("after Set: Now = %v, want %v", c.Now(), t0)
	}
}
