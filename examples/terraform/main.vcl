# The service's main VCL. Its backends (F_origin, F_api), the dictionary
# "redirects" and the ACL "internal" come from main.tf; snippets are
# inserted at their #FASTLY lines.
include "helpers";

sub vcl_recv {
#FASTLY recv
  call redirect_old_urls;
  if (req.method != "HEAD" && req.method != "GET" && req.method != "FASTLYPURGE") {
    return(pass);
  }
  return(lookup);
}

sub vcl_hash {
#FASTLY hash
  set req.hash += req.url;
  set req.hash += req.http.host;
  return(hash);
}

sub vcl_hit {
#FASTLY hit
  return(deliver);
}

sub vcl_miss {
#FASTLY miss
  return(fetch);
}

sub vcl_pass {
#FASTLY pass
  return(pass);
}

sub vcl_fetch {
#FASTLY fetch
  if (beresp.status >= 500) {
    return(pass);
  }
  set beresp.ttl = 300s;
  return(deliver);
}

sub vcl_error {
#FASTLY error
  if (obj.status == 801) {
    set obj.status = 301;
    set obj.response = "Moved Permanently";
    set obj.http.Location = req.http.X-Redirect-To;
    synthetic "";
  }
  return(deliver);
}

sub vcl_deliver {
#FASTLY deliver
  if (req.http.X-Route) {
    set resp.http.X-Route = req.http.X-Route;
  }
  return(deliver);
}

sub vcl_log {
#FASTLY log
}
