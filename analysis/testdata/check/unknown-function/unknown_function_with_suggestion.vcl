sub vcl_recv {
#FASTLY recv
  set req.http.X = std.tolowr(req.url); # ERROR unknown-function "did you mean std.tolower?"
}
