package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTerraformExample: the example service lints clean (no
// undefined-backend warnings: the backends come from main.tf) and runs
// assembled as Fastly does, from main.tf, from main.vcl and from the
// `terraform show -json` fixture.
func TestTerraformExample(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "terraform")
	plan := filepath.Join(dir, "terraform-show.json")
	for _, args := range [][]string{{"lint", dir}, {"lint", "--terraform-plan", plan, dir}} {
		var out, errb bytes.Buffer
		code := run(args, &out, &errb)
		if code != 0 || !strings.HasPrefix(out.String(), "0 errors, 0 warnings in 4 files") {
			t.Errorf("%v: exit %d\n%s%s", args, code, out.String(), errb.String())
		}
	}
	for _, entry := range [][]string{
		{filepath.Join(dir, "main.tf")},
		{filepath.Join(dir, "main.vcl")},
		{"--terraform-plan", plan, plan},
		{"--terraform-plan", plan}, // the plan alone names the service
	} {
		t.Run(filepath.Base(entry[len(entry)-1]), func(t *testing.T) {
			args := append([]string{"run"}, entry...)
			args = append(args, "-r", "/api/items", "-r", "/admin", "-r", "/sale", "-r", "/")
			lines, code, stderr := runJSON(t, args...)
			if code != 0 || len(lines) != 4 {
				t.Fatalf("exit %d, %d lines\n%s", code, len(lines), stderr)
			}
			if !strings.Contains(stderr, `terraform: service "shop"`) {
				t.Errorf("stderr lacks the service note: %s", stderr)
			}
			backend := func(l runLine) string {
				if len(l.BackendRequests) == 0 {
					return ""
				}
				return l.BackendRequests[0].Backend
			}
			// route_api (recv heredoc) picks F_api; the default backend is
			// the first of the resource.
			if l := lines[0]; l.Response.Status != 200 || backend(l) != "F_api" {
				t.Errorf("/api/items: %d via %q", l.Response.Status, backend(l))
			}
			// block_internal (priority 5, <<- heredoc) with the ACL's entries.
			if l := lines[1]; l.Response.Status != 403 {
				t.Errorf("/admin: %d, want 403", l.Response.Status)
			}
			// The dictionary's items from fastly_service_dictionary_items.
			if l := lines[2]; l.Response.Status != 301 {
				t.Errorf("/sale: %d, want 301", l.Response.Status)
			}
			if l := lines[3]; l.Response.Status != 200 || backend(l) != "F_origin" {
				t.Errorf("/: %d via %q", l.Response.Status, backend(l))
			}
		})
	}
}

// TestTerraformBadInputLint: lint shows a warning at the position of an
// HCL syntax error and of an expression that is not static, and still
// lints the VCL with .vclide.yaml's declarations.
func TestTerraformBadInputLint(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, ".vclide.yaml"), "declarations:\n  backends: [F_yaml]\n")
	writeFile(t, filepath.Join(dir, "broken.tf"), "resource \"fastly_service_vcl\" \"a\" {\n  name = \n}\n")
	writeFile(t, filepath.Join(dir, "main.tf"), "resource \"fastly_service_vcl\" \"b\" {\n  backend {\n    name = data.x.name\n  }\n  vcl {\n    name = \"main\"\n    main = true\n    content = file(\"main.vcl\")\n  }\n}\n")
	writeFile(t, filepath.Join(dir, "main.vcl"), "sub vcl_recv {\n#FASTLY recv\n  set req.backend = F_yaml;\n}\n")
	var out, errb bytes.Buffer
	code := run([]string{"lint", dir}, &out, &errb)
	got := out.String()
	for _, want := range []string{
		"broken.tf:2:10: warning: HCL syntax error",
		"main.tf:3:12: warning: fastly_service_vcl.b backend name cannot be evaluated statically",
		"0 errors, 2 warnings",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s%s", want, got, errb.String())
		}
	}
	if code != 0 {
		t.Errorf("exit %d", code)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestTerraformVclideTest: vclide test runs the unit tests of a service's
// main VCL against the service assembled as Fastly does (snippets at their
// #FASTLY lines, backends declared, dictionaries filled).
func TestTerraformVclideTest(t *testing.T) {
	src := filepath.Join("..", "..", "examples", "terraform")
	dir := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, e.Name()), string(b))
	}
	writeFile(t, filepath.Join(dir, "main.test.vcl"), `// @scope: recv
sub test_admin_blocked {
  set req.url = "/admin";
  testing.call_subroutine("vcl_recv");
  assert.equal(testing.state, "ERROR");
}

// @scope: recv
sub test_api_routed {
  set req.url = "/api/items";
  testing.call_subroutine("vcl_recv");
  assert.equal(req.backend, F_api);
  assert.equal(req.http.X-Route, "api");
}

// @scope: recv
sub test_redirect_table {
  assert.equal(table.lookup(redirects, "/sale"), "/offers");
}
`)
	var out, errb bytes.Buffer
	code := run([]string{"test", filepath.Join(dir, "main.vcl")}, &out, &errb)
	if code != 0 || !strings.Contains(out.String(), "3 passed, 0 failed") {
		t.Errorf("exit %d\n%s%s", code, out.String(), errb.String())
	}
}

