sub vcl_fetch {
#FASTLY fetch
  set beresp.ttl = 1s;
}
