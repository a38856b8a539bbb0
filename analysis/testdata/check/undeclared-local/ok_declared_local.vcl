sub vcl_recv {
#FASTLY recv
  declare local var.ok STRING;
  set var.ok = "1";
  set req.http.X = var.ok;
}
