sub vcl_recv {
#FASTLY recv
  set req.http.X = ; # ERROR syntax "expected an expression"
}
