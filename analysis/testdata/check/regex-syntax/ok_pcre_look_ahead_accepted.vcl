sub vcl_recv {
#FASTLY recv
  if (req.url ~ "^/(?!admin)" && req.url ~ "(a)\\1") { }
}
