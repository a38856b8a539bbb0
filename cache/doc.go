// Package cache models the caching side of one Fastly POP for the vclide
// interpreter: a handful of cache nodes, each with its own object store, the
// consistent hashing that picks a key's fetch node, the clustering decision,
// request collapsing, hit-for-pass markers, stale objects and purges.
//
// The package knows nothing about VCL. The interpreter drives it: after
// vcl_hash it asks the delivery node's Store for a local hit, asks Cluster
// whether the request moves to the fetch node, looks the key up there, joins
// the node's Collapser on a miss, and inserts what vcl_fetch produced. The
// debugger reads Store.Entries and POP.Entries to show what each node holds.
//
// Everything is deterministic. Time is never read from the wall clock: every
// call that depends on time takes a time.Time, which the interpreter takes
// from a VirtualClock. The node a request lands on comes from a math/rand
// source seeded by the caller. Nothing here starts goroutines, and no type is
// safe for concurrent use; the interpreter owns the POP.
//
// # Facts this model follows
//
// Checked against Fastly's public documentation (see the comments next to
// each rule for the page it came from):
//
//   - Freshness comes from Surrogate-Control max-age, then Cache-Control
//     s-maxage, then Cache-Control max-age, then Expires; an Age header on the
//     response is subtracted from max-age based lifetimes, and Expires based
//     lifetimes start at age zero. With none of these the parser's default is
//     two minutes (Fastly's generated VCL then raises it to one hour; that is
//     the interpreter's #FASTLY fetch macro, not this package).
//   - Cacheable by status: 200, 203, 300, 301, 302, 404 and 410 only.
//     Cache-Control private and no-store are not honoured by the parser.
//   - stale-while-revalidate and stale-if-error both count from the moment
//     the object stops being fresh; when both apply, stale-while-revalidate
//     wins.
//   - A soft purge marks objects stale, a hard purge removes them, and a purge
//     of everything is always hard.
//   - fastly_info.state is a base state (HIT, MISS, PASS, HITPASS, HIT-STALE,
//     HIT-SYNTH, ERROR, ...) followed by the suffixes -WAIT and -CLUSTER in
//     that order, as in the observed value HIT-WAIT-CLUSTER.
//   - Clustering is off on a local hit, after a restart (unless
//     Fastly-Force-Shield), when vcl_recv returns pass or error, when
//     Fastly-No-Shield is set, and for methods other than GET and HEAD
//     (unless Fastly-Force-Shield).
//   - A hit-for-pass marker lives 120 seconds by default, disables request
//     collapsing for its key and prevents a real object being cached there
//     until it expires or is purged.
package cache
