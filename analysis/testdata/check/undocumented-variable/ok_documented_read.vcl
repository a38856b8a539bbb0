sub vcl_recv {
#FASTLY recv
  set req.http.X = fastly_info.is_h2;
}
