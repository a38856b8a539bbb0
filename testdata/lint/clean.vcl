sub vcl_recv {
#FASTLY recv
  set req.http.X-Clean = "1";
  return(lookup);
}
