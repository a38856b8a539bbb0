sub vcl_recv {
#FASTLY recv
  return(pass);
  set req.http.X = "1"; # HINT unreachable-code "unreachable"
}
