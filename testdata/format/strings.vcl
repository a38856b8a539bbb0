sub vcl_error {
  if (obj.status == 900) {
    set obj.http.Content-Type = "text/html; charset=utf-8";
    synthetic {"<!DOCTYPE html>
<html>
  <head><title>Maintenance</title></head>
	<body>   tabs and   spaces kept   </body>
</html>
"};
    return(deliver);
  }
  if (obj.status == 901) {
    synthetic {xyz"A "quoted" }"body"} with a delimiter"xyz};
    return(deliver);
  }
  set obj.http.A = "percent %22 escapes %u00e9 kept";
  set obj.http.B = {""};
  set obj.http.C = "";
  set obj.http.D = "a"req.http.X"b";
  set obj.ttl = 1.5h;
  set obj.ttl = 100ms;
  set var.f = 0.25;
  set var.f = 1e3;
  set var.i = 0x1F;
  set var.ip = 192.0.2.1;
  set obj.http.E = {"multi
line"} " plain " {"another"};
}
