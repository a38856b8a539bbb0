sub vcl_recv {
#FASTLY recv
  set var.nope = "1"; # ERROR undeclared-local "declare local var.nope"
}
