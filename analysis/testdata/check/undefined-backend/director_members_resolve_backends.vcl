backend F_a { .host = "a"; }
director d random { { .backend = F_a; .weight = 1; } { .backend = F_gone; .weight = 1; } } # INFO undefined-backend "backend F_gone is not declared in this VCL: it is taken as a service backend"
sub vcl_recv {
#FASTLY recv
  set req.backend = d;
}
