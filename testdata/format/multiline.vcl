sub vcl_recv {
  if (req.http.Fastly-SSL &&
      req.url ~ "^/secure/" &&
      !req.http.Authorization) {
    error 401;
  }

  if (req.url ~ "^/help/ab-testing"
    && req.http.User-Agent !~ "^Crawler"
    && req.http.Cookie != "sent") {
    set req.http.X = "1";
  }

  if (
    # first reason
    (req.http.A == "1" && req.http.B == "2") ||
    # second reason
    (req.http.C == "3" &&
       req.http.D == "4") ||
    req.http.E
  ) {
    set req.http.Y = "2";
  } else if (req.http.F ||
             req.http.G) {
    set req.http.Y = "3";
  }

  set req.http.Long = "part one "
                      req.http.Host
                      " part three";

  set req.http.Call = regsuball(req.url,
      "[?&]utm_[^&]*", "");

  set req.http.Args = std.prefixof(
    req.url,
    "/api/"
  );

  set req.http.Header =
    "value on the next line";

  set req.http.Mixed = "a" "b"
    "c" "d";

  if (req.http.A &&    # reason a
      req.http.B &&    # reason b
      req.http.C) {    # reason c
    return(pass);
  }
}
