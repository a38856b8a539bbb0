package cache

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// object builds a response object stored at t0 from response headers.
func object(key string, h http.Header, now time.Time) *Object {
	return NewObject(key, 200, h, []byte("body of "+key), ParseFreshness(200, h, now), now)
}

func TestLookupAcrossLifetime(t *testing.T) {
	s := NewStore("n1")
	h := hdr("Cache-Control", "max-age=60, stale-while-revalidate=30, stale-if-error=300")
	if _, err := s.Insert(object("/a", h, t0)); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		at          time.Duration
		status      LookupStatus
		phase       Phase
		staleExists bool
		ttlLeft     time.Duration
	}{
		{0, LookupHit, PhaseFresh, false, 60 * time.Second},
		{59 * time.Second, LookupHit, PhaseFresh, false, time.Second},
		{60 * time.Second, LookupStale, PhaseStaleWhileRevalidate, true, 0},
		{89 * time.Second, LookupStale, PhaseStaleWhileRevalidate, true, -29 * time.Second},
		{90 * time.Second, LookupStale, PhaseStaleIfError, true, -30 * time.Second},
		{359 * time.Second, LookupStale, PhaseStaleIfError, true, -299 * time.Second},
		{360 * time.Second, LookupMiss, PhaseExpired, false, 0},
	}
	for _, st := range steps {
		now := t0.Add(st.at)
		if got := s.StaleExists("/a", now); got != st.staleExists {
			t.Errorf("t+%v: StaleExists = %v, want %v", st.at, got, st.staleExists)
		}
		r := s.Lookup("/a", nil, now)
		if r.Status != st.status || r.Phase != st.phase {
			t.Errorf("t+%v: Lookup = %v/%v, want %v/%v", st.at, r.Status, r.Phase, st.status, st.phase)
			continue
		}
		if r.Object != nil {
			if got := r.Object.TTLRemaining(now); got != st.ttlLeft {
				t.Errorf("t+%v: obj.ttl = %v, want %v", st.at, got, st.ttlLeft)
			}
			if got := r.Object.Age(now); got != st.at {
				t.Errorf("t+%v: obj.age = %v, want %v", st.at, got, st.at)
			}
		}
	}
	if s.Len() != 0 {
		t.Errorf("expired object still stored: Len = %d", s.Len())
	}
}

func TestHitsCountServedLookupsOnly(t *testing.T) {
	s := NewStore("n1")
	stored, _ := s.Insert(object("/a", hdr("Cache-Control", "max-age=10, stale-while-revalidate=10, stale-if-error=100"), t0))
	for _, at := range []time.Duration{0, 5, 12, 25, 50} { // fresh, fresh, swr, sie, sie
		s.Lookup("/a", nil, t0.Add(at*time.Second))
	}
	if stored.Hits != 3 {
		t.Errorf("obj.hits = %d, want 3 (two fresh hits and one stale-while-revalidate hit)", stored.Hits)
	}
}

func TestObjectAgeStartsAtBackendAge(t *testing.T) {
	s := NewStore("n1")
	h := hdr("Cache-Control", "max-age=30", "Age", "10")
	s.Insert(object("/a", h, t0))
	r := s.Lookup("/a", nil, t0.Add(8*time.Second))
	if r.Status != LookupHit {
		t.Fatalf("Lookup = %v, want hit", r.Status)
	}
	// Fastly's Age reference: 8 seconds later obj.age is 18 and obj.ttl 12.
	if got := r.Object.Age(t0.Add(8 * time.Second)); got != 18*time.Second {
		t.Errorf("obj.age = %v, want 18s", got)
	}
	if got := r.Object.TTLRemaining(t0.Add(8 * time.Second)); got != 12*time.Second {
		t.Errorf("obj.ttl = %v, want 12s", got)
	}
}

