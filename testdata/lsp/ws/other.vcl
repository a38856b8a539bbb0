# A separate program that uses F_origin without declaring it.
sub vcl_recv {
  #FASTLY recv
  set req.backend = F_origin;
  return(lookup);
}
