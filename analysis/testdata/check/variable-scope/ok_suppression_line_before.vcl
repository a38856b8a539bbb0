sub vcl_recv {
#FASTLY recv
  # vclide:ignore
  set beresp.ttl = 10s;
}
