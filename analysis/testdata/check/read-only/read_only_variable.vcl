sub vcl_recv {
#FASTLY recv
  set client.ip = "1.2.3.4"; # ERROR read-only "read-only"
}
