# vclide Neovim test fixture. The specs find their positions by the text of the lines below.
backend F_origin {
  .host = "127.0.0.1";
  .port = "8081";
}

sub vcl_recv {
  #FASTLY recv
  set req.http.X-Undeclared = var.not_declared;
  set req.http.X-Probe = req.url;
  set req.backend = F_origin;
  return(lookup);
}

sub vcl_fetch {
  #FASTLY fetch
  set beresp.ttl = 60s;
  return(deliver);
}
