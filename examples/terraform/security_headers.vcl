# A deliver snippet (type = "deliver" in main.tf): vclide checks it as the
# body of vcl_deliver.
set resp.http.Strict-Transport-Security = "max-age=31536000";
set resp.http.X-Content-Type-Options = "nosniff";
