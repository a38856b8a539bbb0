sub vcl_recv {
#FASTLY recv
  set req.http.X = table.lookup(redirects, req.url); # WARNING undefined-table "table redirects"
}
