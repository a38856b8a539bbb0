sub vcl_recv {
#FASTLY recv
  declare local var.a STRING;
  declare local var.a INTEGER; # ERROR duplicate-declaration "already declared"
  set var.a = "x";
}
