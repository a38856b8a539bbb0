include "lib/helper";
sub vcl_recv {
#FASTLY recv
  call lib_helper;
}
