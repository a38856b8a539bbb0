sub vcl_recv {
#FASTLY recv
  set req.http.X = std.itoa(req.restarts) + substr(req.url, 1, 2);
}
