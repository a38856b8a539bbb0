# SYNTAX TEST "source.vcl" "variables, subfields, properties and function calls"

sub vcl_recv {
  set req.http.X-Foo = "1";
#     ^^^^^^^^^^^^^^ variable.language.header.vcl
  set req.http.Cookie:session = "abc";
#     ^^^^^^^^^^^^^^^ variable.language.header.vcl
#                    ^ punctuation.separator.subfield.vcl
#                     ^^^^^^^ variable.other.subfield.vcl - variable.language.header.vcl
  set bereq.http.Cache-Control:max-age = "60";
#     ^^^^^^^^^^^^^^^^^^^^^^^^ variable.language.header.vcl
#                              ^^^^^^^ variable.other.subfield.vcl
  declare local var.name STRING;
#               ^^^^^^^^ variable.other.local.vcl
  set var.name = req.url.path;
#     ^^^^^^^^ variable.other.local.vcl
#                ^^^^^^^^^^^^ variable.language.vcl
  set beresp.ttl = 1h;
#     ^^^^^^^^^^ variable.language.vcl
  set var.name = client.geo.country_code;
#                ^^^^^^^^^^^^^^^^^^^^^^^ variable.language.vcl
  set req.http.X = std.tolower(req.http.Host);
#                  ^^^^^^^^^^^ meta.function-call.vcl support.function.builtin.vcl
#                             ^ meta.function-call.vcl punctuation.section.arguments.begin.vcl
#                              ^^^^^^^^^^^^^ meta.function-call.vcl variable.language.header.vcl
#                                           ^ meta.function-call.vcl punctuation.section.arguments.end.vcl
#                                            ^ - meta.function-call
  set req.http.Y = querystring.filter_except(req.url, "a" + querystring.filtersep() + "b");
#                  ^^^^^^^^^^^^^^^^^^^^^^^^^ support.function.builtin.vcl
#                                                           ^^^^^^^^^^^^^^^^^^^^^ meta.function-call.vcl meta.function-call.vcl support.function.builtin.vcl
  set var.name = my_helper();
#                ^^^^^^^^^ entity.name.function.vcl
  set req.backend = F_origin;
#     ^^^^^^^^^^^ variable.language.vcl
#                   ^^^^^^^^ - variable.language
}

backend F_origin {
  .host = "origin.example.com";
# ^ punctuation.accessor.vcl
#  ^^^^ variable.other.property.vcl
  .first_byte_timeout = 15s;
#  ^^^^^^^^^^^^^^^^^^ variable.other.property.vcl
}
