

sub vcl_recv {

  set req.http.A = "1";



  set req.http.B = "2";
  # comment after B


  # comment before C

  set req.http.C = "3";

}
sub vcl_fetch {
  return(deliver);
}
sub vcl_deliver {
  return(deliver);
}



include "a";
include "b";

include "c";
table t {
  "a": "1",

  "b": "2",
}