func TestVaryVariants(t *testing.T) {
	s := NewStore("n1")
	insert := func(reqVal string, vary string) {
		t.Helper()
		o := object("/v", hdr("Cache-Control", "max-age=60", "Vary", vary, "X-Variant", reqVal), t0)
		req := hdr()
		if reqVal != "<absent>" {
			req.Set("Accept-Encoding", reqVal)
		}
		o.SetVariant(req)
		if _, err := s.Insert(o); err != nil {
			t.Fatal(err)
		}
	}
	insert("gzip", "Accept-Encoding")
	insert("br", "accept-encoding")
	insert("", "Accept-Encoding")
	tests := []struct {
		name string
		req  http.Header
		want string // X-Variant of the object found, "" for a miss
	}{
		{"gzip request finds gzip variant", hdr("Accept-Encoding", "gzip"), "gzip"},
		{"br request finds br variant", hdr("Accept-Encoding", "br"), "br"},
		{"empty header finds the empty variant", hdr("Accept-Encoding", ""), ""},
		{"absent header is a different variant", hdr(), "miss"},
		{"unknown value misses", hdr("Accept-Encoding", "deflate"), "miss"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.Lookup("/v", tt.req, t0.Add(time.Second))
			got := "miss"
			if r.Status == LookupHit {
				got = r.Object.Header.Get("X-Variant")
			}
			if got != tt.want {
				t.Errorf("found %q, want %q", got, tt.want)
			}
		})
	}
	// Re-inserting a variant replaces it rather than adding one.
	insert("gzip", "Accept-Encoding")
	if s.Len() != 3 {
		t.Errorf("Len = %d after replacing the gzip variant, want 3", s.Len())
	}
}

func TestVaryHeaderOrderAndCase(t *testing.T) {
	a, _ := ParseVary(hdr("Vary", "Accept-Language, accept-encoding"))
	b, _ := ParseVary(hdr("Vary", "Accept-Encoding", "Vary", "ACCEPT-LANGUAGE,Accept-Encoding"))
	if !slices.Equal(a, b) {
		t.Fatalf("ParseVary disagrees: %q vs %q", a, b)
	}
	req := hdr("Accept-Encoding", "gzip", "Accept-Language", "fr")
	if VariantKey(a, req) != VariantKey(b, req) {
		t.Error("same request, same Vary names: variant keys differ")
	}
}

func TestVaryStarNeverHits(t *testing.T) {
	s := NewStore("n1")
	o := object("/star", hdr("Cache-Control", "max-age=60", "Vary", "Accept-Encoding, *"), t0)
	if _, err := s.Insert(o); !errors.Is(err, ErrVaryStar) {
		t.Fatalf("Insert error = %v, want ErrVaryStar", err)
	}
	if r := s.Lookup("/star", nil, t0); r.Status != LookupMiss {
		t.Errorf("Lookup = %v, want miss", r.Status)
	}
}

