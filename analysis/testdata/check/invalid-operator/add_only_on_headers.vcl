sub vcl_recv {
#FASTLY recv
  declare local var.s STRING;
  add var.s = "x"; # ERROR invalid-operator "add only works"
}
