acl internal { "10.0.0.0"/8; }
sub vcl_recv {
#FASTLY recv
  if (client.ip ~ internal) { return(pass); }
}