func TestPurges(t *testing.T) {
	stale := "max-age=60, stale-while-revalidate=30, stale-if-error=300"
	setup := func() *Store {
		s := NewStore("n1")
		s.Insert(object("/a", hdr("Cache-Control", stale, "Surrogate-Key", "news a"), t0))
		s.Insert(object("/b", hdr("Cache-Control", stale, "Surrogate-Key", "news b"), t0))
		s.Insert(object("/c", hdr("Cache-Control", "max-age=60", "Surrogate-Key", "c"), t0))
		return s
	}
	now := t0.Add(10 * time.Second)
	tests := []struct {
		name    string
		purge   func(s *Store) int
		touched int
		want    map[string]LookupStatus // key -> lookup result just after the purge
		stale   map[string]bool         // key -> StaleExists
	}{
		{
			name:    "hard purge by key",
			purge:   func(s *Store) int { return s.PurgeKey("/a", false, now) },
			touched: 1,
			want:    map[string]LookupStatus{"/a": LookupMiss, "/b": LookupHit, "/c": LookupHit},
			stale:   map[string]bool{"/a": false, "/b": false},
		},
		{
			name:    "soft purge by key keeps a stale copy",
			purge:   func(s *Store) int { return s.PurgeKey("/a", true, now) },
			touched: 1,
			want:    map[string]LookupStatus{"/a": LookupStale, "/b": LookupHit},
			stale:   map[string]bool{"/a": true, "/b": false},
		},
		{
			name:    "soft purge without stale windows leaves nothing usable",
			purge:   func(s *Store) int { return s.PurgeKey("/c", true, now) },
			touched: 1,
			want:    map[string]LookupStatus{"/c": LookupMiss},
			stale:   map[string]bool{"/c": false},
		},
		{
			name:    "hard purge by surrogate key",
			purge:   func(s *Store) int { return s.PurgeSurrogateKey("news", false, now) },
			touched: 2,
			want:    map[string]LookupStatus{"/a": LookupMiss, "/b": LookupMiss, "/c": LookupHit},
			stale:   map[string]bool{"/a": false, "/b": false},
		},
		{
			name:    "soft purge by surrogate key",
			purge:   func(s *Store) int { return s.PurgeSurrogateKey("b", true, now) },
			touched: 1,
			want:    map[string]LookupStatus{"/a": LookupHit, "/b": LookupStale, "/c": LookupHit},
			stale:   map[string]bool{"/a": false, "/b": true},
		},
		{
			name:    "unknown surrogate key touches nothing",
			purge:   func(s *Store) int { return s.PurgeSurrogateKey("nope", false, now) },
			touched: 0,
			want:    map[string]LookupStatus{"/a": LookupHit, "/b": LookupHit, "/c": LookupHit},
		},
		{
			name:    "purge all is always hard",
			purge:   func(s *Store) int { return s.PurgeAll() },
			touched: 3,
			want:    map[string]LookupStatus{"/a": LookupMiss, "/b": LookupMiss, "/c": LookupMiss},
			stale:   map[string]bool{"/a": false, "/b": false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := setup()
			if got := tt.purge(s); got != tt.touched {
				t.Errorf("purge touched %d, want %d", got, tt.touched)
			}
			for key, want := range tt.stale {
				if got := s.StaleExists(key, now); got != want {
					t.Errorf("StaleExists(%s) = %v, want %v", key, got, want)
				}
			}
			for key, want := range tt.want {
				r := s.Lookup(key, nil, now)
				if r.Status != want {
					t.Errorf("Lookup(%s) = %v, want %v", key, r.Status, want)
				}
				if want == LookupStale && (r.Phase != PhaseStaleWhileRevalidate || !r.Object.SoftPurged) {
					t.Errorf("Lookup(%s): phase %v soft-purged %v, want stale-while-revalidate and soft-purged",
						key, r.Phase, r.Object.SoftPurged)
				}
			}
		})
	}
}

func TestSoftPurgeStaleWindowsCountFromPurge(t *testing.T) {
	s := NewStore("n1")
	s.Insert(object("/a", hdr("Cache-Control", "max-age=3600, stale-if-error=60"), t0))
	purgedAt := t0.Add(100 * time.Second)
	s.PurgeKey("/a", true, purgedAt)
	if o := s.StaleObject("/a", nil, purgedAt.Add(59*time.Second)); o == nil {
		t.Error("no stale object 59s after a soft purge with stale-if-error=60")
	}
	if s.StaleExists("/a", purgedAt.Add(60*time.Second)) {
		t.Error("stale object still exists 60s after a soft purge with stale-if-error=60")
	}
}

