backend F_origin {
  .host = "origin.example.com";
  .port = "443";
  .ssl = true;
}

backend F_static {
  .host = "static.example.com";
  .port = "443";
}

director pool random {
  { .backend = F_origin; .weight = 2; }
  { .backend = F_static; .weight = 1; }
}
