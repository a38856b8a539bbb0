sub vcl_recv {
#FASTLY recv
  if (req.url ~ "^/skip") {
    goto done;
  }
  set req.http.X = "1";
  done:
  set req.http.Y = "2";
}
