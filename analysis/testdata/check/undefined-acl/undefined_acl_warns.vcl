sub vcl_recv {
#FASTLY recv
  if (client.ip ~ office) { return(pass); } # WARNING undefined-acl "ACL office"
}
