# Without #FASTLY recv nothing declares var.fastly_req_do_shield.
sub vcl_recv { # WARNING missing-fastly-macro
  set var.fastly_req_do_shield = false; # ERROR undeclared-local "var.fastly_req_do_shield"
}
