# ESI: pages ask for Edge Side Includes processing in vcl_fetch; each
# fragment is a request of its own (esi.scenario.yaml).
backend F_origin { .host = "origin.example"; .port = "80"; }

sub vcl_recv {
#FASTLY recv
  log "recv " req.url " esi_level=" req.esi_level " topurl=" req.topurl; # @esi-recv
}

sub vcl_fetch {
#FASTLY fetch
  if (beresp.http.Content-Type ~ "text/html") {
    esi;
  }
}

sub vcl_deliver {
#FASTLY deliver
}
