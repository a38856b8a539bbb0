# Breadcrumbs: record the subroutines a request went through in an
# X-VCL-Route response header.
#
# The catch is clustering. vcl_recv, vcl_hash and vcl_deliver run on the
# delivery node; vcl_miss, vcl_pass, vcl_fetch (and vcl_error raised there)
# run on the fetch node, and changes made to `req` on the fetch node never
# come back. So the fetch-node subroutines write their crumbs into their own
# headers, vcl_fetch copies everything onto `beresp` (which does travel back,
# and is stored with the object), and vcl_deliver puts the trail together.
#
# Run it:  vclide run --scenario examples/breadcrumbs.scenario.yaml

backend F_origin {
  .host = "origin.example.com";
  .port = "443";
  .ssl = true;
}

sub vcl_recv {
#FASTLY recv
  if (req.restarts == 0) {
    set req.http.X-VCL-Route = "VCL_RECV";
  } else {
    set req.http.X-VCL-Route = req.http.X-VCL-Route ",VCL_RECV";
  }

  # Account pages are personal: never cached.
  if (req.url ~ "^/account") {
    return(pass);
  }
  return(lookup);
}

sub vcl_hash {
#FASTLY hash
  set req.hash += req.url;
  set req.hash += req.http.host;
  set req.http.X-VCL-Route = req.http.X-VCL-Route ",VCL_HASH(host: " req.http.host ", url: " req.url ")";
  return(hash);
}

sub vcl_hit {
#FASTLY hit
  return(deliver);
}

sub vcl_miss {
#FASTLY miss
  # Fetch node: appending to X-VCL-Route here would be lost, so keep the
  # crumb in a header of its own.
  set req.http.X-PreFetch-Miss = ",VCL_MISS(" bereq.http.host bereq.url ")";

  # Content that has moved elsewhere: answer from vcl_error instead.
  if (req.url ~ "^/moved") {
    error 901;
  }
  return(fetch);
}

sub vcl_pass {
#FASTLY pass
  set req.http.X-PreFetch-Pass = ",VCL_PASS";
  return(pass);
}

sub vcl_fetch {
#FASTLY fetch
  # beresp travels back to the delivery node (and into the cache): copy the
  # crumbs onto it.
  set beresp.http.X-VCL-Route = req.http.X-VCL-Route;
  set beresp.http.X-PreFetch-Pass = req.http.X-PreFetch-Pass;
  set beresp.http.X-PreFetch-Miss = req.http.X-PreFetch-Miss;
  set beresp.http.X-PostFetch = ",VCL_FETCH(status: " beresp.status ", url: " req.url ")";
  return(deliver);
}

sub vcl_error {
#FASTLY error
  # vcl_error runs where the error was raised: on the delivery node for an
  # error from vcl_recv, on the fetch node for one from vcl_miss. obj reaches
  # vcl_deliver either way, so the trail goes there.
  set obj.http.X-VCL-Route = req.http.X-VCL-Route;
  if (fastly_info.state ~ "^MISS") {
    set obj.http.X-VCL-Route = obj.http.X-VCL-Route ",VCL_MISS(" req.http.host req.url ")";
  }
  set obj.http.X-VCL-Route = obj.http.X-VCL-Route ",VCL_ERROR";

  if (obj.status == 901) {
    set obj.status = 301;
    set obj.response = "Moved Permanently";
    set obj.http.Location = "https://" req.http.host "/new" req.url;
    set obj.http.X-VCL-Route = obj.http.X-VCL-Route "(status: 901, return: deliver)";
    synthetic {"Moved"};
    return(deliver);
  }
  return(deliver);
}

sub vcl_deliver {
#FASTLY deliver
  # Start from the trail that came back with the response, if any.
  if (resp.http.X-VCL-Route) {
    set req.http.X-VCL-Route = resp.http.X-VCL-Route;
  }

  # A synthetic response from vcl_error with a status below 400 reports
  # HIT-SYNTH: it brought its own crumbs on obj and was no cache hit, so it
  # must not match the "^HIT" test below.
  if (fastly_info.state ~ "^HITPASS") {
    set req.http.X-VCL-Route = req.http.X-VCL-Route ",VCL_HIT(object: uncacheable, return: pass)";
  } elseif (fastly_info.state ~ "^HIT" && fastly_info.state !~ "^HIT-SYNTH") {
    set req.http.X-VCL-Route = req.http.X-VCL-Route ",VCL_HIT(" req.http.host req.url ")";
  } else {
    if (resp.http.X-PreFetch-Pass) {
      set req.http.X-VCL-Route = req.http.X-VCL-Route resp.http.X-PreFetch-Pass;
    }
    if (resp.http.X-PreFetch-Miss) {
      set req.http.X-VCL-Route = req.http.X-VCL-Route resp.http.X-PreFetch-Miss;
    }
    if (resp.http.X-PostFetch) {
      set req.http.X-VCL-Route = req.http.X-VCL-Route resp.http.X-PostFetch;
    }
  }
  set req.http.X-VCL-Route = req.http.X-VCL-Route ",VCL_DELIVER";

  # Show the trail to the client. The header set on req in vcl_miss is not
  # here: it was set on the fetch node.
  set resp.http.X-VCL-Route = req.http.X-VCL-Route;
  set resp.http.X-Lost-In-Cluster = req.http.X-PreFetch-Miss;
  unset resp.http.X-PreFetch-Pass;
  unset resp.http.X-PreFetch-Miss;
  unset resp.http.X-PostFetch;
  return(deliver);
}

sub vcl_log {
#FASTLY log
  log "syslog route: " req.http.X-VCL-Route;
}
