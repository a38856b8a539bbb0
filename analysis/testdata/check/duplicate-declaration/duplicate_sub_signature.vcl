sub helper STRING {
  return "a";
}
sub helper INTEGER { # ERROR duplicate-declaration "different return type"
  return 1;
}
sub vcl_recv {
#FASTLY recv
  set req.http.X = helper();
}
