backend F_a { .host = "a"; }
director d random { { .backend = F_a; .weight = 1; } { .backend = F_gone; .weight = 1; } } # WARNING undefined-backend "backend F_gone"
sub vcl_recv {
#FASTLY recv
  set req.backend = d;
}
