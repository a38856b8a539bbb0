set req.http.X-Extra = "1";
set beresp.ttl = 10s;
