sub vcl_recv {
#FASTLY recv
}
sub helper { } # HINT unused-subroutine "never called"
