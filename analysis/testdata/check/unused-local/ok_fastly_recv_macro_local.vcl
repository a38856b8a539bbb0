# The local #FASTLY recv declares is Fastly's, not the author's: never
# "declared but never used".
sub vcl_recv {
#FASTLY recv
}
