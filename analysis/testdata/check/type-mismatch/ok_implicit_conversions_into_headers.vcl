sub vcl_recv {
#FASTLY recv
  set req.http.A = req.restarts;
  set req.http.B = now;
  set req.http.C = client.ip;
  set req.http.D = req.is_ssl;
  set req.http.E = 10s;
  if (req.http.Cookie) { }
}
