sub vcl_recv {
#FASTLY recv
  set req.url = "/";
  set req.http.X = client.ip;
}
