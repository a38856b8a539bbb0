sub vcl_recv {
#FASTLY recv
  declare local var.a STRING; # HINT unused-local "never used"
}
