set beresp.ttl = 1s;
