sub join(STRING var.a, STRING var.b) STRING {
  return var.a + var.b;
}
sub vcl_recv {
#FASTLY recv
  set req.http.X = join("a", "b");
}