func TestHitForPassBlocksCachingUntilExpiry(t *testing.T) {
	tests := []struct {
		name    string
		ttl     time.Duration
		blocked []time.Duration // insert attempts that must fail
		allowed time.Duration   // first instant an insert succeeds
	}{
		{"default marker lives 120s", 0, []time.Duration{0, 60 * time.Second, 119 * time.Second}, 120 * time.Second},
		{"marker with its own TTL", 5 * time.Second, []time.Duration{4 * time.Second}, 5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewStore("n1")
			m := s.InsertHitForPass("/p", tt.ttl, t0)
			if !m.HitForPass {
				t.Fatal("marker not flagged HitForPass")
			}
			for _, at := range tt.blocked {
				now := t0.Add(at)
				if r := s.Lookup("/p", nil, now); r.Status != LookupHitForPass {
					t.Errorf("t+%v: Lookup = %v, want hit-for-pass", at, r.Status)
				}
				if _, err := s.Insert(object("/p", hdr("Cache-Control", "max-age=60"), now)); !errors.Is(err, ErrHitForPass) {
					t.Errorf("t+%v: Insert error = %v, want ErrHitForPass", at, err)
				}
			}
			now := t0.Add(tt.allowed)
			if r := s.Lookup("/p", nil, now); r.Status != LookupMiss {
				t.Errorf("t+%v: Lookup = %v, want miss once the marker expired", tt.allowed, r.Status)
			}
			if _, err := s.Insert(object("/p", hdr("Cache-Control", "max-age=60"), now)); err != nil {
				t.Fatalf("t+%v: Insert after expiry: %v", tt.allowed, err)
			}
			if r := s.Lookup("/p", nil, now); r.Status != LookupHit {
				t.Errorf("t+%v: Lookup = %v, want hit", tt.allowed, r.Status)
			}
		})
	}
}

func TestPurgeRemovesHitForPassMarker(t *testing.T) {
	for _, soft := range []bool{false, true} {
		s := NewStore("n1")
		s.InsertHitForPass("/p", 0, t0)
		if n := s.PurgeKey("/p", soft, t0.Add(time.Second)); n != 1 {
			t.Errorf("soft=%v: purge touched %d, want 1", soft, n)
		}
		if _, err := s.Insert(object("/p", hdr("Cache-Control", "max-age=60"), t0.Add(2*time.Second))); err != nil {
			t.Errorf("soft=%v: Insert after purging the marker: %v", soft, err)
		}
	}
}

func TestRefresh(t *testing.T) {
	orig := hdr("Cache-Control", "max-age=60, stale-if-error=600", "ETag", `"v1"`, "X-Old", "1")
	tests := []struct {
		name      string
		softPurge bool
		h304      http.Header
		ttl       time.Duration
		sie       time.Duration
		age       time.Duration
		header    map[string]string
	}{
		{
			name: "no cache headers keeps the TTL and restarts the age",
			h304: hdr("ETag", `"v1"`),
			ttl:  60 * time.Second, sie: 600 * time.Second, age: 0,
			header: map[string]string{"X-Old": "1", "Cache-Control": "max-age=60, stale-if-error=600"},
		},
		{
			name: "the 304's own max-age and Age apply",
			h304: hdr("Cache-Control", "max-age=300", "Age", "5", "X-New", "2"),
			ttl:  295 * time.Second, sie: 600 * time.Second, age: 5 * time.Second,
			header: map[string]string{"X-Old": "1", "X-New": "2", "Cache-Control": "max-age=300"},
		},
		{
			name:      "a soft-purged object becomes fresh again, stale windows from the 304",
			softPurge: true,
			h304:      hdr("Surrogate-Control", "max-age=30, stale-if-error=10"),
			ttl:       30 * time.Second, sie: 10 * time.Second,
			header: map[string]string{"Surrogate-Control": "max-age=30, stale-if-error=10"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewStore("n1")
			s.Insert(object("/r", orig.Clone(), t0))
			if tt.softPurge {
				s.PurgeKey("/r", true, t0.Add(10*time.Second))
			}
			now := t0.Add(100 * time.Second) // stale by now
			o, err := s.Refresh("/r", "", tt.h304, now)
			if err != nil {
				t.Fatal(err)
			}
			if o.TTL != tt.ttl || o.StaleIfError != tt.sie || o.Age(now) != tt.age {
				t.Errorf("TTL %v SIE %v age %v, want %v %v %v", o.TTL, o.StaleIfError, o.Age(now), tt.ttl, tt.sie, tt.age)
			}
			if o.SoftPurged {
				t.Error("still marked soft-purged after refresh")
			}
			if string(o.Body) != "body of /r" {
				t.Errorf("body replaced: %q", o.Body)
			}
			for name, want := range tt.header {
				if got := o.Header.Get(name); got != want {
					t.Errorf("header %s = %q, want %q", name, got, want)
				}
			}
			if r := s.Lookup("/r", nil, now.Add(tt.ttl-time.Second)); r.Status != LookupHit {
				t.Errorf("Lookup just before the new expiry = %v, want hit", r.Status)
			}
		})
	}
	if _, err := NewStore("n1").Refresh("/none", "", hdr(), t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("Refresh of a missing object: err = %v, want ErrNotFound", err)
	}
}

