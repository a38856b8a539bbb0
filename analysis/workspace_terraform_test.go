package analysis

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

func exampleTerraform(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../examples/terraform")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func parseAll(t *testing.T, ws *Workspace, paths ...string) []*syntax.File {
	t.Helper()
	var out []*syntax.File
	for _, p := range paths {
		text, err := ws.ReadFile(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, syntax.Parse(p, text))
	}
	return out
}

// TestTerraformLint: the example's files check clean with the service's
// backends, dictionary and ACL, `include "helpers";` resolves to the vcl
// block of that name, and each snippet's scope comes from its type, for a
// snippet file and a heredoc alike.
func TestTerraformLint(t *testing.T) {
	for _, plan := range []string{"", "terraform-show.json"} {
		t.Run("plan="+plan, func(t *testing.T) {
			dir := exampleTerraform(t)
			spec := WorkspaceSpec{Start: dir, Folders: []string{dir}, Restrict: true}
			if plan != "" {
				spec.TerraformPlan = filepath.Join(dir, plan)
			}
			ws, err := OpenWorkspace(spec)
			if err != nil {
				t.Fatal(err)
			}
			files := parseAll(t, ws, filepath.Join(dir, "main.vcl"), filepath.Join(dir, "helpers.vcl"), filepath.Join(dir, "security_headers.vcl"))
			for _, p := range ws.CheckFiles(files, 2) {
				for _, d := range p.Diagnostics {
					// helpers.vcl checked alone: its sub is called from main.vcl.
					if d.Code != CodeUnusedSub {
						t.Errorf("%s", d)
					}
				}
				if p.Root == files[2] {
					if s := p.SnippetSub(p.Root); s == nil || s.Kind != catalog.SubDeliver || !s.Scopes.Has(catalog.SubDeliver) {
						t.Errorf("security_headers.vcl scope = %+v, want deliver from its type", s)
					}
				}
			}
			if d := ws.TerraformDiagnostics(nil); len(d) != 0 {
				t.Errorf("terraform warnings: %v", d)
			}
			if plan != "" {
				return
			}
			srcs := ws.TerraformSources(nil)
			name := filepath.Join(dir, "main.tf") + VirtualMark + "snippet.route_api"
			text, ok := srcs[name]
			if !ok {
				t.Fatalf("no inline source %s in %v", name, srcs)
			}
			p := ws.Check(syntax.Parse(name, text), nil)
			if len(p.Diagnostics) != 0 {
				t.Errorf("heredoc diagnostics: %v", p.Diagnostics)
			}
			if s := p.SnippetSub(p.Root); s == nil || s.Kind != catalog.SubRecv {
				t.Errorf("route_api scope = %+v, want recv from its type", s)
			}
			// The heredoc is where main.tf has it.
			stmt := p.Root.Snippet.Stmts[0]
			if pos := p.Root.Source.Position(stmt.Span().Start); pos.Line != 65 || pos.Col != 1 {
				t.Errorf("first statement at %d:%d, want 65:1", pos.Line, pos.Col)
			}
		})
	}
}

