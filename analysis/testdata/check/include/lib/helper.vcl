sub lib_helper {
  set req.http.Lib = "1";
}
