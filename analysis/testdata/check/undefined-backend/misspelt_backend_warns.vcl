# A near miss of a declared backend is a typo, not a service backend.
backend F_origin { .host = "example.com"; }
sub vcl_recv {
#FASTLY recv
  set req.backend = F_orgin; # WARNING undefined-backend "did you mean F_origin?"
}
