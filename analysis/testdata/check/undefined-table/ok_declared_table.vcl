table redirects { "/a": "/b" }
sub vcl_recv {
#FASTLY recv
  set req.http.X = table.lookup(redirects, req.url);
}
