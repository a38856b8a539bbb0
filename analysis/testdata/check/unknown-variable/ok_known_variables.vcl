sub vcl_recv {
#FASTLY recv
  set req.http.X = req.url + client.ip + req.http.Anything;
}
