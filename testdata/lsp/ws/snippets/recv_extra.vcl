# A snippet: it runs in vcl_recv (from .vclide.yaml).
if (req.url ~ "^/static/") {
  set req.backend = F_origin;
}
