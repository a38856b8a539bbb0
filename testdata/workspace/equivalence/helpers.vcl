# Concatenated with main.vcl by the build, not included.
sub helper {
  set req.http.X-Helper = "1";
}
