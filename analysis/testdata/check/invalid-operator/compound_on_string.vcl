sub vcl_recv {
#FASTLY recv
  declare local var.b BOOL;
  set var.b *= 2; # ERROR invalid-operator "cannot be used"
}
