sub add_header {
  set req.http.Added = "1"; # @mark:helper
}

sub vcl_recv {
#FASTLY recv
  set req.http.Seen = "yes"; # @mark:recv
  call add_header;
  return(pass);
}
