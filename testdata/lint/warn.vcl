sub vcl_deliver {
  set resp.http.X = "1";
}
