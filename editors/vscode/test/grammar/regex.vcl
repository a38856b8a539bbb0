# SYNTAX TEST "source.vcl" "regular expressions after ~ and !~, and in regsub"

sub vcl_recv {
  if (req.url ~ "^/api/(v[0-9]+)?$") {
#             ^ keyword.operator.match.vcl
#               ^^^^^^^^^^^^^^^^^^^ string.regexp.quoted.double.vcl
#                ^ keyword.control.anchor.regexp.vcl
#                      ^ punctuation.definition.group.regexp.vcl
#                        ^^^^^ constant.other.character-class.set.regexp.vcl
#                             ^^^ string.regexp.quoted.double.vcl
#                             ^ keyword.operator.quantifier.regexp.vcl
#                                ^ keyword.control.anchor.regexp.vcl
#                                  ^^^ - string
    set req.http.A = "1";
#                    ^^^ string.quoted.double.vcl - string.regexp
  }
  if (req.http.User-Agent !~ "(?i)bot|crawler") {
#                         ^^ keyword.operator.match.vcl
#                            ^^^^^^^^^^^^^^^^^ string.regexp.quoted.double.vcl
#                                    ^ keyword.operator.or.regexp.vcl
  }
  if (req.url.path ~ {"\.(png|jpe?g)$"}) {
#                    ^^ string.regexp.long.vcl punctuation.definition.string.begin.vcl
#                      ^^ constant.character.escape.regexp.vcl
#                                    ^^ string.regexp.long.vcl punctuation.definition.string.end.vcl
  }
  if (client.ip ~ office) {
#               ^ keyword.operator.match.vcl
#                 ^^^^^^ - string
  }
  set req.url = regsub(req.url, "^/static/(.*)", "/assets/\1");
#               ^^^^^^ support.function.builtin.vcl
#                      ^^^^^^^ variable.language.vcl - string
#                               ^^^^^^^^^^^^^^^ string.regexp.quoted.double.vcl
#                                ^ keyword.control.anchor.regexp.vcl
#                                                ^^^^^^^^^^^^ string.quoted.double.vcl - string.regexp
  set req.url = regsuball(std.tolower(req.url), {"/+"}, "/");
#                                               ^^^^^^ string.regexp.long.vcl
@ "/")| string.quoted.double.vcl - string.regexp
  set req.http.B = regsub(if(req.http.C, "a,b", "c"), "[,;]", "-") "tail";
#                                        ^^^^^ string.quoted.double.vcl - string.regexp
#                                                     ^^^^^^ string.regexp.quoted.double.vcl
#                                                             ^^^ string.quoted.double.vcl - string.regexp
#                                                                  ^^^^^^ string.quoted.double.vcl - string.regexp
  set req.http.D = regsub(req.http.D,
    "multi-line (first|second)", "x");
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.regexp.quoted.double.vcl
#                                ^^^ string.quoted.double.vcl - string.regexp
  set req.http.E = regsuball(
    req.http.E,
#   ^^^^^^^^^^ variable.language.header.vcl - string
    "^a" "b$",
#   ^^^^ string.regexp.quoted.double.vcl
#        ^^^^ string.regexp.quoted.double.vcl
    "c"
#   ^^^ string.quoted.double.vcl - string.regexp
  );
  set req.http.F = "after" + regsub(req.url, "x", "y");
#                  ^^^^^^^ string.quoted.double.vcl - string.regexp
}
