# SYNTAX TEST "source.vcl" "numbers, durations and IP literals"

sub vcl_fetch {
  set beresp.ttl = 10s;
#                  ^^^ constant.numeric.duration.vcl
#                    ^ keyword.other.unit.vcl
#                     ^ - constant.numeric
  set beresp.grace = 1.5h;
#                    ^^^^ constant.numeric.duration.vcl
#                       ^ keyword.other.unit.vcl
  set beresp.stale_if_error = 1y;
#                             ^^ constant.numeric.duration.vcl
  set beresp.stale_while_revalidate = 100ms;
#                                     ^^^^^ constant.numeric.duration.vcl
#                                        ^^ keyword.other.unit.vcl
  set var.d = 2d + 30m;
#             ^^ constant.numeric.duration.vcl
#                  ^^^ constant.numeric.duration.vcl
  set var.i = 42;
#             ^^ constant.numeric.integer.vcl
  set var.h = 0x1F;
#             ^^^^ constant.numeric.hex.vcl
  set var.f = 3.25;
#             ^^^^ constant.numeric.float.vcl
  set var.ip = 192.0.2.10;
#              ^^^^^^^^^^ constant.numeric.ip.vcl
  set var.s = "2s";
#              ^^ string.quoted.double.vcl - constant.numeric
}

director shielded random {
  .quorum = 50%;
#           ^^^ constant.numeric.percentage.vcl
}
