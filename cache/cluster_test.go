package cache

import "testing"

func TestCluster(t *testing.T) {
	tests := []struct {
		name      string
		in        ClusterInput
		clustered bool
		reason    string
	}{
		{
			name:      "plain GET clusters",
			in:        ClusterInput{Method: "GET", RecvReturn: "lookup"},
			clustered: true, reason: "clustering on: GET handed to the fetch node",
		},
		{
			name:      "HEAD clusters, empty return means lookup",
			in:        ClusterInput{Method: "HEAD"},
			clustered: true, reason: "clustering on: HEAD handed to the fetch node",
		},
		{
			name:   "local hit on the delivery node",
			in:     ClusterInput{Method: "GET", RecvReturn: "lookup", LocalHit: true},
			reason: "clustering off: local hit on the delivery node",
		},
		{
			name:   "local hit wins over Fastly-Force-Shield",
			in:     ClusterInput{Method: "GET", LocalHit: true, ForceShield: true},
			reason: "clustering off: local hit on the delivery node",
		},
		{
			name:   "restart without Fastly-Force-Shield",
			in:     ClusterInput{Method: "GET", Restarts: 1, RecvReturn: "lookup"},
			reason: "clustering off: restart without Fastly-Force-Shield",
		},
		{
			name:      "restart with Fastly-Force-Shield",
			in:        ClusterInput{Method: "GET", Restarts: 2, ForceShield: true},
			clustered: true, reason: "clustering on: Fastly-Force-Shield after restart",
		},
		{
			name:   "vcl_recv returned pass",
			in:     ClusterInput{Method: "GET", RecvReturn: "pass"},
			reason: "clustering off: vcl_recv returned pass",
		},
		{
			name:   "vcl_recv returned error, even when forced",
			in:     ClusterInput{Method: "GET", RecvReturn: "error", ForceShield: true},
			reason: "clustering off: vcl_recv returned error",
		},
		{
			name:   "Fastly-No-Shield",
			in:     ClusterInput{Method: "GET", NoShield: true},
			reason: "clustering off: Fastly-No-Shield is set",
		},
		{
			name:   "Fastly-No-Shield beats Fastly-Force-Shield",
			in:     ClusterInput{Method: "GET", NoShield: true, ForceShield: true},
			reason: "clustering off: Fastly-No-Shield is set",
		},
		{
			name:   "POST is not clustered",
			in:     ClusterInput{Method: "POST", RecvReturn: "lookup"},
			reason: "clustering off: method POST is not GET or HEAD and Fastly-Force-Shield is not set",
		},
		{
			name:   "methods are case-sensitive",
			in:     ClusterInput{Method: "get"},
			reason: "clustering off: method get is not GET or HEAD and Fastly-Force-Shield is not set",
		},
		{
			name:      "POST forced by Fastly-Force-Shield",
			in:        ClusterInput{Method: "POST", RecvReturn: "lookup", ForceShield: true},
			clustered: true, reason: "clustering on: Fastly-Force-Shield for method POST",
		},
		{
			name:   "fetch node is the delivery node",
			in:     ClusterInput{Method: "GET", FetchIsDelivery: true},
			reason: "clustering off: the delivery node owns the key (it is the fetch node)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Cluster(tt.in)
			if got.Clustered != tt.clustered || got.Reason != tt.reason {
				t.Errorf("Cluster = {%v %q}, want {%v %q}", got.Clustered, got.Reason, tt.clustered, tt.reason)
			}
		})
	}
}

func TestStateString(t *testing.T) {
	tests := []struct {
		base              string
		clustered, waited bool
		want              string
	}{
		{StateHit, false, false, "HIT"},
		{StateMiss, true, false, "MISS-CLUSTER"},
		{StateHit, true, true, "HIT-WAIT-CLUSTER"},
		{StateHit, false, true, "HIT-WAIT"},
		{StatePass, true, false, "PASS-CLUSTER"},
		{StateHitPass, false, false, "HITPASS"},
		{StateHitStale, true, false, "HIT-STALE-CLUSTER"},
		{StateError, false, false, "ERROR"},
		{StateNone, true, true, "NONE"},
		{"", false, false, "NONE"},
	}
	for _, tt := range tests {
		if got := StateString(tt.base, tt.clustered, tt.waited); got != tt.want {
			t.Errorf("StateString(%q, clustered=%v, waited=%v) = %q, want %q", tt.base, tt.clustered, tt.waited, got, tt.want)
		}
	}
	if got := FormatState(StateMiss, StateFlags{Refreshed: true, Clustered: true}); got != "MISS-REFRESH-CLUSTER" {
		t.Errorf("FormatState with refresh = %q, want MISS-REFRESH-CLUSTER", got)
	}
}
