package cache

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// follower is one queued request in a collapsing scenario.
type follower struct {
	accept string // Accept-Encoding the request sends
}

func TestCollapsing(t *testing.T) {
	tests := []struct {
		name string
		// leader runs the leader's fetch on the node and returns the object
		// to share (nil for none).
		leader    func(s *Store, now time.Time) *Object
		followers []follower
		want      []ResumeAction
		hits      int // hits on the shared object afterwards
	}{
		{
			name: "followers are served the leader's object",
			leader: func(s *Store, now time.Time) *Object {
				o, _ := s.Insert(object("/c", hdr("Cache-Control", "max-age=60"), now))
				return o
			},
			followers: []follower{{}, {}, {}},
			want:      []ResumeAction{ResumeHit, ResumeHit, ResumeHit},
			hits:      3,
		},
		{
			name: "leader passed in vcl_fetch: followers pass",
			leader: func(s *Store, now time.Time) *Object {
				s.InsertHitForPass("/c", 0, now)
				return nil
			},
			followers: []follower{{}, {}},
			want:      []ResumeAction{ResumePass, ResumePass},
		},
		{
			name:      "leader shared nothing (error or uncacheable): followers look up again",
			leader:    func(s *Store, now time.Time) *Object { return nil },
			followers: []follower{{}},
			want:      []ResumeAction{ResumeLookup},
		},
		{
			name: "a follower wanting another variant looks up again",
			leader: func(s *Store, now time.Time) *Object {
				o := object("/c", hdr("Cache-Control", "max-age=60", "Vary", "Accept-Encoding"), now)
				o.SetVariant(hdr("Accept-Encoding", "gzip"))
				o, _ = s.Insert(o)
				return o
			},
			followers: []follower{{accept: "gzip"}, {accept: "br"}},
			want:      []ResumeAction{ResumeHit, ResumeLookup},
			hits:      1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := NewStore("n1")
			c := NewCollapser(st)
			if !c.Join("/c", t0) {
				t.Fatal("first request is not the leader")
			}
			for i := range tt.followers {
				if c.Join("/c", t0) {
					t.Fatalf("follower %d became a leader", i)
				}
			}
			if fl := c.Flights(); len(fl) != 1 || !fl[0].Leading || fl[0].Waiters != len(tt.followers) {
				t.Fatalf("Flights = %+v, want one leading flight with %d waiters", fl, len(tt.followers))
			}
			if a, _ := c.Resume("/c", nil, t0); a != ResumeWait {
				t.Fatalf("Resume before Done = %v, want wait", a)
			}
			now := t0.Add(time.Second)
			shared := tt.leader(st, now)
			if shared != nil {
				c.Share("/c", shared)
			}
			c.Done("/c")
			var got []ResumeAction
			for _, f := range tt.followers {
				a, o := c.Resume("/c", hdr("Accept-Encoding", f.accept), now)
				got = append(got, a)
				if (a == ResumeHit) != (o != nil) || (a == ResumeHit && o != shared) {
					t.Errorf("Resume = %v with object %p, shared %p", a, o, shared)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("followers resumed %v, want %v", got, tt.want)
			}
			if shared != nil && shared.Hits != tt.hits {
				t.Errorf("shared object hits = %d, want %d", shared.Hits, tt.hits)
			}
			if fl := c.Flights(); len(fl) != 0 {
				t.Errorf("flights left after everyone resumed: %+v", fl)
			}
		})
	}
}

func TestCollapsingReelectsALeader(t *testing.T) {
	st := NewStore("n1")
	c := NewCollapser(st)
	steps := []struct {
		name string
		do   func() string
		want string
	}{
		{"A leads", func() string { return joinResult(c.Join("/c", t0)) }, "leader"},
		{"B queues", func() string { return joinResult(c.Join("/c", t0)) }, "follower"},
		{"C queues", func() string { return joinResult(c.Join("/c", t0)) }, "follower"},
		{"A gets an uncacheable response", func() string { c.Done("/c"); return "" }, ""},
		{"B resumes", func() string { a, _ := c.Resume("/c", nil, t0); return a.String() }, "lookup"},
		{"B misses again and leads", func() string { return joinResult(c.Join("/c", t0)) }, "leader"},
		{"C resumes", func() string { a, _ := c.Resume("/c", nil, t0); return a.String() }, "lookup"},
		{"C misses again and queues behind B", func() string { return joinResult(c.Join("/c", t0)) }, "follower"},
		{"C cannot resume before B is done", func() string { a, _ := c.Resume("/c", nil, t0); return a.String() }, "wait"},
		{"B stores and shares", func() string {
			o, _ := st.Insert(object("/c", hdr("Cache-Control", "max-age=60"), t0))
			c.Share("/c", o)
			c.Done("/c")
			return ""
		}, ""},
		{"C is served B's object", func() string { a, _ := c.Resume("/c", nil, t0); return a.String() }, "hit"},
		{"nothing left in flight", func() string { return fmt.Sprint(len(c.Flights())) }, "0"},
	}
	for _, s := range steps {
		if got := s.do(); got != s.want {
			t.Fatalf("%s: got %q, want %q", s.name, got, s.want)
		}
	}
}

func TestReelectedLeaderKeepsSharedObjectForOthers(t *testing.T) {
	st := NewStore("n1")
	c := NewCollapser(st)
	c.Join("/c", t0)
	c.Join("/c", t0) // wants br
	c.Join("/c", t0) // wants gzip
	o := object("/c", hdr("Cache-Control", "max-age=60", "Vary", "Accept-Encoding"), t0)
	o.SetVariant(hdr("Accept-Encoding", "gzip"))
	stored, _ := st.Insert(o)
	c.Share("/c", stored)
	c.Done("/c")
	if a, _ := c.Resume("/c", hdr("Accept-Encoding", "br"), t0); a != ResumeLookup {
		t.Fatalf("br follower: %v, want lookup", a)
	}
	if !c.Join("/c", t0) {
		t.Fatal("br follower did not lead its own fetch")
	}
	if a, got := c.Resume("/c", hdr("Accept-Encoding", "gzip"), t0); a != ResumeHit || got != stored {
		t.Errorf("gzip follower: %v %p, want hit on %p", a, got, stored)
	}
}

func joinResult(leader bool) string {
	if leader {
		return "leader"
	}
	return "follower"
}

func TestHitForPassDisablesCollapsing(t *testing.T) {
	st := NewStore("n1")
	c := NewCollapser(st)
	st.InsertHitForPass("/p", 0, t0)
	for i := range 3 {
		if !c.Join("/p", t0.Add(time.Second)) {
			t.Errorf("request %d queued despite a hit-for-pass marker", i)
		}
	}
	if len(c.Flights()) != 0 {
		t.Errorf("flights created under a hit-for-pass marker: %+v", c.Flights())
	}
	// Once the marker expires, collapsing is back.
	later := t0.Add(DefaultHitForPassTTL)
	if !c.Join("/p", later) || c.Join("/p", later) {
		t.Error("collapsing not restored after the marker expired")
	}
}
