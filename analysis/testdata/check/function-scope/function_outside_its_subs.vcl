sub vcl_recv {
#FASTLY recv
  resp.tarpit(1); # ERROR function-scope "resp.tarpit cannot be called in vcl_recv"
}
