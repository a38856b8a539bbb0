# A recv snippet: bare statements, no sub.
if (req.url.path ~ "^/api/") {
set req.backend = F_api;
  return(pass);
}
set req.http.X-Snippet="1";   # trailing


unset req.http.Cookie ;
#FASTLY recv
  #FASTLY recv
