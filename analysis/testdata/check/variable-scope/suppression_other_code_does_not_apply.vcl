sub vcl_recv {
#FASTLY recv
  # vclide:ignore unused-local
  set beresp.ttl = 10s; # ERROR variable-scope "beresp.ttl cannot be set in vc"
}
