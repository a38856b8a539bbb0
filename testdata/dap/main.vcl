# Test program for the debug adapter (dap package tests and the Node
# DebugClient suite). Lines are found by the "@marker" comments, so the
# file can be edited freely.

backend F_origin {
  .host = "origin.example.com";
  .port = "443";
}

sub add_trace {
  set req.http.X-Trace = req.http.X-Trace "+trace"; # @trace-set
  log "trace " req.url; # @trace-log
}

sub vcl_recv {
#FASTLY recv
  set req.http.X-Trace = "recv"; # @recv-first
  call add_trace; # @recv-call
  if (req.url ~ "^/boom") {
    error 600 "boom"; # @recv-error
  }
  if (req.url ~ "^/again" && req.restarts == 0) {
    restart; # @recv-restart
  }
  if (req.url ~ "^/bad") {
    set req.http.X-Bad = quic.rtt.latest; # @recv-bad (not simulated: a runtime error)
  }
  return(lookup); # @recv-return
}

sub vcl_hash {
#FASTLY hash
  set req.hash += req.url;
  set req.hash += req.http.host;
  return(hash);
}

sub vcl_miss {
#FASTLY miss
  set req.http.X-Miss = "fetch-node"; # @miss-set
  return(fetch); # @miss-return
}

sub vcl_fetch {
#FASTLY fetch
  declare local var.ttl RTIME;
  set var.ttl = 60s; # @fetch-first
  set beresp.http.X-Fetched = "yes"; # @fetch-header
  set beresp.ttl = var.ttl; # @fetch-ttl
  return(deliver);
}

sub vcl_error {
#FASTLY error
  set obj.http.X-Error = "yes";
  return(deliver);
}

sub vcl_deliver {
#FASTLY deliver
  set resp.http.X-Trace = req.http.X-Trace; # @deliver-first
  if (fastly_info.state ~ "^HIT") {
    set resp.http.X-Cache = "HIT"; # @deliver-hit
  } else {
    set resp.http.X-Cache = "MISS"; # @deliver-miss
  }
  log "deliver " req.url " " fastly_info.state; # @deliver-log
  return(deliver);
}
