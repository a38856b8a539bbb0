sub vcl_recv {
#FASTLY recv
  if (req.url ~ "^/(a") { } # ERROR regex-syntax "invalid regular expression"
}
