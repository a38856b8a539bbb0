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

func TestCheckDiagnostics(t *testing.T) {
	const recv = "sub vcl_recv {\n#FASTLY recv\n"
	tests := []struct {
		name string
		src  string
		want []string // severity:code, in order; nil means no diagnostics
		msg  string   // substring of the first diagnostic's message
	}{
		{"clean boilerplate", recv + "  set req.http.X = \"1\";\n  return(lookup);\n}\n", nil, ""},
		{"variable not settable here", recv + "  set beresp.ttl = 10s;\n}\n", []string{"error:variable-scope"}, "beresp.ttl cannot be set in vcl_recv; it can be set in vcl_fetch"},
		{"variable not readable here", "sub vcl_recv {\n#FASTLY recv\n  if (beresp.status == 200) { }\n}\n", []string{"error:variable-scope"}, "cannot be read in vcl_recv"},
		{"read-only variable", recv + "  set client.ip = \"1.2.3.4\";\n}\n", []string{"error:read-only"}, "read-only"},
		{"unknown variable with suggestion", recv + "  set req.http.X = req.ulr;\n}\n", []string{"error:unknown-variable"}, "did you mean req.url?"},
		{"unknown function with suggestion", recv + "  set req.http.X = std.tolowr(req.url);\n}\n", []string{"error:unknown-function"}, "did you mean std.tolower?"},
		{"wrong argument count", recv + "  set req.http.X = std.tolower(req.url, 1);\n}\n", []string{"error:argument-count"}, "does not take 2 arguments"},
		{"wrong argument type", recv + "  set req.http.X = std.itoa(\"x\");\n}\n", []string{"error:argument-type"}, "must be INTEGER"},
		{"invalid return action", recv + "  return(deliver);\n}\n", []string{"error:invalid-return"}, "valid here: "},
		{"valid returns", "sub vcl_fetch {\n#FASTLY fetch\n if (beresp.status >= 500) { return(deliver_stale); }\n return(deliver);\n}\n", nil, ""},
		{"duplicate local", recv + "  declare local var.a STRING;\n  declare local var.a INTEGER;\n  set var.a = \"x\";\n}\n", []string{"error:duplicate-declaration"}, "already declared"},
		{"undeclared local", recv + "  set var.nope = \"1\";\n}\n", []string{"error:undeclared-local"}, "declare local var.nope"},
		{"unused local", recv + "  declare local var.a STRING;\n}\n", []string{"hint:unused-local"}, "never used"},
		{"missing macro", "sub vcl_deliver {\n  set resp.http.X = \"1\";\n}\n", []string{"warning:missing-fastly-macro"}, "#FASTLY deliver"},
		{"unreachable", recv + "  return(pass);\n  set req.http.X = \"1\";\n}\n", []string{"hint:unreachable-code"}, "unreachable"},
		{"recursion", recv + "  call a;\n}\nsub a { call b; }\nsub b { call a; }\n", []string{"error:recursion"}, "a → b → a"},
		{"unused sub", recv + "}\nsub helper { }\n", []string{"hint:unused-subroutine"}, "never called"},
		{"undefined backend warns", recv + "  set req.backend = F_missing;\n}\n", []string{"warning:undefined-backend"}, ".vclide.yaml"},
		{"declared backend", "backend F_x { .host = \"example.com\"; }\n" + recv + "  set req.backend = F_x;\n}\n", nil, ""},
		{"director members resolve backends", "backend F_a { .host = \"a\"; }\ndirector d random { { .backend = F_a; .weight = 1; } { .backend = F_gone; .weight = 1; } }\n" + recv + "  set req.backend = d;\n}\n", []string{"warning:undefined-backend"}, "backend F_gone"},
		{"acl match", "acl internal { \"10.0.0.0\"/8; }\n" + recv + "  if (client.ip ~ internal) { return(pass); }\n}\n", nil, ""},
		{"undefined acl warns", recv + "  if (client.ip ~ office) { return(pass); }\n}\n", []string{"warning:undefined-acl"}, "ACL office"},
		{"regex syntax error", recv + "  if (req.url ~ \"^/(a\") { }\n}\n", []string{"error:regex-syntax"}, "invalid regular expression"},
		{"pcre look-ahead accepted", recv + "  if (req.url ~ \"^/(?!admin)\" && req.url ~ \"(a)\\\\1\") { }\n}\n", nil, ""},
		{"implicit conversions into headers", recv + "  set req.http.A = req.restarts;\n  set req.http.B = now;\n  set req.http.C = client.ip;\n  set req.http.D = req.is_ssl;\n  set req.http.E = 10s;\n  if (req.http.Cookie) { }\n}\n", nil, ""},
		{"type mismatch", recv + "  declare local var.b BOOL;\n  set var.b = \"yes\";\n}\n", []string{"error:type-mismatch"}, "cannot assign a STRING"},
		{"custom sub scope from callers", recv + "  call helper;\n}\nsub vcl_deliver {\n#FASTLY deliver\n  call helper;\n}\nsub helper {\n  set resp.http.X = \"1\";\n}\n", []string{"error:variable-scope"}, "helper is called from there"},
		{"synthetic outside error", recv + "  synthetic \"x\";\n}\n", []string{"error:variable-scope"}, "synthetic is not allowed in vcl_recv"},
		{"goto unknown label", recv + "  goto nowhere;\n}\n", []string{"error:unknown-label"}, "no label nowhere"},
		{"goto and label", recv + "  goto done;\n  set req.http.X = \"1\";\n  done:\n  set req.http.Y = \"2\";\n}\n", []string{"hint:unreachable-code"}, ""},
		{"typed sub", "sub is_api BOOL {\n  if (req.url ~ \"^/api\") { return true; }\n  return false;\n}\n" + recv + "  if (is_api()) { return(pass); }\n}\n", nil, ""},
		{"sub with params", "sub join(STRING var.a, STRING var.b) STRING {\n  return var.a + var.b;\n}\n" + recv + "  set req.http.X = join(\"a\", \"b\");\n}\n", nil, ""},
		{"sub param count", "sub join(STRING var.a, STRING var.b) STRING {\n  return var.a + var.b;\n}\n" + recv + "  set req.http.X = join(\"a\");\n}\n", []string{"error:argument-count"}, "takes 2 arguments"},
		{"suppression same line", recv + "  set beresp.ttl = 10s; # vclide:ignore variable-scope\n}\n", nil, ""},
		{"suppression line before", recv + "  # vclide:ignore\n  set beresp.ttl = 10s;\n}\n", nil, ""},
		{"suppression other code does not apply", recv + "  # vclide:ignore unused-local\n  set beresp.ttl = 10s;\n}\n", []string{"error:variable-scope"}, ""},
		{"clustering: req set in miss read in deliver", recv + "}\nsub vcl_miss {\n#FASTLY miss\n  set req.http.X-Route = \"miss\";\n}\nsub vcl_deliver {\n#FASTLY deliver\n  set resp.http.X-Route = req.http.X-Route;\n}\n", []string{"warning:cluster-state-lost"}, "fetch node"},
		{"clustering: read in recv after restart", recv + "  if (req.http.X-Retry) { set req.http.Y = \"1\"; }\n}\nsub vcl_fetch {\n#FASTLY fetch\n  if (beresp.status >= 500) { set req.http.X-Retry = \"1\"; restart; }\n}\n", []string{"warning:cluster-state-lost"}, "lost"},
		{"restart with first-pass backend", "backend F_a { .host = \"a\"; }\nbackend F_b { .host = \"b\"; }\n" + recv + "  if (req.restarts == 0) { set req.backend = F_a; }\n}\nsub vcl_deliver {\n#FASTLY deliver\n  if (resp.status >= 500) { restart; }\n}\n", []string{"warning:restart-backend"}, "only set when req.restarts is 0"},
		{"add only on headers", recv + "  declare local var.s STRING;\n  add var.s = \"x\";\n}\n", []string{"error:invalid-operator"}, "add only works"},
		{"compound on string", recv + "  declare local var.b BOOL;\n  set var.b *= 2;\n}\n", []string{"error:invalid-operator"}, "cannot be used"},
		{"misplaced macro", "sub vcl_recv {\n#FASTLY deliver\n}\n", []string{"warning:misplaced-fastly-macro"}, "#FASTLY recv"},
		{"syntax error surfaces", recv + "  set req.http.X = ;\n}\n", []string{"error:syntax"}, "expected an expression"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ParseFile("t.vcl", tt.src, Options{})
			got := codes(p)
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				for _, d := range p.Diagnostics {
					t.Log(d.String())
				}
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			if tt.msg != "" && !strings.Contains(p.Diagnostics[0].Message, tt.msg) {
				t.Errorf("message %q does not contain %q", p.Diagnostics[0].Message, tt.msg)
			}
		})
	}
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
func generateVCL(n int) string {
	var b strings.Builder
	b.WriteString("backend F_origin { .host = \"example.com\"; .port = \"443\"; }\nacl internal { \"10.0.0.0\"/8; }\ntable redirects { \"/a\": \"/b\", }\n")
	b.WriteString("sub vcl_recv {\n#FASTLY recv\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  call helper_%d;\n", i)
	}
	b.WriteString("  return(lookup);\n}\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `sub helper_%d {
  declare local var.path STRING;
  set var.path = std.tolower(req.url.path);
  if (req.http.X-Feature-%d && var.path ~ "^/section-%d/(?:[a-z]+)$") {
    set req.http.X-Section = "section-" var.path;
    unset req.http.Cookie;
  } else if (client.ip ~ internal) {
    set req.http.X-Internal = "1";
  }
  if (table.lookup(redirects, req.url.path)) {
    error 801 table.lookup(redirects, req.url.path);
  }
  set req.http.X-Count = std.itoa(req.restarts);
  set req.backend = F_origin;
  # a comment line to keep things realistic
  if (req.http.Accept-Encoding ~ "gzip") {
    set req.http.X-Enc = "gzip";
  }
  set req.http.X-Time = strftime({"%%Y-%%m-%%d"}, now);
}
`, i, i, i)
	}
	return b.String()
}

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
