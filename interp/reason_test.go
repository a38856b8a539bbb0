package interp

import "testing"

// TestReasonPhrase checks where the status line's reason phrase comes from:
// the origin's own phrase, beresp.response (kept in the cache for later
// hits), error's response text, obj.response and resp.response.
func TestReasonPhrase(t *testing.T) {
	src := `
sub vcl_recv {
#FASTLY recv
  if (req.url.path == "/cheers") { error 299 "Cheers!"; }
  if (req.url.path == "/teapot") { error 618; }
  return(lookup);
}
sub vcl_fetch {
#FASTLY fetch
  if (req.url.path == "/baked") { set beresp.response = "Freshly Baked"; }
  set beresp.ttl = 60s;
  return(deliver);
}
sub vcl_error {
#FASTLY error
  if (obj.status == 618) { set obj.status = 418; set obj.response = "Short and stout"; }
  return(deliver);
}
sub vcl_deliver {
#FASTLY deliver
  if (req.url.path == "/renamed") { set resp.response = "Fine, thanks"; }
  return(deliver);
}
`
	origin := &mockOrigin{reply: func(_ int, req *BackendRequest) (*BackendResponse, error) {
		r := resp(200, "body")
		if req.URL == "/origin-phrase" {
			r.Reason = "Okey Dokey"
		}
		return r, nil
	}}
	e := newEngine(t, src, engineOpts{origin: origin})
	tests := []struct {
		url    string
		status int
		reason string
	}{
		{"/plain", 200, "OK"},
		{"/origin-phrase", 200, "Okey Dokey"},
		{"/origin-phrase", 200, "Okey Dokey"}, // a hit keeps it
		{"/baked", 200, "Freshly Baked"},
		{"/baked", 200, "Freshly Baked"}, // a hit keeps it
		{"/cheers", 299, "Cheers!"},
		{"/teapot", 418, "Short and stout"},
		{"/renamed", 200, "Fine, thanks"},
	}
	for _, tt := range tests {
		r := do(e, "GET", tt.url)
		if r.Response.Status != tt.status || r.Response.Reason != tt.reason {
			t.Errorf("%s (%s): %d %q, want %d %q", tt.url, r.State, r.Response.Status, r.Response.Reason, tt.status, tt.reason)
		}
	}
	if n := origin.calls(); n != 4 {
		t.Errorf("origin calls %d, want 4 (the repeats are hits)", n)
	}
}
