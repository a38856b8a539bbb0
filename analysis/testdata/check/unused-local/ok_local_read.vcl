sub vcl_recv {
#FASTLY recv
  declare local var.a STRING;
  set var.a = "x";
  set req.http.A = var.a;
}
