sub is_api BOOL {
  if (req.url ~ "^/api") { return true; }
  return false;
}
sub vcl_recv {
#FASTLY recv
  if (is_api()) { return(pass); }
}
