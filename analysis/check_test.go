package analysis

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/internal/vclgen"
)

// memFS is an in-memory FileSystem for include tests.
type memFS map[string]string

func (m memFS) ReadFile(p string) (string, error) {
	if s, ok := m[p]; ok {
		return s, nil
	}
	return "", errors.New("no such file: " + p)
}

func codes(p *Program) []string {
	var out []string
	for _, d := range p.Diagnostics {
		out = append(out, d.Severity.String()+":"+d.Code)
	}
	return out
}

func find(p *Program, code string) *Diagnostic {
	for _, d := range p.Diagnostics {
		if d.Code == code {
			return d
		}
	}
	return nil
}

func TestClusterWarningHasRelatedRead(t *testing.T) {
	src := "sub vcl_miss {\n#FASTLY miss\n  set req.http.X-Route = \"miss\";\n}\nsub vcl_deliver {\n#FASTLY deliver\n  set resp.http.X-Route = req.http.x-route;\n}\n"
	p := ParseFile("t.vcl", src, Options{})
	d := find(p, CodeClusterLost)
	if d == nil || len(d.Related) != 1 {
		t.Fatalf("want one related read, got %+v", d)
	}
	if line := d.Related[0].File.Position(d.Related[0].Range.Start).Line; line != 7 {
		t.Errorf("related read on line %d, want 7", line)
	}
}

func TestIncludes(t *testing.T) {
	fs := memFS{
		"/w/main.vcl":                   "include \"lib\";\nsub vcl_recv {\n#FASTLY recv\n  include \"snippets/recv_auth\";\n  call lib_helper;\n}\n",
		"/w/lib.vcl":                    "sub lib_helper { set req.http.Lib = \"1\"; }\n",
		"/w/inc/snippets/recv_auth.vcl": "if (!req.http.Authorization) { error 401; }\nset beresp.ttl = 1s;\n",
		"/w/loop.vcl":                   "include \"loop2\";\n",
		"/w/loop2.vcl":                  "include \"loop\";\n",
	}
	p, err := Load("/w/main.vcl", Options{FS: fs, IncludePaths: []string{"/w/inc"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Files) != 3 {
		t.Fatalf("loaded %d files", len(p.Files))
	}
	// The snippet included inside vcl_recv is checked in vcl_recv's scope.
	d := find(p, CodeVariableScope)
	if d == nil || !strings.HasSuffix(d.File.Name, "recv_auth.vcl") {
		t.Fatalf("want scope error in the included snippet, got %v", codes(p))
	}
	loop, _ := Load("/w/loop.vcl", Options{FS: fs})
	if d := find(loop, CodeInclude); d == nil || !strings.Contains(d.Message, "include loop: loop.vcl → loop2.vcl → loop.vcl") {
		t.Fatalf("want include loop, got %v", codes(loop))
	}
	missing := ParseFile("/w/x.vcl", "include \"nope\";\n", Options{FS: fs})
	if d := find(missing, CodeInclude); d == nil || !strings.Contains(d.Message, "cannot find") {
		t.Fatalf("want missing include, got %v", codes(missing))
	}
}

func TestSnippetScope(t *testing.T) {
	tests := []struct {
		name, file, src string
		want            []string
	}{
		{"comment hint", "x.vcl", "# vclide: scope=recv\nset beresp.ttl = 1s;\n", []string{"error:variable-scope"}},
		{"file name hint", "homepage_deliver.vcl", "set req.http.X = beresp.http.Y;\n", []string{"error:variable-scope"}},
		{"vcl_ prefix", "vcl_fetch.vcl", "set beresp.ttl = 1s;\n", nil},
		{"no hint: no scope diagnostics", "misc.vcl", "set beresp.ttl = 1s;\nset resp.http.X = \"1\";\n", nil},
		{"configured glob", "snips/a.vcl", "set beresp.ttl = 1s;\n", []string{"error:variable-scope"}},
	}
	opts := Options{SnippetScope: func(p string) (catalog.Sub, bool) {
		if strings.HasPrefix(p, "snips/") {
			return catalog.SubRecv, true
		}
		return 0, false
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ParseFile(tt.file, tt.src, opts)
			if got := codes(p); strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("got %v want %v", got, tt.want)
			}
		})
	}
}

func TestExternalDeclarationsAndSeverity(t *testing.T) {
	src := "sub vcl_recv {\n#FASTLY recv\n  set req.backend = F_ext;\n  if (client.ip ~ office) { }\n  set req.http.X = table.lookup(redirects, req.url);\n  declare local var.unused STRING;\n}\n"
	p := ParseFile("t.vcl", src, Options{
		External: External{Backends: []string{"F_ext"}, ACLs: []string{"office"}, Tables: map[string]catalog.Type{"redirects": catalog.TypeString}},
		Severity: map[string]string{CodeUnusedLocal: "off"},
	})
	if len(p.Diagnostics) != 0 {
		t.Fatalf("want none, got %v", codes(p))
	}
}

func TestScopeFromFileName(t *testing.T) {
	for name, want := range map[string]string{
		"recv.vcl": "recv", "vcl_deliver.vcl": "deliver", "homepage_recv.vcl": "recv", "iso3166_deliver.vcl": "deliver",
		"legacy_redirects_error.vcl": "error", "fetch_cache.vcl": "fetch", "snippet-miss.vcl": "miss", "app_name.vcl": "",
	} {
		s, ok := ScopeFromFileName(name)
		got := ""
		if ok {
			got = s.String()
		}
		if got != want {
			t.Errorf("%s: got %q want %q", name, got, want)
		}
	}
}

