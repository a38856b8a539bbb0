sub vcl_recv {
#FASTLY recv
  set req.http.X = std.itoa("x"); # ERROR argument-type "must be INTEGER"
}
