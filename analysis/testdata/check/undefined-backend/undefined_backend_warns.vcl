sub vcl_recv {
#FASTLY recv
  set req.backend = F_missing; # WARNING undefined-backend ".vclide.yaml"
}
