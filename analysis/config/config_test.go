package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestLoadExample(t *testing.T) {
	path := filepath.Join("testdata", "example.vclide.yaml")
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := filepath.Abs("testdata")
	if cfg.File != filepath.Join(dir, "example.vclide.yaml") || cfg.Dir() != dir {
		t.Errorf("File = %q, Dir = %q", cfg.File, cfg.Dir())
	}
	wantIncludes := []string{filepath.Join(dir, "vcl", "includes"), filepath.Join(dir, "shared")}
	if !reflect.DeepEqual(cfg.IncludePaths, wantIncludes) {
		t.Errorf("IncludePaths = %q, want %q", cfg.IncludePaths, wantIncludes)
	}
	wantSnippets := []SnippetRule{{"snippets/*_recv.vcl", "recv", 4}, {"**/deliver/*.vcl", "deliver", 5}}
	if !reflect.DeepEqual(cfg.Snippets, wantSnippets) {
		t.Errorf("Snippets = %+v, want %+v", cfg.Snippets, wantSnippets)
	}
	if cfg.Main != filepath.Join(dir, "main.vcl") {
		t.Errorf("Main = %q", cfg.Main)
	}
	wantDecl := Declarations{
		Backends:     []string{"F_origin", "F_api"},
		ACLs:         []string{"internal_ips"},
		Tables:       map[string]string{"redirects": "STRING", "ttl_by_path": "RTIME"},
		Dictionaries: []string{"config"},
		PenaltyBoxes: []string{"pb"},
		RateCounters: []string{"rc"},
	}
	if !reflect.DeepEqual(cfg.Declarations, wantDecl) {
		t.Errorf("Declarations = %+v, want %+v", cfg.Declarations, wantDecl)
	}
	for code, want := range map[string]string{"unused-local": "off", "missing-fastly-macro": "error"} {
		if got, ok := cfg.Severity(code); !ok || got != want {
			t.Errorf("Severity(%q) = %q, %v; want %q", code, got, ok, want)
		}
	}
	if _, ok := cfg.Severity("something-else"); ok {
		t.Error("Severity reports an override that is not configured")
	}
}

