sub vcl_recv {
#FASTLY recv
  call helper;
}
sub vcl_deliver {
#FASTLY deliver
  call helper;
}
sub helper {
  set resp.http.X = "1"; # ERROR variable-scope "helper is called from there"
}
