# A stale-while-revalidate hit starts a background fetch: the debugger
# shows it as a thread of its own (dap/subrequest_test.go).
backend F_origin { .host = "origin.example"; .port = "80"; }

sub vcl_miss {
#FASTLY miss
  set bereq.http.X-Background = req.is_background_fetch; # @bg-miss
}

sub vcl_deliver {
#FASTLY deliver
}
