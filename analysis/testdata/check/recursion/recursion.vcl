sub vcl_recv {
#FASTLY recv
  call a;
}
sub a { call b; }
sub b { call a; } # ERROR recursion "a → b → a"
