sub vcl_recv {
#FASTLY recv
  if (beresp.status == 200) { } # ERROR variable-scope "cannot be read in vcl_recv"
}
