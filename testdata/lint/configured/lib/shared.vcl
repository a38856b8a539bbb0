sub shared { set req.http.X-Shared = "1"; }
