sub shared_recv {
  set req.http.X-Shared = "1";
}
