# SYNTAX TEST "source.vcl" "declarations, statements, return actions, types and labels"

pragma optional_param geoip_opt_in true;
# <------ keyword.other.pragma.vcl
#                                  ^^^^ constant.language.boolean.vcl
include "shared.vcl";
# <------- keyword.control.import.include.vcl
#       ^^^^^^^^^^^^ string.quoted.double.vcl
import boltsort;
# <------ keyword.control.import.vcl
#      ^^^^^^^^ entity.name.namespace.vcl

acl office {
# <--- storage.type.acl.vcl
#   ^^^^^^ entity.name.type.acl.vcl
  "192.0.2.0"/24;
#  ^^^^^^^^^ constant.other.ip.vcl
#             ^^ constant.numeric.mask.vcl
  !"192.0.2.13";
# ^ keyword.operator.logical.negation.vcl
}

backend F_origin {
# <------- storage.type.backend.vcl
#       ^^^^^^^^ entity.name.type.backend.vcl
  .host = "origin.example.com";
# ^ punctuation.accessor.vcl
#  ^^^^ variable.other.property.vcl
  .probe = { .request = "HEAD / HTTP/1.1"; .interval = 15s; }
#  ^^^^^ variable.other.property.vcl
#             ^^^^^^^ variable.other.property.vcl
#                                           ^^^^^^^^ variable.other.property.vcl
}

director pool random {
# <-------- storage.type.director.vcl
#        ^^^^ entity.name.type.director.vcl
#             ^^^^^^ support.constant.director-policy.vcl
  { .backend = F_origin; .weight = 1; }
#    ^^^^^^^ variable.other.property.vcl
}

table redirects STRING {
# <----- storage.type.table.vcl
#     ^^^^^^^^^ entity.name.type.table.vcl
#               ^^^^^^ storage.type.primitive.vcl
  "/old": "/new",
}

penaltybox banned {}
# <---------- storage.type.penaltybox.vcl
#          ^^^^^^ entity.name.type.penaltybox.vcl
ratecounter counter {}
# <----------- storage.type.ratecounter.vcl

sub is_api BOOL {
# <--- storage.type.sub.vcl
#   ^^^^^^ entity.name.function.vcl
#          ^^^^ storage.type.primitive.vcl
  return req.url ~ "^/api/";
# ^^^^^^ keyword.control.return.vcl
}

sub vcl_recv {
#   ^^^^^^^^ entity.name.function.vcl
  declare local var.n INTEGER;
# ^^^^^^^ keyword.other.declare.vcl
#         ^^^^^ keyword.other.local.vcl
#                     ^^^^^^^ storage.type.primitive.vcl
  declare local var.addr IP;
#                        ^^ storage.type.primitive.vcl
  set req.http.X-A = "1";
# ^^^ keyword.other.set.vcl
  unset req.http.X-A;
# ^^^^^ keyword.other.unset.vcl
  add resp.http.Set-Cookie = "a=b";
# ^^^ keyword.other.add.vcl
  remove req.http.Cookie;
# ^^^^^^ keyword.other.remove.vcl
  if (req.http.X-B) {
# ^^ keyword.control.conditional.vcl
    call is_api;
#   ^^^^ keyword.control.call.vcl
#        ^^^^^^ entity.name.function.vcl
  } else if (req.http.X-C) {
#   ^^^^ keyword.control.conditional.vcl
#        ^^ keyword.control.conditional.vcl
    restart;
#   ^^^^^^^ keyword.control.flow.vcl
  } elsif (req.http.X-D) {
#   ^^^^^ keyword.control.conditional.vcl
    error 601 "Redirect";
#   ^^^^^ keyword.control.flow.vcl
#         ^^^ constant.numeric.integer.vcl
  } elseif (req.http.X-E) {
#   ^^^^^^ keyword.control.conditional.vcl
    esi;
#   ^^^ keyword.control.flow.vcl
  }
  set req.http.X-F = if(req.http.X-G, "yes", "no");
#                    ^^ support.function.builtin.vcl - keyword
  synthetic {"hello"};
# ^^^^^^^^^ keyword.other.synthetic.vcl
  synthetic.base64 "aGVsbG8=";
# ^^^^^^^^^^^^^^^^ keyword.other.synthetic.vcl
  log "syslog " req.service_id " endpoint :: " req.url;
# ^^^ keyword.other.log.vcl
  goto done;
# ^^^^ keyword.control.goto.vcl
#      ^^^^ entity.name.label.vcl
  set req.http.set = "set";
#     ^^^^^^^^^^^^ variable.language.header.vcl - keyword
done:
# <---- entity.name.label.vcl
#   ^ punctuation.separator.label.vcl
  return(lookup);
# ^^^^^^ keyword.control.return.vcl
#        ^^^^^^ support.constant.action.vcl
  return(pass);
#        ^^^^ support.constant.action.vcl
  return(error);
#        ^^^^^ support.constant.action.vcl
  return(restart);
#        ^^^^^^^ support.constant.action.vcl
  return(deliver);
#        ^^^^^^^ support.constant.action.vcl
  return(deliver_stale);
#        ^^^^^^^^^^^^^ support.constant.action.vcl
  return(fetch);
#        ^^^^^ support.constant.action.vcl
  return(hash);
#        ^^^^ support.constant.action.vcl
  return(upgrade);
#        ^^^^^^^ support.constant.action.vcl
  return(pipe);
#        ^^^^ support.constant.action.vcl
  return(hit_for_pass);
#        ^^^^^^^^^^^^ support.constant.action.vcl
  return ( pass );
#          ^^^^ support.constant.action.vcl
  return pass;
#        ^^^^ support.constant.action.vcl
  return;
# ^^^^^^ keyword.control.return.vcl
}
