sub vcl_recv {
#FASTLY recv
  set beresp.ttl = 10s; # ERROR variable-scope "beresp.ttl cannot be set in vcl_recv; it can be set in vcl_fetch"
}
