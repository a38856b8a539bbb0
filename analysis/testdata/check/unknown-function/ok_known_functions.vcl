sub vcl_recv {
#FASTLY recv
  set req.http.X = std.tolower(req.url) + regsuball(req.url, "a", "b");
}
