sub vcl_recv {
#FASTLY recv
  set req.http.X = fastly_info.request_id; # WARNING undocumented-variable "not documented by Fastly"
}
