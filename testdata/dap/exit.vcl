# Breakpoints on a subroutine's closing brace (dap/exit_test.go).

backend F_origin {
  .host = "origin.example.com";
  .port = "443";
}

sub vcl_recv {
#FASTLY recv
  if (req.url ~ "^/a") {
    set req.http.X-Branch = "a"; # @branch-a
  } else {
    set req.http.X-Branch = "b"; # @branch-b
  } # @if-end
} # @recv-end

sub vcl_deliver {
#FASTLY deliver
  set req.http.X-PreFetch-Miss = "written like this";
  set resp.http.X-Branch = req.http.X-Branch; # @deliver-branch
  return(deliver);
}
