# A VCL with errors: `vclide run` must refuse it.
sub vcl_recv {
#FASTLY recv
  set req.http.X-Answer = 6 * ;
  set req.nonexistent = "x";
  return(lookup);
}
