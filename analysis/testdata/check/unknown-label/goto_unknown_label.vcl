sub vcl_recv {
#FASTLY recv
  goto nowhere; # ERROR unknown-label "no label nowhere"
}
