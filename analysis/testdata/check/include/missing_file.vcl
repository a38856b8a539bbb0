include "lib/nope"; # ERROR include "cannot find"
sub vcl_recv {
#FASTLY recv
}
