sub vcl_deliver {
#FASTLY deliver
  set resp.http.X = "1";
}
