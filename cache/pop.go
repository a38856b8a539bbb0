package cache

import (
	"fmt"
	"math/rand"
	"time"
)

// DefaultNodes is the number of cache nodes a POP has when New is asked for
// none. Real POPs have dozens; four is enough to show a delivery node and a
// fetch node disagreeing.
const DefaultNodes = 4

// Node is one cache server of the POP.
type Node struct {
	// ID is the node's server.identity, e.g. "cache-sim1".
	ID string
	// Index is the node's position in POP.Nodes.
	Index int
	// Store holds the node's objects.
	Store *Store
	// Collapser queues concurrent misses on this node.
	Collapser *Collapser
}

// POP is a Fastly point of presence: a set of nodes, one of which receives
// each request at random (the delivery node) while each cache key is owned by
// one node chosen by consistent hashing (the fetch node).
//
// Source: Fastly's "Clustering" guide: "An incoming request is routed to a
// random cache server within the POP ... objects are assigned to specific
// storage servers ... a mechanism known as consistent hashing."
type POP struct {
	// Nodes are the POP's cache servers, in ID order.
	Nodes []*Node
	rng   *rand.Rand
}

// New returns a POP with the given number of nodes (DefaultNodes when not
// positive) whose delivery-node choices come from a math/rand source seeded
// with seed, so a scenario replays identically. Node IDs are "cache-sim1",
// "cache-sim2", and so on.
func New(nodes int, seed int64) *POP {
	if nodes <= 0 {
		nodes = DefaultNodes
	}
	p := &POP{rng: rand.New(rand.NewSource(seed))}
	for i := range nodes {
		id := fmt.Sprintf("cache-sim%d", i+1)
		st := NewStore(id)
		p.Nodes = append(p.Nodes, &Node{ID: id, Index: i, Store: st, Collapser: NewCollapser(st)})
	}
	return p
}

// SetKeepExpired sets, on every node, how long expired objects with a
// validator stay stored for revalidation (see Store.SetKeepExpired).
func (p *POP) SetKeepExpired(d time.Duration) {
	for _, n := range p.Nodes {
		n.Store.SetKeepExpired(d)
	}
}

// DeliveryNode picks the node a new client request lands on. Successive calls
// follow the seeded random sequence.
func (p *POP) DeliveryNode() *Node {
	return p.Nodes[p.rng.Intn(len(p.Nodes))]
}

// FetchNode returns the node that owns key. It uses rendezvous (highest
// random weight) hashing over 64-bit FNV-1a hashes of node ID and key, so the
// answer depends only on the key and the set of node IDs, and removing a
// node only moves the keys that node owned.
func (p *POP) FetchNode(key string) *Node {
	var best *Node
	var bestScore uint64
	for _, n := range p.Nodes {
		if s := rendezvousScore(n.ID, key); best == nil || s > bestScore {
			best, bestScore = n, s
		}
	}
	return best
}

// rendezvousScore hashes node and key together and runs the result through
// a 64-bit finaliser so that nearby inputs spread evenly.
func rendezvousScore(node, key string) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	x := uint64(offset)
	for i := 0; i < len(node); i++ {
		x = (x ^ uint64(node[i])) * prime
	}
	x *= prime // a zero byte between node and key
	for i := 0; i < len(key); i++ {
		x = (x ^ uint64(key[i])) * prime
	}
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// Node returns the node with the given ID, or nil.
func (p *POP) Node(id string) *Node {
	for _, n := range p.Nodes {
		if n.ID == id {
			return n
		}
	}
	return nil
}

// PurgeKey purges key on every node (purges are POP-wide) and returns how
// many objects and markers it touched.
func (p *POP) PurgeKey(key string, soft bool, now time.Time) int {
	n := 0
	for _, node := range p.Nodes {
		n += node.Store.PurgeKey(key, soft, now)
	}
	return n
}

// PurgeSurrogateKey purges skey on every node and returns how many objects it
// touched.
func (p *POP) PurgeSurrogateKey(skey string, soft bool, now time.Time) int {
	n := 0
	for _, node := range p.Nodes {
		n += node.Store.PurgeSurrogateKey(skey, soft, now)
	}
	return n
}

// PurgeAll empties every node and returns how many objects and markers went.
func (p *POP) PurgeAll() int {
	n := 0
	for _, node := range p.Nodes {
		n += node.Store.PurgeAll()
	}
	return n
}

// Entries returns every node's snapshot at now, node by node.
func (p *POP) Entries(now time.Time) []Entry {
	var out []Entry
	for _, node := range p.Nodes {
		out = append(out, node.Store.Entries(now)...)
	}
	return out
}
