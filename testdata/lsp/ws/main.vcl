# The entry file: it includes the backends.
include "backends";

acl internal {
  "10.0.0.0"/8;
  "192.168.0.0"/16;
}

table redirects {
  "/old": "/new",
  "/a": "/b",
}

sub normalize_host {
  declare local var.host STRING;
  set var.host = std.tolower(req.http.Host);
  set req.http.Host = var.host;
}

sub vcl_recv {
  #FASTLY recv
  call normalize_host;
  if (client.ip ~ internal) {
    set req.http.X-Internal = "1";
  }
  set req.http.X-Redirect = table.lookup(redirects, req.url.path, "");
  set req.backend = F_origin;
  return(lookup);
}

sub vcl_fetch {
  #FASTLY fetch
  if (beresp.status >= 500) {
    set beresp.ttl = 0s;
    return(pass);
  }
  return(deliver);
}

sub vcl_deliver {
  #FASTLY deliver
  set resp.http.X-Served-By = server.identity;
  return(deliver);
}
