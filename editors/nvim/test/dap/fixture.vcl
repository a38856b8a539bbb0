# Program for the nvim-dap test (test/dap_spec.lua). Lines are found by the
# "@marker" comments.

backend F_origin {
  .host = "127.0.0.1";
  .port = "80";
}

sub mark_fetch {
  set beresp.http.X-Marked = "yes"; # @mark-set
}

sub vcl_recv {
#FASTLY recv
  set req.http.X-Seen = "recv";
  return(lookup);
}

sub vcl_fetch {
#FASTLY fetch
  set beresp.http.X-A = "a"; # @fetch-first
  call mark_fetch; # @fetch-call
  set beresp.ttl = 60s; # @fetch-ttl
  return(deliver);
}

sub vcl_deliver {
#FASTLY deliver
  set resp.http.X-Done = "yes";
  return(deliver);
}
