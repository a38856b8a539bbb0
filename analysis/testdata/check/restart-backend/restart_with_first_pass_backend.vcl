backend F_a { .host = "a"; }
backend F_b { .host = "b"; }
sub vcl_recv {
#FASTLY recv
  if (req.restarts == 0) { set req.backend = F_a; } # WARNING restart-backend "only set when req.restarts is 0"
}
sub vcl_deliver {
#FASTLY deliver
  if (resp.status >= 500) { restart; }
}
