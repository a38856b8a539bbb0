sub vcl_recv {
#FASTLY recv
  set req.http.X-Route = "recv";
  if (req.http.X-Route) { set req.http.Y = "1"; }
}
sub vcl_deliver {
#FASTLY deliver
  set resp.http.X-Route = req.http.X-Route;
}
