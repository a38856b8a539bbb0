# Fastly's generated vcl_recv (what #FASTLY recv stands for) declares
# var.fastly_req_do_shield; code after the macro reads and sets it, as
# Fastly's Magento module does.
sub vcl_recv {
#FASTLY recv
  if (req.url ~ "^/admin") {
    set var.fastly_req_do_shield = false;
  }
  if (var.fastly_req_do_shield) {
    set req.http.X-Shield = "1";
  }
}
