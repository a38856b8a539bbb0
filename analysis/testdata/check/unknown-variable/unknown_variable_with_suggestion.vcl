sub vcl_recv {
#FASTLY recv
  set req.http.X = req.ulr; # ERROR unknown-variable "did you mean req.url?"
}
