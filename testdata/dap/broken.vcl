# A program that does not compile: the launch must fail with this error.
sub vcl_recv {
  set req.http.X = undefined_function();
}
