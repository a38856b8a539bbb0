sub vcl_recv {
#FASTLY recv
  synthetic "x"; # ERROR variable-scope "synthetic is not allowed in vcl_recv"
}
