# A backend name that misspells the declared one is an error at run time,
# not a service backend.
backend F_origin {
  .host = "127.0.0.1";
  .port = "9";
}

sub vcl_recv {
#FASTLY recv
  if (req.url ~ "^/api/") {
    set req.backend = F_orgin;
  }
  return(pass);
}
