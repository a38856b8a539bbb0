sub helper { set req.http.X = "1"; }
sub vcl_recv {
#FASTLY recv
  call helper;
}
