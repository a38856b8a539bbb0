package terraform

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func readOS(p string) (string, error) {
	b, err := os.ReadFile(p)
	return string(b), err
}

// loadDir loads the .tf files of dir.
func loadDir(t *testing.T, dir string) *Project {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	if len(files) == 0 {
		t.Fatalf("no .tf files in %s", dir)
	}
	return LoadModule(dir, files, readOS)
}

func TestLoadModuleExample(t *testing.T) {
	dir, _ := filepath.Abs("../../examples/terraform")
	p := loadDir(t, dir)
	if len(p.Warnings) > 0 {
		t.Fatalf("warnings: %v", p.Warnings)
	}
	if len(p.Services) != 1 {
		t.Fatalf("services = %d, want 1", len(p.Services))
	}
	s := p.Services[0]
	if s.Address != "fastly_service_vcl.shop" || s.Name != "shop" {
		t.Errorf("service = %s %q", s.Address, s.Name)
	}
	main := s.Main()
	if main == nil || main.Name != "main" || main.Content.File != filepath.Join(dir, "main.vcl") || main.Content.Inline {
		t.Fatalf("main = %+v", main)
	}
	if len(s.VCLs) != 2 || s.VCLs[1].Name != "helpers" || s.VCLs[1].Main {
		t.Errorf("vcls = %+v", s.VCLs)
	}
	var got []string
	for _, sn := range s.SnippetsOfType("recv") {
		got = append(got, sn.Name)
	}
	if strings.Join(got, ",") != "block_internal,route_api" {
		t.Errorf("recv snippets in priority order = %v", got)
	}
	api := s.SnippetsOfType("recv")[1]
	if !api.Content.InPlace || api.Content.Start.Line != 65 || api.Content.Start.Col != 1 || api.Priority != 10 {
		t.Errorf("route_api content = %+v", api.Content)
	}
	tf, _ := readOS(filepath.Join(dir, "main.tf"))
	if tf[api.Content.Start.Offset:api.Content.End.Offset] != api.Content.Text || !strings.HasPrefix(api.Content.Text, `if (req.url.path ~ "^/api/")`) {
		t.Errorf("in-place text = %q", api.Content.Text)
	}
	hdr := s.SnippetsOfType("deliver")
	if len(hdr) != 1 || hdr[0].Priority != DefaultSnippetPriority || hdr[0].Content.File != filepath.Join(dir, "security_headers.vcl") {
		t.Errorf("deliver snippets = %+v", hdr)
	}
	if len(s.Backends) != 2 {
		t.Fatalf("backends = %+v", s.Backends)
	}
	o := s.Backends[0]
	if o.VCLName() != "F_origin" || o.Address != "origin.shop.example.com" || o.Port != 443 || !o.UseSSL || o.Shield != "iad-va-us" || o.Healthcheck != "origin_health" {
		t.Errorf("origin = %+v", o)
	}
	if h := s.HealthcheckNamed("origin_health"); h == nil || h.Path != "/health" || h.Interval != 15000 || !h.Set["expected_response"] || h.Set["window"] {
		t.Errorf("healthcheck = %+v", h)
	}
	if d := s.Dictionaries; len(d) != 1 || !d[0].HasItems || d[0].Items["/sale"] != "/offers" || len(d[0].Items) != 2 {
		t.Errorf("dictionaries = %+v", d)
	}
	if a := s.ACLs; len(a) != 1 || len(a[0].Entries) != 2 || a[0].Entries[0] != (ACLEntry{IP: "10.0.0.0", Subnet: 8}) {
		t.Errorf("acls = %+v", a)
	}
}

func TestVCLBackendName(t *testing.T) {
	for in, want := range map[string]string{"origin": "F_origin", "My Origin-2": "F_My_Origin_2", "a.b": "F_a_b"} {
		if got := VCLBackendName(in); got != want {
			t.Errorf("VCLBackendName(%q) = %q, want %q", in, got, want)
		}
	}
}

