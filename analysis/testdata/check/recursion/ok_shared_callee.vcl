sub c { set req.http.C = "1"; }
sub a { call c; }
sub b { call c; call a; }
sub vcl_recv {
#FASTLY recv
  call a;
  call b;
}
