# SYNTAX TEST "source.vcl" "strings, escapes and long strings"

sub vcl_deliver {
  set resp.http.A = "plain text";
#                   ^ string.quoted.double.vcl punctuation.definition.string.begin.vcl
#                    ^^^^^^^^^^ string.quoted.double.vcl
#                              ^ string.quoted.double.vcl punctuation.definition.string.end.vcl
#                               ^ punctuation.terminator.statement.vcl - string
  set resp.http.B = "caf%C3%A9 %u00e9 %u{1F600}";
#                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.double.vcl
#                    ^^^ string.quoted.double.vcl - constant.character.escape
#                       ^^^ constant.character.escape.vcl
#                          ^^^ constant.character.escape.vcl
#                              ^^^^^^ constant.character.escape.unicode.vcl
#                                     ^^^^^^^^^ constant.character.escape.unicode.vcl
  set resp.http.C = "100%zz";
#                       ^ invalid.illegal.escape.vcl
  set resp.http.D = {"a "quoted" word, %20 is not an escape here"};
#                   ^^ string.quoted.other.long.vcl punctuation.definition.string.begin.vcl
#                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.other.long.vcl
#                       ^^^^^^^^ - punctuation
#                                      ^^^ - constant.character.escape
#                                                               ^^ string.quoted.other.long.vcl punctuation.definition.string.end.vcl
#                                                                 ^ punctuation.terminator.statement.vcl - string
  set resp.http.E = {END"contains "} and "}" safely"END};
#                   ^^^^^ string.quoted.other.long.vcl punctuation.definition.string.begin.vcl
#                        ^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.other.long.vcl
#                                 ^^^^^^ - punctuation
#                                                  ^^^^^ string.quoted.other.long.vcl punctuation.definition.string.end.vcl
#                                                       ^ - string
  synthetic {"<!doctype html>
#           ^^^^^^^^^^^^^^^^^ string.quoted.other.long.vcl
<p>a "quoted" line inside</p>
# <----------------------------- string.quoted.other.long.vcl
  "};
# ^^ string.quoted.other.long.vcl punctuation.definition.string.end.vcl
#   ^ punctuation.terminator.statement.vcl
  set resp.http.F = "a" + "b";
#                   ^^^ string.quoted.double.vcl
#                       ^ keyword.operator.arithmetic.vcl - string
#                         ^^^ string.quoted.double.vcl
  set resp.http.G = "unterminated
#                   ^^^^^^^^^^^^^ string.quoted.double.vcl
  set resp.http.H = "the next line is code again";
# ^^^ keyword.other.set.vcl - string
}
