sub vcl_recv {
#FASTLY recv
  declare local var.b BOOL;
  set var.b = "yes"; # ERROR type-mismatch "cannot assign a STRING"
}
