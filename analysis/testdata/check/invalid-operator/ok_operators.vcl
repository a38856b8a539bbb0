sub vcl_recv {
#FASTLY recv
  declare local var.n INTEGER;
  set var.n = 1;
  set var.n += 2;
  add req.http.Vary = "Accept";
  set req.http.N = var.n;
}
