# vclide: scope=recv
# A recv snippet is placed at #FASTLY recv, after the generated declaration.
if (req.url ~ "^/admin") {
  set var.fastly_req_do_shield = false;
}
