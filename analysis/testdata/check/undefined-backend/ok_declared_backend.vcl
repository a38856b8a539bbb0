backend F_x { .host = "example.com"; }
sub vcl_recv {
#FASTLY recv
  set req.backend = F_x;
}
