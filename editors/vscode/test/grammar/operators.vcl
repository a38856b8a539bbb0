# SYNTAX TEST "source.vcl" "operators"

sub vcl_recv {
  set var.a = 1;
#           ^ keyword.operator.assignment.vcl
  set var.a += 1;
#           ^^ keyword.operator.assignment.compound.vcl
  set var.a -= 1;
#           ^^ keyword.operator.assignment.compound.vcl
  set var.a *= 2;
#           ^^ keyword.operator.assignment.compound.vcl
  set var.a /= 2;
#           ^^ keyword.operator.assignment.compound.vcl
  set var.a %= 2;
#           ^^ keyword.operator.assignment.compound.vcl
  set var.a rol= 3;
#           ^^^^ keyword.operator.assignment.compound.vcl
  set var.a ror= 3;
#           ^^^^ keyword.operator.assignment.compound.vcl
  set var.a <<= 1;
#           ^^^ keyword.operator.assignment.compound.vcl
  set var.a >>= 1;
#           ^^^ keyword.operator.assignment.compound.vcl
  set var.a |= 1;
#           ^^ keyword.operator.assignment.compound.vcl
  set var.a &= 1;
#           ^^ keyword.operator.assignment.compound.vcl
  set var.a ^= 1;
#           ^^ keyword.operator.assignment.compound.vcl
  set var.b &&= true;
#           ^^^ keyword.operator.assignment.compound.vcl
  set var.b ||= false;
#           ^^^ keyword.operator.assignment.compound.vcl
  if (var.a == 1 && var.a != 2 || !var.b && var.a >= 0 && var.a < 9 && var.a <= 8 && var.a > 0) {
#           ^^ keyword.operator.comparison.vcl
#                ^^ keyword.operator.logical.vcl
#                         ^^ keyword.operator.comparison.vcl
#                              ^^ keyword.operator.logical.vcl
#                                 ^ keyword.operator.logical.vcl
#                                                 ^^ keyword.operator.comparison.vcl
#                                                               ^ keyword.operator.comparison.vcl
#                                                                            ^^ keyword.operator.comparison.vcl
#                                                                                          ^ keyword.operator.comparison.vcl
  }
  set var.a = var.a + 1 - 2 * 3 / 4 % 5;
#                   ^ keyword.operator.arithmetic.vcl
#                       ^ keyword.operator.arithmetic.vcl
#                           ^ keyword.operator.arithmetic.vcl
#                               ^ keyword.operator.arithmetic.vcl
#                                   ^ keyword.operator.arithmetic.vcl
}
