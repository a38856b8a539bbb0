# Minimal VCL for revalidate.scenario.yaml: Fastly's macros only.
backend F_origin { .host = "origin.example"; .port = "80"; }

sub vcl_recv {
#FASTLY recv
}

sub vcl_hit {
#FASTLY hit
}

sub vcl_miss {
#FASTLY miss
}

sub vcl_fetch {
#FASTLY fetch
}

sub vcl_deliver {
#FASTLY deliver
}
