# A backend that production VCL references without declaring lives in the
# Fastly service: it is noted, not warned about (interp runs it the same way).
sub vcl_recv {
#FASTLY recv
  set req.backend = F_Heroku; # INFO undefined-backend "taken as a service backend"
}
