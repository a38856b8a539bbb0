import boltsort;
include "shared";
include "other.vcl" ;
pragma optional_param geoip_opt_in true;
backend F_origin {.host="origin.example.com";.port="443";.ssl=true;.connect_timeout=1s;.first_byte_timeout = 15s;
.probe={.request="HEAD / HTTP/1.1" "Host: origin.example.com" "Connection: close";.threshold=1;.window=5;.timeout=2s;.expected_response=200;.interval=60s;};}
backend F_empty {}
director my_director random { .quorum=50%; .retries = 3;
  { .backend=F_origin; .weight=2; }
  {.backend = F_other;
   .weight = 1;}
}
director F_fallback fallback { { .backend = F_origin; } { .backend = F_other; } }
acl internal { "192.0.2.0"/24; ! "192.0.2.12" ; "2001:db8::"/32;"localhost";}
table redirects { "/old":"/new","/a" : "/b"}
table flags BOOL { "x": true, "y": false, }
table ttls RTIME { "short": 10s, "long": 1d }
table nums INTEGER { "a": 1, "b": -2 }
table backends BACKEND { "a": F_origin }
table empty {}
penaltybox banned_users {}
ratecounter requests_rate { }
sub add_one(INTEGER var.n) INTEGER { return(var.n + 1); }
sub greet(STRING var.who, BOOL var.loud) STRING {
  if(var.loud){return(std.toupper("hello " var.who));}
  return("hello " var.who);
}
sub vcl_recv{
declare local var.s STRING;declare local var.n INTEGER = 5;
  declare local var.ip IP = "192.0.2.1";
set req.http.X-A="a";add req.http.Set-Cookie="b=1";set var.n+=1;set var.n -= 2;set var.n*=3;set var.n/=2;set var.n%=7;
set var.n|=1;set var.n&=3;set var.n^=2;set var.n<<=1;set var.n>>=1;set var.n rol= 2;set var.n ror= 1;
set req.http.B = if(req.is_ssl,"https","http");
set var.s = "x" + "y";
unset req.http.Cookie;remove req.http.X-Drop;
if(req.http.A){call add_header;}elsif(req.http.B){call add_header;}elseif(req.http.C){esi;}else if(req.http.D){restart;}else{log "none";}
  call greet("you", true);
  h3.alt_svc();
  std.collect(req.http.Cookie);
  synthetic {"<html>ok</html>"};
  synthetic.base64 "SGVsbG8=";
  error 404 "Not found";
  error 503;
  error;
  goto done;
  include "inline.vcl";
  {
    set req.http.Nested = "1";
  }
  done:
  set var.n = -1;
  set var.n = !var.b;
  set req.http.D = (var.n * 2) - (var.n / 3) % 4;
  if (!(req.http.X == "a" || req.http.Y != "b") && var.n >= 1 && var.n <= 9 && var.n < 10 && var.n > 0 && client.ip ~ internal && req.url !~ "^/x") {
    return (pass);
  }
  return lookup;
}
sub vcl_deliver { return; }
