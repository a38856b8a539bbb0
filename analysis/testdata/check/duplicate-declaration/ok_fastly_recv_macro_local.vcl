# Declaring the macro's local again after #FASTLY recv is no duplicate that
# vclide can prove (the generated code is not in the file).
sub vcl_recv {
#FASTLY recv
  declare local var.fastly_req_do_shield BOOL;
  set var.fastly_req_do_shield = true;
}
