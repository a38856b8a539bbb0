sub vcl_recv {
#FASTLY recv
  if (req.url ~ "^/admin") {
    return(pass);
  }
  set req.http.X = "1";
  return(lookup);
}
