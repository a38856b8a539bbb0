# Custom reason phrases: error with a response text, obj.response in
# vcl_error and resp.response in vcl_deliver all reach the client.
sub vcl_recv {
#FASTLY recv
  if (req.url.path == "/cheers") {
    error 299 "Cheers!";
  }
  if (req.url.path == "/teapot") {
    error 618;
  }
  return(lookup);
}

sub vcl_error {
#FASTLY error
  if (obj.status == 618) {
    set obj.status = 418;
    set obj.response = "Short and stout";
  }
  return(deliver);
}

sub vcl_deliver {
#FASTLY deliver
  if (req.url.path == "/renamed") {
    set resp.response = "Fine, thanks";
  }
  return(deliver);
}
