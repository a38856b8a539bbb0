# A recv snippet in the style of Fastly's Magento module: it uses
# var.fastly_req_do_shield, which Fastly's generated vcl_recv declares at
# #FASTLY recv and sets to (req.restarts == 0).
if (req.url ~ "^/admin") {
  set var.fastly_req_do_shield = false;
}
if (var.fastly_req_do_shield) { # @shield
  error 299 "shield";
}
error 298 "no shield";