// corpusDir is the shared corpus of real-world VCL; tests skip without it.
const corpusDir = "../../shared/corpus"

// knownTrueErrors are corpus diagnostics that are real errors Fastly would
// also reject; each is listed with the reason.
var knownTrueErrors = map[string]string{
	// A unit-test fixture with a placeholder regex: PCRE rejects "(?p".
	"fastly__fastly-magento2/Test/Unit/Model/_files/result.vcl:16:38: regex-syntax": "placeholder pattern (?pattern)?i is not valid PCRE",
}

// TestCorpusNoErrors is the gate: every corpus file falco parses
// (directly or wrapped) has no syntax errors and no error diagnostics. Each
// repository is checked as one workspace, the way `vclide lint DIR` does.
func TestCorpusNoErrors(t *testing.T) {
	manifest, err := os.ReadFile(filepath.Join(corpusDir, "MANIFEST.tsv"))
	if err != nil {
		t.Skip("shared corpus not present")
	}
	byRepo := map[string][]string{}
	for _, line := range strings.Split(string(manifest), "\n")[1:] {
		cols := strings.Split(line, "\t")
		if len(cols) < 8 || (cols[5] != "ok" && cols[5] != "ok-wrapped") {
			continue
		}
		byRepo[cols[0]] = append(byRepo[cols[0]], cols[7])
	}
	counts := map[string]int{}
	files := 0
	for _, rels := range byRepo {
		var parsed []*syntax.File
		for _, rel := range rels {
			src, err := os.ReadFile(filepath.Join(corpusDir, "vcl", rel))
			if err != nil {
				t.Fatal(err)
			}
			parsed = append(parsed, syntax.Parse(rel, string(src)))
		}
		ws := WorkspaceIndex(parsed)
		for _, rel := range rels {
			path := filepath.Join(corpusDir, "vcl", rel)
			p, err := Load(path, Options{IncludePaths: []string{filepath.Dir(path)}, WorkspaceSubs: ws})
			if err != nil {
				t.Fatal(err)
			}
			files++
			for _, d := range p.Diagnostics {
				counts[d.Severity.String()+" "+d.Code]++
				if d.Severity != SeverityError {
					continue
				}
				name, _ := filepath.Rel(filepath.Join(corpusDir, "vcl"), d.File.Name)
				pos := d.File.Position(d.Range.Start)
				key := fmt.Sprintf("%s:%d:%d: %s", name, pos.Line, pos.Col, d.Code)
				if _, ok := knownTrueErrors[key]; !ok {
					t.Errorf("%s", d)
				}
			}
		}
	}
	var keys []string
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%5d %s", counts[k], k)
	}
	t.Logf("%d files", files)
}

// generateVCL writes a realistic file of n subroutines (about 20 lines each).
func generateVCL(n int) string { return vclgen.Helpers(n) }

func BenchmarkParseCheck40k(b *testing.B) {
	src := generateVCL(2000)
	b.SetBytes(int64(len(src)))
	b.ReportMetric(float64(strings.Count(src, "\n")), "lines")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		p := ParseFile("big.vcl", src, Options{})
		if len(p.Diagnostics) > 0 && p.Diagnostics[0].Severity == SeverityError {
			b.Fatal(p.Diagnostics[0])
		}
	}
}

// BenchmarkParseCheck40kColdRegex is BenchmarkParseCheck40k with the PCRE
// check cache emptied before every run (a first check of a new file).
func BenchmarkParseCheck40kColdRegex(b *testing.B) {
	src := generateVCL(2000)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		patternCache.Clear()
		ParseFile("big.vcl", src, Options{})
	}
}

// TestCallRecordsOverload: the checker records the overload a builtin call
// resolves to on the call (the interpreter compiles with it), and none when
// no overload takes that many arguments.
func TestCallRecordsOverload(t *testing.T) {
	src := "sub vcl_recv {\n#FASTLY recv\n  set req.http.A = std.itoa(req.restarts);\n  set req.http.B = std.itoa(\"x\");\n  set req.http.C = std.tolower(req.url, 1);\n}\n"
	p := ParseFile("t.vcl", src, Options{})
	itoa, _ := catalog.LookupFunction("std.itoa")
	var calls []*syntax.CallExpr
	syntax.Inspect(p.Root, func(n syntax.Node) bool {
		if c, ok := n.(*syntax.CallExpr); ok {
			calls = append(calls, c)
		}
		return true
	})
	if len(calls) != 3 {
		t.Fatalf("found %d calls", len(calls))
	}
	sigs := make([]*catalog.Signature, len(calls))
	for i, call := range calls {
		fn, sig := p.CallOf(call)
		if f, ok := fn.(*catalog.Function); !ok || f.Name != call.Fn.Name {
			t.Errorf("call %d: CallOf fn = %v, want the catalogue's %s", i, fn, call.Fn.Name)
		}
		sigs[i] = sig
	}
	if sigs[0] != &itoa.Overloads[0] {
		t.Errorf("std.itoa(INTEGER): Sig = %v, want the catalogue's overload", sigs[0])
	}
	if sigs[1] != &itoa.Overloads[0] {
		t.Errorf("std.itoa(STRING), an argument-type error: Sig = %v, want the overload taking one argument", sigs[1])
	}
	if sigs[2] != nil {
		t.Errorf("std.tolower with 2 arguments: Sig = %v, want nil", sigs[2])
	}
}
