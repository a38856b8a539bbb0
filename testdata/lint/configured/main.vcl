include "shared";
sub vcl_recv {
#FASTLY recv
  set req.backend = F_service_origin;
  set req.http.X-Target = table.lookup(redirects, req.url);
  call shared;
}
sub vcl_deliver {
  set resp.http.X = "1";
}
