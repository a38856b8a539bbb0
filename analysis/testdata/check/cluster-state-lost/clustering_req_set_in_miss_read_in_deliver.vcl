sub vcl_recv {
#FASTLY recv
}
sub vcl_miss {
#FASTLY miss
  set req.http.X-Route = "miss"; # WARNING cluster-state-lost "fetch node"
}
sub vcl_deliver {
#FASTLY deliver
  set resp.http.X-Route = req.http.X-Route;
}
