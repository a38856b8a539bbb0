include "common";

sub vcl_recv {
#FASTLY recv
  declare local var.unused STRING;
  if (client.ip ~ office) {
    set req.backend = F_service;
  }
  call common_sub;
  call helper;
  return(lookup);
}

sub vcl_deliver {
#FASTLY deliver
  return(deliver);
}
