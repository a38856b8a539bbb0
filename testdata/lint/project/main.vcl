include "shared";
sub vcl_recv {
#FASTLY recv
  call shared_recv;
  return(lookup);
}
