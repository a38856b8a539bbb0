sub vcl_recv {
/* # WARNING misplaced-fastly-macro "#FASTLY recv" */ #FASTLY deliver
}
