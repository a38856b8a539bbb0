package interp

import (
	"slices"
	"strings"
	"testing"
)

// breadcrumbVCL is the X-VCL-Route breadcrumb trail of seed 002 ("Persisting
// State"), plus headers showing what vcl_deliver sees on req.
const breadcrumbVCL = `
sub vcl_recv {
  #FASTLY recv
  if (req.restarts == 0) {
    set req.http.X-VCL-Route = "VCL_RECV";
  } else {
    set req.http.X-VCL-Route = req.http.X-VCL-Route ",VCL_RECV";
  }
}
sub vcl_hash {
  #FASTLY hash
  set req.http.X-VCL-Route = req.http.X-VCL-Route ",VCL_HASH(host: " req.http.host ", url: " req.url ")";
}
sub vcl_miss {
  #FASTLY miss
  set req.http.X-PreFetch-Miss = ",VCL_MISS(" bereq.http.host bereq.url ")";
}
sub vcl_pass {
  #FASTLY pass
  set req.http.X-PreFetch-Pass = ",VCL_PASS";
}
sub vcl_fetch {
  #FASTLY fetch
  set beresp.http.X-VCL-Route = req.http.X-VCL-Route;
  set beresp.http.X-PreFetch-Pass = req.http.X-PreFetch-Pass;
  set beresp.http.X-PreFetch-Miss = req.http.X-PreFetch-Miss;
  set beresp.http.X-PostFetch = ",VCL_FETCH(status: " beresp.status ", url: " req.url ")";
}
sub vcl_deliver {
  #FASTLY deliver
  set resp.http.X-Req-Miss = if(req.http.X-PreFetch-Miss, "present", "absent");
  if (resp.http.X-VCL-Route) {
    set req.http.X-VCL-Route = resp.http.X-VCL-Route;
  }
  if (fastly_info.state ~ "^HITPASS") {
    set req.http.X-VCL-Route = req.http.X-VCL-Route ",VCL_HIT(object: uncacheable, return: pass)";
  } elseif (fastly_info.state ~ "^HIT") {
    set req.http.X-VCL-Route = req.http.X-VCL-Route ",VCL_HIT(" req.http.host req.url ")";
  } else {
    if (resp.http.X-PreFetch-Pass) {
      set req.http.X-VCL-Route = req.http.X-VCL-Route resp.http.X-PreFetch-Pass;
    }
    if (resp.http.X-PreFetch-Miss) {
      set req.http.X-VCL-Route = req.http.X-VCL-Route resp.http.X-PreFetch-Miss;
    }
    if (resp.http.X-PostFetch) {
      set req.http.X-VCL-Route = req.http.X-VCL-Route resp.http.X-PostFetch;
    }
  }
  set req.http.X-VCL-Route = req.http.X-VCL-Route ",VCL_DELIVER";
  set resp.http.X-Final-Route = req.http.X-VCL-Route;
  set resp.http.X-Edge = fastly_info.is_cluster_edge;
}
`

// TestBreadcrumb reproduces seed 002's breadcrumb trail: the route built on
// req in recv/hash and copied to beresp in fetch survives; with clustering
// the req header set in vcl_miss is gone in vcl_deliver, without it stays.
func TestBreadcrumb(t *testing.T) {
	const full = "VCL_RECV,VCL_HASH(host: example.com, url: /crumb),VCL_MISS(example.com/crumb),VCL_FETCH(status: 200, url: /crumb),VCL_DELIVER"
	tests := []struct {
		name    string
		cluster bool
		state   string
		reqMiss string
		edge    string
	}{
		{"clustering on", true, "MISS-CLUSTER", "absent", "1"},
		{"clustering off", false, "MISS", "present", "0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var e *Engine
			if tc.cluster {
				e = clusteredEngine(t, breadcrumbVCL, "/crumb", engineOpts{origin: fixed(200, "x")})
			} else {
				e = newEngine(t, breadcrumbVCL, engineOpts{origin: fixed(200, "x")})
			}
			r := do(e, "GET", "/crumb")
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			if got := hdr(r, "X-Final-Route"); got != full {
				t.Errorf("route header\n got %s\nwant %s", got, full)
			}
			if r.State != tc.state || hdr(r, "X-Req-Miss") != tc.reqMiss || hdr(r, "X-Edge") != tc.edge {
				t.Errorf("state %s, req.http.X-PreFetch-Miss in deliver %s, edge %s; want %s %s %s",
					r.State, hdr(r, "X-Req-Miss"), hdr(r, "X-Edge"), tc.state, tc.reqMiss, tc.edge)
			}
			nodes := map[string]string{}
			for _, s := range r.Route {
				nodes[s.Sub] = s.Node
			}
			wantFetch := "delivery"
			if tc.cluster {
				wantFetch = "fetch"
				back := r.Cluster[len(r.Cluster)-1]
				if back.Kind != "to-delivery" || !slices.Contains(back.Lost, "req.http.X-Prefetch-Miss") {
					t.Errorf("cluster events %+v", r.Cluster)
				}
			}
			if nodes["vcl_miss"] != wantFetch || nodes["vcl_fetch"] != wantFetch || nodes["vcl_deliver"] != "delivery" || nodes["vcl_recv"] != "delivery" {
				t.Errorf("nodes %v", nodes)
			}
			// The next request on a node holding the object is a hit.
			r = do(e, "GET", "/crumb")
			if !strings.HasPrefix(r.State, "HIT") || !strings.HasSuffix(hdr(r, "X-Final-Route"), ",VCL_HIT(example.com/crumb),VCL_DELIVER") {
				t.Errorf("second request: %s %s", r.State, hdr(r, "X-Final-Route"))
			}
		})
	}
}

