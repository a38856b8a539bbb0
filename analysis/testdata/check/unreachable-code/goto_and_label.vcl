sub vcl_recv {
#FASTLY recv
  goto done;
  set req.http.X = "1"; # HINT unreachable-code "unreachable statement: the sta"
  done:
  set req.http.Y = "2";
}
