# Custom VCL for a storefront on Fastly, written the way production services
# are: the backends live in the Fastly service (an app on Heroku, assets in
# an S3 bucket), so this file declares none. Fastly names them F_Heroku and
# F_S3 and `#FASTLY recv` selects the service's default backend.
#
# vclide treats F_Heroku and F_S3 as service backends: the embedded origin
# answers them unless --origin, a scenario or .vclide.yaml says otherwise.
#
#   vclide run examples/service.vcl -r /products/shoes -r /assets/app.css
#   vclide run examples/service.vcl --origin http://127.0.0.1:3000
#   vclide run --scenario examples/service.scenario.yaml

sub vcl_recv {
#FASTLY recv

  # Load balancer and uptime checks never reach an origin.
  if (req.url.path == "/healthz") {
    error 299 "Cheers!";
  }

  # The old blog moved to its own host.
  if (req.url.path ~ "^/blog(/|$)") {
    error 801 "Moved Permanently";
  }

  if (req.method != "HEAD" && req.method != "GET" && req.method != "FASTLYPURGE") {
    return(pass);
  }

  # Campaign parameters do not change a page: one cached copy for all.
  if (req.url ~ "[?&](utm_[a-z]+|gclid|fbclid)=") {
    set req.url = querystring.regfilter(req.url, "^(utm_[a-z]+|gclid|fbclid)$");
  }
  set req.url = querystring.sort(req.url);

  # The API is personal and never cached.
  if (req.url.path ~ "^/api/") {
    set req.backend = F_Heroku;
    return(pass);
  }

  # Static files come from the bucket, cookie-free.
  if (req.url.path ~ "^/(assets|images)/") {
    set req.backend = F_S3;
    unset req.http.Cookie;
    return(lookup);
  }

  # Everything else is a page rendered by the app, the service's default
  # backend. Logged-in visitors see their own pages.
  if (req.http.Cookie ~ "(^|;\s*)session=") {
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
  if (req.backend == F_S3) {
    set bereq.http.Host = "storefront-assets.s3.amazonaws.com";
  }
  return(fetch);
}

sub vcl_pass {
#FASTLY pass
  return(pass);
}

sub vcl_fetch {
#FASTLY fetch

  if (beresp.status >= 500 && beresp.status < 600) {
    if (stale.exists) {
      return(deliver_stale);
    }
    return(pass);
  }

  if (req.backend == F_S3) {
    # Fingerprinted assets never change.
    unset beresp.http.Set-Cookie;
    unset beresp.http.x-amz-request-id;
    unset beresp.http.x-amz-id-2;
    set beresp.ttl = 365d;
    set beresp.http.Cache-Control = "public, max-age=31536000, immutable";
    return(deliver);
  }

  # Pages: short in browsers, longer at the edge, usable stale.
  if (beresp.http.Set-Cookie) {
    set beresp.ttl = 0s;
    return(pass);
  }
  set beresp.ttl = 5m;
  set beresp.stale_if_error = 1d;
  set beresp.stale_while_revalidate = 30s;
  set beresp.http.Surrogate-Key = "pages";
  return(deliver);
}

sub vcl_error {
#FASTLY error
  if (obj.status == 801) {
    set obj.status = 301;
    set obj.response = "Moved Permanently";
    set obj.http.Location = "https://blog.example.com" + regsub(req.url, "^/blog", "");
    synthetic {""};
    return(deliver);
  }
  if (obj.status == 299) {
    set obj.http.Content-Type = "text/plain";
    set obj.http.Cache-Control = "no-store";
    synthetic {"ok"};
    return(deliver);
  }
  return(deliver);
}

sub vcl_deliver {
#FASTLY deliver
  set resp.http.Strict-Transport-Security = "max-age=31536000";
  if (!req.http.Fastly-Debug) {
    unset resp.http.Surrogate-Key;
    unset resp.http.X-Served-By;
  }
  return(deliver);
}

sub vcl_log {
#FASTLY log
}
