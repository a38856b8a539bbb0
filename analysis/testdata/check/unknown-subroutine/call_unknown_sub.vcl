sub vcl_recv {
#FASTLY recv
  call nowhere; # ERROR unknown-subroutine "unknown subroutine nowhere"
}
