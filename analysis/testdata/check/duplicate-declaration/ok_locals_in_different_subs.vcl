sub vcl_recv {
#FASTLY recv
  declare local var.a STRING;
  set var.a = "x";
  set req.http.A = var.a;
}
sub vcl_deliver {
#FASTLY deliver
  declare local var.a INTEGER;
  set var.a = 1;
  set resp.http.A = var.a;
}
