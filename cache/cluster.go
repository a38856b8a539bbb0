package cache

import "strings"

// ClusterInput is what decides whether a request is handed from the delivery
// node to the fetch node after vcl_hash.
type ClusterInput struct {
	// Method is req.method (case-sensitive, as in VCL).
	Method string
	// Restarts is req.restarts.
	Restarts int
	// ForceShield: req.http.Fastly-Force-Shield is set.
	ForceShield bool
	// NoShield: req.http.Fastly-No-Shield is set.
	NoShield bool
	// RecvReturn is vcl_recv's return action: "lookup", "pass", "error",
	// "upgrade" (empty means lookup).
	RecvReturn string
	// LocalHit: the delivery node found a usable object itself.
	LocalHit bool
	// FetchIsDelivery: consistent hashing picked the delivery node as the
	// fetch node, so there is no second node to hand over to.
	FetchIsDelivery bool
}

// ClusterDecision says whether the request clusters, and why, in words the
// debugger can show.
type ClusterDecision struct {
	// Clustered: the request is handed to the fetch node after vcl_hash.
	Clustered bool
	// Reason explains the decision, e.g. "clustering off: restart without
	// Fastly-Force-Shield".
	Reason string
}

// Cluster applies Fastly's clustering rules, first match wins:
//
//  1. Fastly-No-Shield turns clustering off; nothing turns it back on.
//  2. vcl_recv returning pass, error or upgrade turns it off.
//  3. A local hit on the delivery node needs no second node.
//  4. After a restart it is off unless Fastly-Force-Shield is set.
//  5. Methods other than GET and HEAD are off unless Fastly-Force-Shield.
//  6. When the fetch node is the delivery node there is nothing to hand over.
//
// Sources: Fastly's "Clustering" guide ("By default all GET and HEAD requests
// are subject to clustering ... Clustering is also disabled automatically
// after a restart"; Fastly-Force-Shield enables, Fastly-No-Shield disables;
// "It is always possible to disable clustering") and the vcl_deliver
// reference ("Clustering is disabled automatically if there is a hit on the
// delivery node, after a restart, or if you return(pass) or error from
// vcl_recv").
func Cluster(in ClusterInput) ClusterDecision {
	off := func(reason string) ClusterDecision {
		return ClusterDecision{Reason: "clustering off: " + reason}
	}
	if in.NoShield {
		return off("Fastly-No-Shield is set")
	}
	switch strings.ToLower(in.RecvReturn) {
	case "pass", "error", "upgrade":
		return off("vcl_recv returned " + strings.ToLower(in.RecvReturn))
	}
	if in.LocalHit {
		return off("local hit on the delivery node")
	}
	forcedBy := ""
	if in.Restarts > 0 {
		if !in.ForceShield {
			return off("restart without Fastly-Force-Shield")
		}
		forcedBy = "after restart"
	}
	if in.Method != "GET" && in.Method != "HEAD" {
		if !in.ForceShield {
			return off("method " + in.Method + " is not GET or HEAD and Fastly-Force-Shield is not set")
		}
		if forcedBy == "" {
			forcedBy = "for method " + in.Method
		}
	}
	if in.FetchIsDelivery {
		return off("the delivery node owns the key (it is the fetch node)")
	}
	if forcedBy != "" {
		return ClusterDecision{Clustered: true, Reason: "clustering on: Fastly-Force-Shield " + forcedBy}
	}
	return ClusterDecision{Clustered: true, Reason: "clustering on: " + in.Method + " handed to the fetch node"}
}

// fastly_info.state base states.
const (
	StateNone     = "NONE"
	StateHit      = "HIT"
	StateMiss     = "MISS"
	StatePass     = "PASS"
	StateHitPass  = "HITPASS"
	StateHitStale = "HIT-STALE"
	StateHitSynth = "HIT-SYNTH"
	StateError    = "ERROR"
)

// StateFlags are the optional suffixes of fastly_info.state.
type StateFlags struct {
	// Refreshed: a 304 revalidated a stale object (-REFRESH).
	Refreshed bool
	// Waited: the request was collapsed behind another one (-WAIT).
	Waited bool
	// Clustered: the request went through a second node (-CLUSTER).
	Clustered bool
}

// StateString builds fastly_info.state from a base state and the -WAIT and
// -CLUSTER suffixes, e.g. StateString("HIT", true, true) is
// "HIT-WAIT-CLUSTER".
func StateString(base string, clustered, waited bool) string {
	return FormatState(base, StateFlags{Waited: waited, Clustered: clustered})
}

// FormatState builds fastly_info.state from a base state and its suffixes.
//
// Source: the fastly_info.state reference lists the suffixes -CLUSTER ("the
// request has been transferred to a second cache node due to clustering"),
// -REFRESH (a 304 let stale content be served) and -WAIT ("collapsed with
// other requests and placed in a queue"), without saying how they combine.
// Observed values fix the order of the two we model most: HIT-STALE-CLUSTER
// and HIT-WAIT-CLUSTER (the latter listed in Fastly's community thread
// "Useful variables to log"), so -WAIT precedes -CLUSTER. Where -REFRESH
// falls relative to -WAIT is not documented; it is placed first, next to the
// base state it qualifies. NONE never takes suffixes.
func FormatState(base string, f StateFlags) string {
	if base == "" || base == StateNone {
		return StateNone
	}
	s := base
	if f.Refreshed {
		s += "-REFRESH"
	}
	if f.Waited {
		s += "-WAIT"
	}
	if f.Clustered {
		s += "-CLUSTER"
	}
	return s
}
