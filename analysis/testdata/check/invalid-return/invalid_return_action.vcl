sub vcl_recv {
#FASTLY recv
  return(deliver); # ERROR invalid-return "valid here: "
}