func TestParseGood(t *testing.T) {
	tests := []struct {
		name  string
		yaml  string
		check func(t *testing.T, c *Config)
	}{
		{"empty file", "", func(t *testing.T, c *Config) {
			if len(c.IncludePaths)+len(c.Snippets)+len(c.SeverityOverrides) != 0 || c.Main != "" {
				t.Errorf("empty file gave %+v", c)
			}
		}},
		{"only comments", "# nothing yet\n", func(t *testing.T, c *Config) {
			if c.Main != "" {
				t.Errorf("Main = %q", c.Main)
			}
		}},
		{"empty sections", "include_paths:\nsnippets:\ndeclarations:\nseverity:\n", func(t *testing.T, c *Config) {
			if len(c.IncludePaths) != 0 || len(c.Snippets) != 0 {
				t.Errorf("got %+v", c)
			}
		}},
		{"tables as a list are STRING tables", "declarations:\n  tables: [a, b]\n", func(t *testing.T, c *Config) {
			if !reflect.DeepEqual(c.Declarations.Tables, map[string]string{"a": "STRING", "b": "STRING"}) {
				t.Errorf("Tables = %v", c.Declarations.Tables)
			}
		}},
		{"a table without a type", "declarations:\n  tables:\n    t1:\n    t2: BOOL\n", func(t *testing.T, c *Config) {
			if !reflect.DeepEqual(c.Declarations.Tables, map[string]string{"t1": "STRING", "t2": "BOOL"}) {
				t.Errorf("Tables = %v", c.Declarations.Tables)
			}
		}},
		{"absolute include path", "include_paths: [/opt/vcl]\n", func(t *testing.T, c *Config) {
			if c.IncludePaths[0] != filepath.FromSlash("/opt/vcl") {
				t.Errorf("IncludePaths = %q", c.IncludePaths)
			}
		}},
		{"block lists and aliases", "include_paths:\n  - &inc lib\n  - *inc\n", func(t *testing.T, c *Config) {
			if len(c.IncludePaths) != 2 || c.IncludePaths[0] != c.IncludePaths[1] || filepath.Base(c.IncludePaths[0]) != "lib" {
				t.Errorf("IncludePaths = %q", c.IncludePaths)
			}
		}},
		{"every severity level", "severity: {a: error, b: warning, c: info, d: hint, e: off}\n", func(t *testing.T, c *Config) {
			if len(c.SeverityOverrides) != 5 || c.SeverityOverrides["e"] != "off" {
				t.Errorf("SeverityOverrides = %v", c.SeverityOverrides)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse("/ws/.vclide.yaml", []byte(tc.yaml))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tc.check(t, c)
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want []string // "line:column: substring" for each error, in order
	}{
		{"unknown top-level key", "include_path: [a]\n",
			[]string{`1:1: unknown key "include_path" in the configuration (allowed: include_paths, snippets, main, tests, declarations, severity, max_file_size); did you mean "include_paths"?`}},
		{"unknown declarations key", "declarations:\n  backend: [a]\n",
			[]string{`2:3: unknown key "backend" in declarations (allowed: backends, acls, tables, dictionaries, penaltyboxes, ratecounters)`}},
		{"include_paths not a list", "include_paths: vcl\n",
			[]string{`1:16: include_paths must be a list of directories, such as [a, b], not the string "vcl"`}},
		{"include path not a string", "include_paths:\n  - a\n  - {x: 1}\n",
			[]string{`3:5: each entry of include_paths must be a directory (a non-empty string), not a mapping`}},
		{"main not a string", "main: [a.vcl]\n",
			[]string{`1:7: main must be a VCL file path (a non-empty string), not a list`}},
		{"main is a number", "main: 42\n",
			[]string{`1:7: main must be a VCL file path (a non-empty string), not the number 42`}},
		{"bad severity", "severity:\n  unused-local: loud\n",
			[]string{`2:17: the severity of "unused-local" must be one of error, warning, info, hint, off, not the string "loud"`}},
		{"boolean severity", "severity:\n  unused-local: false\n",
			[]string{`2:17: the severity of "unused-local" must be one of error, warning, info, hint, off, not the boolean false`}},
		{"severity not a mapping", "severity: [a]\n",
			[]string{`1:11: severity must be a mapping, not a list`}},
		{"bad subroutine", "snippets:\n  \"a/*.vcl\": receive\n",
			[]string{`2:14: unknown subroutine "receive" for snippet glob "a/*.vcl" (allowed: recv, hash, hit, miss, pass, fetch, error, deliver, log, or the same with vcl_ in front)`}},
		{"subroutine in capitals", "snippets:\n  x.vcl: RECV\n",
			[]string{`2:10: unknown subroutine "RECV"`}},
		{"malformed glob", "snippets:\n  \"a/[b.vcl\": recv\n",
			[]string{`2:3: snippet glob "a/[b.vcl" is malformed`}},
		{"absolute glob", "snippets:\n  /abs/*.vcl: recv\n",
			[]string{`2:3: snippet glob "/abs/*.vcl" must be relative`}},
		{"bad table type", "declarations:\n  tables: { redirects: STRNG }\n",
			[]string{`2:24: unknown table type "STRNG" for redirects (allowed: STRING, ACL, BACKEND, BOOL, FLOAT, INTEGER, IP, REGEX, RTIME)`}},
		{"lower-case table type", "declarations:\n  tables:\n    t: rtime\n",
			[]string{`3:8: unknown table type "rtime"`}},
		{"bad backend name", "declarations:\n  backends: [F_origin, \"my backend\"]\n",
			[]string{`2:24: "my backend" is not a valid VCL name in declarations.backends`}},
		{"duplicate name", "declarations:\n  acls: [a, b, a]\n",
			[]string{`2:16: "a" is listed twice in declarations.acls`}},
		{"repeated key", "main: a.vcl\nmain: b.vcl\n",
			[]string{`2:1: key "main" is repeated in the configuration (first at line 1)`}},
		{"root not a mapping", "- a\n- b\n",
			[]string{`1:1: .vclide.yaml must be a mapping of settings, not a list`}},
		{"two documents", "main: a.vcl\n---\nmain: b.vcl\n",
			[]string{`2:1: only one YAML document is allowed`}},
		{"YAML syntax error", "main: a.vcl\nsnippets: [\n",
			[]string{`2: invalid YAML: did not find expected node content`}},
		{"tabs for indentation", "declarations:\n\tbackends: [a]\n",
			[]string{`2: invalid YAML: found character that cannot start any token`}},
		{"several errors at once", "main: 1\nsnippets:\n  x.vcl: nope\nseverity:\n  a: never\nextra: true\n",
			[]string{`1:7: main must be`, `3:10: unknown subroutine "nope"`, `5:6: the severity of "a"`, `6:1: unknown key "extra"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("ws/.vclide.yaml", []byte(tc.yaml))
			if cfg == nil {
				t.Fatal("Parse returned a nil Config")
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Parse error = %v (%T), want an ErrorList", err, err)
			}
			if len(list) != len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(list), len(tc.want), err)
			}
			for i, want := range tc.want {
				got := list[i].Error()
				if !strings.HasPrefix(got, "ws/.vclide.yaml:") || !strings.Contains(got, want) {
					t.Errorf("error %d = %q, want it to name the file and contain %q", i, got, want)
				}
			}
		})
	}
}

func TestParseKeepsValidParts(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("main: a.vcl\nseverity:\n  x: loud\n  y: off\n"))
	if err == nil {
		t.Fatal("no error")
	}
	if filepath.Base(cfg.Main) != "a.vcl" || cfg.SeverityOverrides["y"] != "off" || len(cfg.SeverityOverrides) != 1 {
		t.Errorf("valid parts lost: %+v", cfg)
	}
}

func TestFindAndLoad(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, ok := Find(deep); ok {
		// A stray .vclide.yaml above the temporary directory would make
		// this test meaningless; it is not expected.
		t.Skip("a .vclide.yaml exists above the temporary directory")
	}
	cfgPath := filepath.Join(root, "a", FileName)
	if err := os.WriteFile(cfgPath, []byte("include_paths: [inc]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A directory with the same name is not a configuration file.
	if err := os.Mkdir(filepath.Join(deep, FileName), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{deep, filepath.Join(root, "a", "b"), filepath.Join(root, "a")} {
		got, ok := Find(dir)
		if !ok || got != cfgPath {
			t.Errorf("Find(%q) = %q, %v; want %q", dir, got, ok, cfgPath)
		}
	}
	if got, ok := Find(root); ok {
		t.Errorf("Find(%q) = %q, want nothing", root, got)
	}
	cfg, err := Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "a", "inc"); !reflect.DeepEqual(cfg.IncludePaths, []string{want}) {
		t.Errorf("IncludePaths = %q, want [%q]", cfg.IncludePaths, want)
	}
	if _, err := Load(filepath.Join(root, "missing.yaml")); err == nil {
		t.Error("Load of a missing file succeeded")
	}
}

func TestDefault(t *testing.T) {
	c := Default()
	if c.File != "" || c.Dir() != "" || len(c.IncludePaths) != 0 || c.Main != "" {
		t.Errorf("Default() = %+v", c)
	}
	if _, ok := c.Severity("unused-local"); ok {
		t.Error("Default has a severity override")
	}
	if _, ok := c.SnippetScope("recv.vcl"); ok {
		t.Error("Default has snippet rules")
	}
}

// TestUnknownSeverityCode: once the diagnostic codes are registered, a code
// under severity: that does not exist is an error, with the closest code
// suggested; known codes still load.
func TestUnknownSeverityCode(t *testing.T) {
	old := diagnosticCodes
	defer func() { diagnosticCodes = old }()
	SetDiagnosticCodes([]string{"unused-local", "unused-subroutine", "missing-fastly-macro"})
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"misspelt", "severity:\n  unused-locals: off\n", []string{`2:3: unknown diagnostic code "unused-locals" under severity; did you mean "unused-local"?`}},
		{"swapped letters", "severity:\n  missing-fastyl-macro: error\n", []string{`2:3: unknown diagnostic code "missing-fastyl-macro" under severity; did you mean "missing-fastly-macro"?`}},
		{"nothing close", "severity:\n  tabs: off\n", []string{`2:3: unknown diagnostic code "tabs" under severity (known codes: unused-local, unused-subroutine, missing-fastly-macro)`}},
		{"known", "severity:\n  unused-local: off\n", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("ws/.vclide.yaml", []byte(tc.yaml))
			var list ErrorList
			errors.As(err, &list)
			if len(list) != len(tc.want) {
				t.Fatalf("got %v, want %d errors", err, len(tc.want))
			}
			for i, want := range tc.want {
				if got := list[i].Error(); !strings.HasSuffix(got, want) {
					t.Errorf("error %q, want it to end with %q", got, want)
				}
			}
			if tc.want != nil && len(cfg.SeverityOverrides) != 0 {
				t.Errorf("the unknown code was kept: %v", cfg.SeverityOverrides)
			}
		})
	}
}
