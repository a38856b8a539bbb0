sub vcl_deliver { # WARNING missing-fastly-macro "#FASTLY deliver"
  set resp.http.X = "1";
}
