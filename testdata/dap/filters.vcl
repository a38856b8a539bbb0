# Exception filter tests (dap/filters_test.go). Lines are found by the
# "@marker" comments.

backend F_origin {
  .host = "origin.example.com";
  .port = "443";
}

sub vcl_recv {
#FASTLY recv
  return(lookup);
}

sub vcl_deliver {
#FASTLY deliver
  if (req.restarts == 0 && req.url ~ "^/r") {
    return(restart); # @deliver-restart
  }
  set resp.http.X-Restarts = req.restarts; # @deliver-set
  return(deliver);
}