// TestReqLostAfterRestart: a req header set in vcl_miss (fetch node) is
// missing in vcl_recv after a restart from vcl_fetch; with clustering off
// it survives.
func TestReqLostAfterRestart(t *testing.T) {
	vcl := `
		sub vcl_recv {
			if (req.restarts > 0) { set req.http.X-Seen = if(req.http.X-Miss, "yes", "no"); }
		}
		sub vcl_miss { set req.http.X-Miss = "1"; }
		sub vcl_fetch { if (req.restarts == 0) { restart; } }
		sub vcl_deliver { set resp.http.X-Seen = req.http.X-Seen; }`
	tests := []struct {
		cluster bool
		seen    string
	}{{true, "no"}, {false, "yes"}}
	for _, tc := range tests {
		var e *Engine
		if tc.cluster {
			e = clusteredEngine(t, vcl, "/r", engineOpts{origin: fixed(200, "x")})
		} else {
			e = newEngine(t, vcl, engineOpts{origin: fixed(200, "x")})
		}
		r := do(e, "GET", "/r")
		if hdr(r, "X-Seen") != tc.seen {
			t.Errorf("cluster=%v: X-Seen %q, want %q (route %s)", tc.cluster, hdr(r, "X-Seen"), tc.seen, route(r))
		}
		if tc.cluster {
			// After the restart clustering is off: the second pass runs on
			// the delivery node.
			last := r.Cluster[len(r.Cluster)-1]
			if last.Kind != "off" || !strings.Contains(last.Reason, "restart") {
				t.Errorf("after restart: %+v", last)
			}
			if r.State != "MISS" {
				t.Errorf("state %s", r.State)
			}
		}
	}
}

// TestClusteringSwitches covers what turns clustering off and on.
func TestClusteringSwitches(t *testing.T) {
	tests := []struct {
		name   string
		vcl    string
		method string
		kinds  string // cluster event kinds
		reason string // in the last "off" event
	}{
		{name: "GET clusters", kinds: "to-fetch to-delivery"},
		{name: "Fastly-No-Shield", vcl: `sub vcl_recv { set req.http.Fastly-No-Shield = "1"; }`, kinds: "off", reason: "Fastly-No-Shield"},
		{name: "recv pass", vcl: `sub vcl_recv { return(pass); }`, kinds: "off", reason: "pass"},
		{name: "recv error", vcl: `sub vcl_recv { error 900; }`, kinds: "off", reason: "error"},
		{name: "POST", method: "POST", kinds: "off", reason: "POST"},
		{name: "POST forced", method: "POST", vcl: `sub vcl_recv { set req.http.Fastly-Force-Shield = "1"; }`, kinds: "to-fetch to-delivery"},
		{name: "restart", vcl: `sub vcl_deliver { if (req.restarts == 0) { return(restart); } }`,
			kinds: "to-fetch to-delivery off", reason: "local hit"},
		{name: "restart after a pass", vcl: `sub vcl_fetch { return(pass); }
			sub vcl_deliver { if (req.restarts == 0) { return(restart); } }`,
			kinds: "to-fetch to-delivery off", reason: "restart"},
		{name: "restart with Fastly-Force-Shield", vcl: `sub vcl_fetch { return(pass); }
			sub vcl_deliver { if (req.restarts == 0) { set req.http.Fastly-Force-Shield = "1"; return(restart); } }`,
			kinds: "to-fetch to-delivery to-fetch to-delivery"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := clusteredEngine(t, tc.vcl, "/k", engineOpts{origin: fixed(200, "x")})
			m := tc.method
			if m == "" {
				m = "GET"
			}
			r := do(e, m, "/k")
			var kinds []string
			reason := ""
			for _, c := range r.Cluster {
				kinds = append(kinds, c.Kind)
				if c.Kind == "off" {
					reason = c.Reason
				}
			}
			if got := strings.Join(kinds, " "); got != tc.kinds {
				t.Errorf("cluster events %q, want %q (%+v)", got, tc.kinds, r.Cluster)
			}
			if !strings.Contains(reason, tc.reason) {
				t.Errorf("reason %q, want it to mention %q", reason, tc.reason)
			}
			if strings.HasSuffix(tc.kinds, "to-delivery") && !strings.HasSuffix(r.State, "-CLUSTER") {
				t.Errorf("state %s has no -CLUSTER", r.State)
			}
		})
	}
}