// TestTerraformRunnable: the service is assembled as Fastly does, from the
// .tf file, the main VCL or the plan JSON.
func TestTerraformRunnable(t *testing.T) {
	dir := exampleTerraform(t)
	for _, tc := range []struct{ entry, plan string }{
		{"main.tf", ""}, {"main.vcl", ""}, {"security_headers.vcl", ""}, {"terraform-show.json", "terraform-show.json"},
	} {
		t.Run(tc.entry, func(t *testing.T) {
			spec := WorkspaceSpec{Start: filepath.Join(dir, tc.entry), Folders: []string{dir}}
			if tc.plan != "" {
				spec.TerraformPlan = filepath.Join(dir, tc.plan)
			}
			ws, _ := OpenWorkspace(spec)
			prog, note, err := ws.LoadRunnable(filepath.Join(dir, tc.entry), nil)
			if err != nil {
				t.Fatal(err)
			}
			if b := Blocking(prog); len(b) != 0 {
				t.Fatalf("blocking: %v", b)
			}
			if !strings.Contains(note, `service "shop"`) {
				t.Errorf("note = %q", note)
			}
			for _, name := range []string{"F_origin", "F_api", "redirects", "internal"} {
				if g := prog.Globals[name]; g == nil || g.Decl == nil {
					t.Errorf("%s not declared from the resource: %+v", name, g)
				}
			}
			// Snippets follow #FASTLY recv in priority order.
			var order []string
			for _, st := range prog.Subs["vcl_recv"].Body.Stmts {
				if inc, ok := st.(*syntax.IncludeStmt); ok {
					order = append(order, filepath.Base(inc.Path.Value))
				}
			}
			// From the plan too: its snippet content is mapped back to the
			// heredocs of main.tf beside it.
			want := "main.tf#terraform:snippet.block_internal main.tf#terraform:snippet.route_api"
			if strings.Join(order, " ") != want {
				t.Errorf("recv includes = %v, want %s", order, want)
			}
			if f := prog.FileByName(filepath.Join(dir, "security_headers.vcl")); f == nil {
				t.Errorf("deliver snippet file not in the program")
			}
		})
	}
}

// TestTerraformFallback: a .tf file with a syntax error is reported and
// ignored; the configuration's declarations still apply.
func TestTerraformFallback(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".vclide.yaml", "declarations:\n  backends: [F_yaml]\n")
	write("main.tf", "resource \"fastly_service_vcl\" \"s\" {\n  vcl {\n    name = \"main\"\n    content = file(\"main.vcl\"\n  }\n}\n")
	write("main.vcl", "sub vcl_recv {\n#FASTLY recv\n  set req.backend = F_yaml;\n}\n")
	ws, _ := OpenWorkspace(WorkspaceSpec{Start: dir, Folders: []string{dir}})
	p, err := ws.Load(filepath.Join(dir, "main.vcl"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range p.Diagnostics {
		t.Errorf("%s", d)
	}
	ds := ws.TerraformDiagnostics(nil)
	if len(ds) != 1 || !strings.Contains(ds[0].String(), "main.tf:5:3: warning: HCL syntax error") {
		t.Errorf("terraform diagnostics = %v", ds)
	}
	if _, _, err := ws.LoadRunnable(filepath.Join(dir, "main.vcl"), nil); err != nil {
		t.Errorf("falls back to running main.vcl: %v", err)
	}
}

// TestTerraformFileRules: .tf files and the files file() reads follow the
// workspace's rules: outside a restricted workspace, or not a regular file,
// is a warning and the value is left out.
func TestTerraformFileRules(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "svc")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "outside.vcl"), []byte("sub vcl_recv {\n#FASTLY recv\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tf := "resource \"fastly_service_vcl\" \"s\" {\n  vcl {\n    name = \"main\"\n    main = true\n    content = file(\"../outside.vcl\")\n  }\n  snippet {\n    name = \"dev\"\n    type = \"recv\"\n    content = file(\"pipe.vcl\")\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.vcl"), 0o600); err != nil {
		t.Skipf("no FIFOs: %v", err)
	}
	ws, _ := OpenWorkspace(WorkspaceSpec{Start: dir, Folders: []string{dir}, Restrict: true})
	svcs := ws.TerraformServices(nil)
	if len(svcs) != 1 || len(svcs[0].VCLs) != 0 || len(svcs[0].Snippets) != 0 {
		t.Fatalf("services = %+v: refused files must be left out", svcs)
	}
	var got []string
	for _, d := range ws.TerraformDiagnostics(nil) {
		got = append(got, d.String())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{"main.tf:5:15: warning:", "outside the workspace", "main.tf:10:15: warning:", "not a regular file"} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in\n%s", want, all)
		}
	}
}