// writeModule writes files into a fresh directory.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestStaticEvaluation(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"main.tf": `
variable "env" { default = "prod" }
variable "port" {}
locals {
  b    = "${local.a}-x"
  a    = "be-${var.env}"
}
resource "fastly_service_vcl" "s" {
  name = "svc-${var.env}"
  backend {
    name    = local.b
    address = "10.0.0.1"
    port    = var.port
  }
  vcl {
    name    = "main"
    main    = true
    content = templatefile("${path.module}/main.vcl.tpl", { backend = local.b })
  }
  snippet {
    name    = "q"
    type    = "fetch"
    content = "set beresp.ttl = 10s;"
  }
}
`,
		"terraform.tfvars": `env = "stage"`,
		"main.vcl.tpl":     "# for ${backend}\nsub vcl_recv {\n#FASTLY recv\n}\n",
	})
	p := loadDir(t, dir)
	s := p.Services[0]
	if s.Name != "svc-stage" {
		t.Errorf("name = %q (tfvars overrides the default)", s.Name)
	}
	if s.Backends[0].Name != "be-stage-x" || s.Backends[0].Port != 0 {
		t.Errorf("backend = %+v (locals resolve in any order; var.port has no value and stays unset)", s.Backends[0])
	}
	if m := s.Main(); m == nil || m.Content.Text != "# for be-stage-x\nsub vcl_recv {\n#FASTLY recv\n}\n" || !m.Content.Inline || m.Content.InPlace {
		t.Errorf("templatefile main = %+v", m)
	}
	if sn := s.Snippets[0]; sn.Content.Text != "set beresp.ttl = 10s;" || !sn.Content.Inline || sn.Content.InPlace || sn.Content.Start.Line != 23 {
		t.Errorf("quoted snippet = %+v", sn.Content)
	}
	if len(p.Warnings) != 1 || p.Warnings[0].Line != 13 || !strings.Contains(p.Warnings[0].Message, "port") {
		t.Errorf("warnings = %v, want one for var.port at line 13", p.Warnings)
	}
}

// TestBadInput: each bad input gives a warning at its position and leaves
// the value out; nothing is made up and nothing panics.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name      string
		tf        string
		line, col int
		msg       string
		check     func(t *testing.T, p *Project)
	}{
		{"syntax error", "resource \"fastly_service_vcl\" \"s\" {\n  name = \n}\n", 2, 10, "HCL syntax error",
			func(t *testing.T, p *Project) {
				if len(p.Services) != 0 {
					t.Errorf("a file with a syntax error gave services: %+v", p.Services)
				}
			}},
		{"unclosed heredoc", "resource \"fastly_service_vcl\" \"s\" {\n  snippet {\n    content = <<EOT\nset req.http.a = \"1\";\n}\n", 6, 1, "Unterminated template string", nil},
		{"resource reference", "resource \"fastly_service_vcl\" \"s\" {\n  backend {\n    name = \"b\"\n    address = aws_lb.x.dns_name\n  }\n}\n", 4, 15, "cannot be evaluated statically",
			func(t *testing.T, p *Project) {
				b := p.Services[0].Backends
				if len(b) != 1 || b[0].Address != "" {
					t.Errorf("backend = %+v: the name stays, the address is left out", b)
				}
			}},
		{"unknown function", "resource \"fastly_service_vcl\" \"s\" {\n  dictionary {\n    name = lower(\"D\")\n  }\n}\n", 3, 12, "cannot be evaluated statically",
			func(t *testing.T, p *Project) {
				if len(p.Services[0].Dictionaries) != 0 {
					t.Errorf("dictionary made up: %+v", p.Services[0].Dictionaries)
				}
			}},
		{"variable without value", "variable \"n\" {}\nresource \"fastly_service_vcl\" \"s\" {\n  acl {\n    name = var.n\n  }\n}\n", 4, 12, "cannot be evaluated statically",
			func(t *testing.T, p *Project) {
				if len(p.Services[0].ACLs) != 0 {
					t.Errorf("acl made up: %+v", p.Services[0].ACLs)
				}
			}},
		{"dynamic block", "resource \"fastly_service_vcl\" \"s\" {\n  dynamic \"backend\" {\n    for_each = var.x\n    content {\n      name = backend.value\n    }\n  }\n}\n", 2, 3, "dynamic blocks",
			func(t *testing.T, p *Project) {
				if len(p.Services[0].Backends) != 0 {
					t.Errorf("backends made up: %+v", p.Services[0].Backends)
				}
			}},
		{"bad snippet type", "resource \"fastly_service_vcl\" \"s\" {\n  snippet {\n    name = \"x\"\n    type = \"recieve\"\n    content = \"\"\n  }\n}\n", 4, 12, "type must be one of",
			func(t *testing.T, p *Project) {
				if len(p.Services[0].Snippets) != 0 {
					t.Errorf("snippet kept: %+v", p.Services[0].Snippets)
				}
			}},
		{"snippet content not static", "resource \"fastly_service_vcl\" \"s\" {\n  snippet {\n    name = \"x\"\n    type = \"recv\"\n    content = \"set req.http.a = ${random_id.x.hex};\"\n  }\n}\n", 5, 15, "cannot be evaluated statically", nil},
		{"file not found", "resource \"fastly_service_vcl\" \"s\" {\n  vcl {\n    name = \"main\"\n    main = true\n    content = file(\"missing.vcl\")\n  }\n}\n", 5, 15, "file()",
			func(t *testing.T, p *Project) {
				if p.Services[0].Main() != nil {
					t.Errorf("main made up")
				}
			}},
		{"templatefile with non-static vars", "resource \"fastly_service_vcl\" \"s\" {\n  vcl {\n    name = \"main\"\n    content = templatefile(\"t.tpl\", { a = aws_x.y.z })\n  }\n}\n", 4, 37, "cannot be evaluated statically", nil},
		{"dictionary items not resolvable", "resource \"fastly_service_vcl\" \"s\" {\n  dictionary {\n    name = \"d\"\n  }\n}\nresource \"fastly_service_dictionary_items\" \"i\" {\n  service_id = fastly_service_vcl.s.id\n  dictionary_id = var.id\n  items = { a = \"b\" }\n}\n", 6, 1, "cannot tell statically",
			func(t *testing.T, p *Project) {
				if d := p.Services[0].Dictionaries[0]; d.HasItems {
					t.Errorf("items made up: %+v", d)
				}
			}},
		{"count on the service", "resource \"fastly_service_vcl\" \"s\" {\n  count = 2\n}\n", 2, 11, "count is not evaluated", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeModule(t, map[string]string{"main.tf": tt.tf, "t.tpl": "x"})
			p := loadDir(t, dir)
			var found bool
			for _, w := range p.Warnings {
				if w.Line == tt.line && w.Col == tt.col && strings.Contains(w.Message, tt.msg) && w.File == filepath.Join(dir, "main.tf") {
					found = true
				}
			}
			if !found {
				t.Fatalf("no warning %q at %d:%d; got %v", tt.msg, tt.line, tt.col, p.Warnings)
			}
			if tt.check != nil {
				tt.check(t, p)
			}
		})
	}
}

func TestLoadPlanFixture(t *testing.T) {
	dir, _ := filepath.Abs("../../examples/terraform")
	plan := filepath.Join(dir, "terraform-show.json")
	mainVCL, _ := readOS(filepath.Join(dir, "main.vcl"))
	p, err := LoadPlan(plan, readOS, func(text string) (Content, bool) {
		if text == mainVCL {
			return Content{Text: text, File: filepath.Join(dir, "main.vcl")}, true
		}
		return Content{}, false
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Services) != 1 || len(p.Warnings) != 0 {
		t.Fatalf("services %d, warnings %v", len(p.Services), p.Warnings)
	}
	s := p.Services[0]
	if m := s.Main(); m == nil || m.Content.File != filepath.Join(dir, "main.vcl") || m.Content.Inline {
		t.Errorf("main VCL not matched to main.vcl: %+v", m)
	}
	var types []string
	for _, sn := range s.Snippets {
		types = append(types, sn.Name+":"+sn.Type)
	}
	sort.Strings(types)
	if strings.Join(types, " ") != "block_internal:recv route_api:recv security_headers:deliver" {
		t.Errorf("snippets = %v", types)
	}
	if s.Backends[0].Shield != "iad-va-us" || s.Dictionaries[0].Items["/old-home"] != "/" || len(s.ACLs[0].Entries) != 2 {
		t.Errorf("service = %+v %+v %+v", s.Backends[0], s.Dictionaries[0], s.ACLs[0])
	}
}

func TestLoadPlanBadInput(t *testing.T) {
	dir := writeModule(t, map[string]string{"bad.json": "{\"values\": ", "other.json": "{\"format_version\":\"1.0\"}"})
	for _, name := range []string{"bad.json", "other.json", "missing.json"} {
		if _, err := LoadPlan(filepath.Join(dir, name), readOS, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestDeclarationsVCL(t *testing.T) {
	dir, _ := filepath.Abs("../../examples/terraform")
	s := loadDir(t, dir).Services[0]
	text, skipped := s.DeclarationsVCL()
	for _, want := range []string{
		"backend F_origin {\n  .host = \"origin.shop.example.com\";\n  .port = \"443\";\n  .ssl = true;",
		"  # shield: iad-va-us\n  .probe = {\n    .request = \"HEAD /health HTTP/1.1\" \"Host: origin.shop.example.com\" \"Connection: close\";\n    .expected_response = 200;\n    .interval = 15000ms;\n  }",
		"table redirects {\n  \"/old-home\": \"/\",\n  \"/sale\": \"/offers\",\n}",
		"acl internal {\n  \"10.0.0.0\"/8;\n  \"198.51.100.7\";\n}",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
	if strings.Contains(text, "director") || len(skipped) != 0 {
		t.Errorf("unexpected director or skipped %v", skipped)
	}
}