func TestStaleObjectMatchesVariant(t *testing.T) {
	s := NewStore("n1")
	for _, enc := range []string{"gzip", "br"} {
		o := object("/s", hdr("Cache-Control", "max-age=10, stale-if-error=100", "Vary", "Accept-Encoding", "X-Enc", enc), t0)
		o.SetVariant(hdr("Accept-Encoding", enc))
		s.Insert(o)
	}
	now := t0.Add(20 * time.Second)
	tests := []struct {
		req  http.Header
		want string
	}{
		{hdr("Accept-Encoding", "br"), "br"},
		{hdr("Accept-Encoding", "gzip"), "gzip"},
		{hdr("Accept-Encoding", "zstd"), ""},
	}
	for _, tt := range tests {
		got := ""
		if o := s.StaleObject("/s", tt.req, now); o != nil {
			got = o.Header.Get("X-Enc")
		}
		if got != tt.want {
			t.Errorf("StaleObject(%v) = %q, want %q", tt.req, got, tt.want)
		}
	}
	if s.StaleObject("/s", hdr("Accept-Encoding", "br"), t0.Add(5*time.Second)) != nil {
		t.Error("StaleObject returned a fresh object")
	}
}

func TestEntriesSnapshot(t *testing.T) {
	s := NewStore("cache-sim9")
	s.Insert(object("/b", hdr("Cache-Control", "max-age=60, stale-if-error=30", "Surrogate-Key", "k"), t0))
	s.Insert(object("/a", hdr("Cache-Control", "max-age=10"), t0))
	s.InsertHitForPass("/b", 30*time.Second, t0)
	s.Lookup("/a", nil, t0)
	now := t0.Add(5 * time.Second)
	got := s.Entries(now)
	want := []string{
		"cache-sim9 /a fresh ttl=5s age=5s swr=0s sie=0s hits=1",
		"cache-sim9 /b hit-for-pass ttl=25s age=5s hits=0",
		"cache-sim9 /b fresh ttl=55s age=5s swr=0s sie=30s hits=0",
	}
	var lines []string
	for _, e := range got {
		lines = append(lines, e.String())
	}
	if !slices.Equal(lines, want) {
		t.Errorf("Entries:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	// Later, /a is gone, /b's marker expired and /b is stale.
	later := s.Entries(t0.Add(70 * time.Second))
	if len(later) != 1 || later[0].Key != "/b" || later[0].Phase != PhaseStaleIfError || later[0].StaleLeft != 20*time.Second {
		t.Errorf("Entries at t+70s = %+v, want only /b in stale-if-error with 20s left", later)
	}
	if s.Len() != 3 {
		t.Errorf("Entries changed the store: Len = %d, want 3", s.Len())
	}
	if n := s.Sweep(t0.Add(70 * time.Second)); n != 2 || s.Len() != 1 {
		t.Errorf("Sweep removed %d (Len now %d), want 2 (Len 1)", n, s.Len())
	}
}
