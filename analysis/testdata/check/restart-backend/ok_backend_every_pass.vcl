backend F_a { .host = "a"; }
sub vcl_recv {
#FASTLY recv
  set req.backend = F_a;
}
sub vcl_deliver {
#FASTLY deliver
  if (resp.status >= 500) { restart; }
}
