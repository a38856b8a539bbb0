sub vcl_recv {
#FASTLY recv
  set beresp.ttl = 10s; # vclide:ignore variable-scope
}
