sub vcl_recv {
#FASTLY recv
  testing.call_subroutine("vcl_recv"); # ERROR test-only "only available in test files"
}
