sub somewhere {
  set req.http.X = "1";
}
sub vcl_recv {
#FASTLY recv
  call somewhere;
}
