# A vcl_recv snippet, as Fastly's dynamic snippets are written: bare
# statements, no subroutine around them (the file name says where it runs).
set req.http.X-Snippet = "recv"; # @first
if (req.url ~ "^/blocked") {
  error 403 "Blocked by the snippet"; # @blocked
}
