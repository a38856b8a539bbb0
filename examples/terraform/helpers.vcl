# The vcl block "helpers" of main.tf: main.vcl includes it by that name.
sub redirect_old_urls {
  if (table.contains(redirects, req.url.path)) {
    set req.http.X-Redirect-To = table.lookup(redirects, req.url.path);
    error 801;
  }
}
