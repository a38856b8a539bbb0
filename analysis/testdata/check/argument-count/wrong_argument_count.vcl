sub vcl_recv {
#FASTLY recv
  set req.http.X = std.tolower(req.url, 1); # ERROR argument-count "does not take 2 arguments"
}
