sub vcl_fetch {
#FASTLY fetch
 if (beresp.status >= 500) { return(deliver_stale); }
 return(deliver);
}
