sub vcl_recv {
#FASTLY recv
  if (req.http.X-Retry) { set req.http.Y = "1"; }
}
sub vcl_fetch {
#FASTLY fetch
  if (beresp.status >= 500) { set req.http.X-Retry = "1"; restart; } # WARNING cluster-state-lost "lost"
}
