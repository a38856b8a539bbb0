sub common_sub {
  set req.http.X-Common = "1";
}
