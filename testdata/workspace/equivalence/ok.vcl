include "common";

sub vcl_recv {
#FASTLY recv
  if (client.ip ~ office) {
    set req.http.X-Office = "1";
  }
  call common_sub;
  return(lookup);
}

sub vcl_deliver {
#FASTLY deliver
  set resp.http.X-Common = req.http.X-Common;
  return(deliver);
}
