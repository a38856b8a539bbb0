sub vcl_deliver {
#FASTLY deliver
  resp.tarpit(1);
}