// TestTerraformWarningsAreShown: a --terraform-plan that is not the JSON of
// terraform show is reported by lint even when it lies outside the linted
// paths, and run and lint both print the Terraform warnings (here a .tf
// syntax error beside the entry) instead of running another service silently.
func TestTerraformWarningsAreShown(t *testing.T) {
	plan := filepath.Join(t.TempDir(), "plan.json")
	writeFile(t, plan, "{\"values\": {\n")
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "main.vcl"), "sub vcl_recv {\n#FASTLY recv\n  error 200;\n}\n")
	badPlan := "plan.json:1:1: warning: " + plan + ": not the JSON of terraform show -json"
	for _, args := range [][]string{
		{"lint", "--terraform-plan", plan, dir},
		{"run", "--terraform-plan", plan, filepath.Join(dir, "main.vcl")},
	} {
		var out, errb bytes.Buffer
		run(args, &out, &errb)
		if !strings.Contains(out.String()+errb.String(), badPlan) {
			t.Errorf("%v: no warning %q:\n%s%s", args[:1], badPlan, out.String(), errb.String())
		}
	}
	writeFile(t, filepath.Join(dir, "broken.tf"), "resource \"fastly_service_vcl\" \"a\" {\n  name = \n}\n")
	var out, errb bytes.Buffer
	if code := run([]string{"run", filepath.Join(dir, "main.vcl")}, &out, &errb); code != 0 {
		t.Fatalf("run: exit %d\n%s", code, errb.String())
	}
	if want := "broken.tf:2:10: warning: HCL syntax error"; !strings.Contains(errb.String(), want) {
		t.Errorf("run: stderr lacks %q:\n%s", want, errb.String())
	}
}

// TestTerraformExampleBackendsFromResource: the example's backends come from
// main.tf, so lint has no undefined-backend note at all (not even the info
// that a service backend gets, which the summary line does not count).
func TestTerraformExampleBackendsFromResource(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "terraform")
	for _, args := range [][]string{
		{"lint", "--format", "json", dir},
		{"lint", "--format", "json", "--terraform-plan", filepath.Join(dir, "terraform-show.json"), dir},
	} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 0 || strings.TrimSpace(out.String()) != "[]" {
			t.Errorf("%v: exit %d, want no diagnostics:\n%s%s", args, code, out.String(), errb.String())
		}
	}
}

// TestServeTerraform: serve runs the example service from main.tf and from
// the terraform show JSON alone, with the ACL's entries and the
// dictionary's items.
func TestServeTerraform(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "terraform")
	for _, args := range [][]string{
		{filepath.Join(dir, "main.tf")},
		{"--terraform-plan", filepath.Join(dir, "terraform-show.json")},
	} {
		var log syncBuffer
		base, stop := startServe(t, &log, args...)
		if resp, _ := get(t, "GET", base+"/admin", nil); resp.Status != "403 Forbidden" {
			t.Errorf("%v: GET /admin: %q, want 403 Forbidden", args, resp.Status)
		}
		// The client follows the dictionary's 301 to /offers.
		if resp, _ := get(t, "GET", base+"/sale", nil); resp.Request.URL.Path != "/offers" {
			t.Errorf("%v: GET /sale ended at %s (%s), want the redirect to /offers", args, resp.Request.URL.Path, resp.Status)
		}
		stop()
	}
}
