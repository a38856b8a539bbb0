# A starting point for custom Fastly VCL.
#
# Every subroutine keeps its `#FASTLY <sub>` macro (Fastly expands it into
# the code its control panel generates; custom VCL does not compile without
# it), followed by the small defaults Fastly's generated VCL would otherwise
# provide. On top of that come a few rules most services want:
#
#   * a clean cache key: marketing query parameters are dropped;
#   * stale-if-error: when the origin fails, a stale copy is served instead
#     of an error page;
#   * an X-Cache response header saying how the response was produced.
#
# Try it:
#   vclide run examples/boilerplate.vcl -r "GET /" -r "GET /?utm_source=mail"
#   vclide run --scenario examples/stale.scenario.yaml

backend F_origin {
  .host = "origin.example.com";
  .port = "443";
  .ssl = true;
  .connect_timeout = 1s;
  .first_byte_timeout = 15s;
  .between_bytes_timeout = 10s;
}

sub vcl_recv {
#FASTLY recv

  # Only GET and HEAD can come from the cache. FASTLYPURGE is Fastly's own
  # purge method and must reach the purge handling, so it is let through.
  if (req.method != "HEAD" && req.method != "GET" && req.method != "FASTLYPURGE") {
    return(pass);
  }

  # Tracking parameters never change the page: keep them out of the cache
  # key so that every campaign link shares one cached copy.
  if (req.url ~ "[?&]utm_[a-z]+=") {
    set req.url = querystring.regfilter(req.url, "^utm_");
  }

  return(lookup);
}

sub vcl_hash {
#FASTLY hash
  # The key is the URL and the host.
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

  # The origin answered with a server error. If an older copy is still
  # within its stale-if-error window, that copy is better than an error.
  if (beresp.status >= 500 && beresp.status < 600) {
    if (stale.exists) {
      return(deliver_stale);
    }
    # Otherwise try once more: a single failing request is often transient.
    if ((beresp.status == 500 || beresp.status == 503) && req.restarts < 1 && (req.method == "GET" || req.method == "HEAD")) {
      return(restart);
    }
  }

  # After a retry, say so (useful when reading logs).
  if (req.restarts > 0) {
    set beresp.http.Fastly-Restarts = req.restarts;
  }

  # A response that sets a cookie is about one user: never share it.
  if (beresp.http.Set-Cookie) {
    set req.http.Fastly-Cachetype = "SETCOOKIE";
    return(pass);
  }

  # The TTL comes from Cache-Control, but `private` and `no-store` are not
  # honoured by Fastly's parser: honour them here.
  if (beresp.http.Cache-Control ~ "(private|no-store)") {
    set req.http.Fastly-Cachetype = "PRIVATE";
    return(pass);
  }

  # With no caching headers at all, keep the object for an hour.
  if (!beresp.http.Expires && !beresp.http.Surrogate-Control ~ "max-age" && !beresp.http.Cache-Control ~ "(s-maxage|max-age)") {
    set beresp.ttl = 3600s;
  }

  # Keep every object a day past its TTL for stale-if-error, and allow a
  # short stale-while-revalidate window.
  set beresp.stale_if_error = 86400s;
  set beresp.stale_while_revalidate = 30s;

  return(deliver);
}

sub vcl_error {
#FASTLY error

  # The origin could not be reached at all (vcl_fetch did not run): a
  # stale copy is still better than a 503.
  if (obj.status >= 500 && obj.status < 600 && stale.exists) {
    return(deliver_stale);
  }
  return(deliver);
}

sub vcl_deliver {
#FASTLY deliver

  # HIT, MISS, PASS, HIT-STALE... with -CLUSTER when two nodes were involved.
  set resp.http.X-Cache = fastly_info.state;
  return(deliver);
}

sub vcl_log {
#FASTLY log
}