// TestErrorOnFetchNode: vcl_error runs on the node that raised the error;
// obj changes reach the client, req changes made there do not survive a
// restart.
func TestErrorOnFetchNode(t *testing.T) {
	vcl := `
		sub vcl_miss { if (req.restarts == 0) { set req.http.X-From-Miss = "1"; error 901; } }
		sub vcl_error {
			set obj.http.X-Error-Node = server.identity;
			set req.http.X-From-Error = "1";
			if (req.restarts == 0 && obj.status == 901) { set obj.status = 200; synthetic "synth"; return(deliver); }
		}
		sub vcl_deliver {
			set resp.http.X-From-Miss = if(req.http.X-From-Miss, "kept", "lost");
			set resp.http.X-From-Error = if(req.http.X-From-Error, "kept", "lost");
		}`
	e := clusteredEngine(t, vcl, "/e", engineOpts{origin: fixed(200, "x")})
	r := do(e, "GET", "/e")
	if got := route(r); got != "recv hash miss error deliver log" {
		t.Fatalf("route %s", got)
	}
	if r.Route[3].Node != "fetch" || hdr(r, "X-Error-Node") != r.Cluster[0].To {
		t.Errorf("vcl_error ran on %s (%s)", r.Route[3].Node, hdr(r, "X-Error-Node"))
	}
	if hdr(r, "X-From-Miss") != "lost" || hdr(r, "X-From-Error") != "lost" || string(r.Response.Body) != "synth" {
		t.Errorf("got %q %q %q", hdr(r, "X-From-Miss"), hdr(r, "X-From-Error"), r.Response.Body)
	}
	if r.State != "HIT-SYNTH-CLUSTER" {
		t.Errorf("state %s", r.State)
	}
}

// TestStalePerNode: stale copies live per node, so the fetch node and the
// delivery node can disagree about stale.exists.
func TestStalePerNode(t *testing.T) {
	vcl := `
		sub vcl_fetch {
			set beresp.http.X-Fetch-Stale = if(stale.exists, "yes", "no");
		}
		sub vcl_deliver { set resp.http.X-Deliver-Stale = if(stale.exists, "yes", "no"); }`
	o := sequence(resp(200, "v1", "Cache-Control", "max-age=10, stale-if-error=600"), resp(500, "down"))
	e := clusteredEngine(t, vcl, "/st", engineOpts{origin: o})
	r := do(e, "GET", "/st")
	if r.State != "MISS-CLUSTER" {
		t.Fatalf("state %s", r.State)
	}
	// Purge the fetch node's copy only; the delivery node keeps its
	// in-memory copy.
	fetchID := r.Cluster[0].To
	e.POP().Node(fetchID).Store.PurgeAll()
	e.Clock().Advance(30 * 1e9)
	// Find a request that lands on the same delivery node again.
	deliveryID := r.Cluster[0].From
	for i := 0; i < 50; i++ {
		r = do(e, "GET", "/st")
		if r.Route[0].NodeID == deliveryID {
			break
		}
	}
	if r.Route[0].NodeID != deliveryID {
		t.Skip("no request landed on the first delivery node")
	}
	if hdr(r, "X-Fetch-Stale") != "no" || hdr(r, "X-Deliver-Stale") != "yes" {
		t.Errorf("fetch node stale %q, delivery node stale %q (route %v)", hdr(r, "X-Fetch-Stale"), hdr(r, "X-Deliver-Stale"), r.Route)
	}
}
