# A Fastly VCL service managed with Terraform. vclide reads this file:
# `vclide run main.tf` (or main.vcl) runs the service assembled as Fastly
# does, `vclide lint .` knows its backends, dictionaries and ACLs, and the
# language server checks the snippet heredocs in place.

variable "domain" {
  type    = string
  default = "shop.example.com"
}

locals {
  origin_host = "origin.${var.domain}"
  api_host    = "api.example.net"
}

resource "fastly_service_vcl" "shop" {
  name = "shop"

  domain {
    name = var.domain
  }

  backend {
    name              = "origin"
    address           = local.origin_host
    port              = 443
    use_ssl           = true
    ssl_cert_hostname = local.origin_host
    shield            = "iad-va-us"
    healthcheck       = "origin_health"
  }

  backend {
    name             = "api"
    address          = local.api_host
    port             = 443
    use_ssl          = true
    auto_loadbalance = false
  }

  healthcheck {
    name              = "origin_health"
    host              = local.origin_host
    path              = "/health"
    expected_response = 200
    check_interval    = 15000
  }

  vcl {
    name    = "main"
    content = file("${path.module}/main.vcl")
    main    = true
  }

  vcl {
    name    = "helpers"
    content = file("${path.module}/helpers.vcl")
  }

  snippet {
    name     = "route_api"
    type     = "recv"
    priority = 10
    content  = <<EOT
if (req.url.path ~ "^/api/") {
  set req.backend = F_api;
  set req.http.X-Route = "api";
}
EOT
  }

  snippet {
    name     = "block_internal"
    type     = "recv"
    priority = 5
    content  = <<-EOT
      if (req.url.path ~ "^/admin" && !(client.ip ~ internal)) {
        error 403 "Forbidden";
      }
    EOT
  }

  snippet {
    name    = "security_headers"
    type    = "deliver"
    content = file("${path.module}/security_headers.vcl")
  }

  dictionary {
    name = "redirects"
  }

  acl {
    name = "internal"
  }
}

resource "fastly_service_dictionary_items" "redirects" {
  for_each = {
    for d in fastly_service_vcl.shop.dictionary : d.name => d if d.name == "redirects"
  }
  service_id    = fastly_service_vcl.shop.id
  dictionary_id = each.value.dictionary_id
  items = {
    "/old-home" = "/"
    "/sale"     = "/offers"
  }
}

resource "fastly_service_acl_entries" "internal" {
  for_each = {
    for a in fastly_service_vcl.shop.acl : a.name => a if a.name == "internal"
  }
  service_id = fastly_service_vcl.shop.id
  acl_id     = each.value.acl_id
  entry {
    ip     = "10.0.0.0"
    subnet = "8"
  }
  entry {
    ip      = "198.51.100.7"
    comment = "office"
  }
}
