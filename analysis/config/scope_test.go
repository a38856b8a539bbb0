package config

import (
	"path/filepath"
	"testing"
)

func TestSnippetScope(t *testing.T) {
	cfg, err := Parse(filepath.FromSlash("/ws/.vclide.yaml"), []byte(`
snippets:
  "snippets/*_recv.vcl": recv
  "**/deliver/*.vcl": vcl_deliver
  "edge/**/fetch-*.vcl": fetch
  "logging.vcl": log
  "snippets/*.vcl": vcl_miss
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		sub  string
		ok   bool
	}{
		{"snippets/homepage_recv.vcl", "recv", true},
		{"./snippets/a_recv.vcl", "recv", true},
		{"snippets/sub/a_recv.vcl", "", false},
		{"deliver/x.vcl", "deliver", true},
		{"a/b/deliver/x.vcl", "deliver", true},
		{"a/deliver/b/x.vcl", "", false},
		{"edge/fetch-a.vcl", "fetch", true},
		{"edge/x/y/fetch-a.vcl", "fetch", true},
		{"edge/x/y/other.vcl", "", false},
		{"logging.vcl", "log", true},
		{"sub/logging.vcl", "", false},
		// The first matching rule wins.
		{"snippets/other.vcl", "miss", true},
		{filepath.FromSlash("/ws/snippets/abs_recv.vcl"), "recv", true},
		{filepath.FromSlash("/elsewhere/logging.vcl"), "", false},
		{"main.vcl", "", false},
	}
	for _, tc := range tests {
		sub, ok := cfg.SnippetScope(tc.path)
		if sub != tc.sub || ok != tc.ok {
			t.Errorf("SnippetScope(%q) = %q, %v; want %q, %v", tc.path, sub, ok, tc.sub, tc.ok)
		}
	}
}

func TestMatchGlob(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"**", "a/b/c.vcl", true},
		{"**/*.vcl", "c.vcl", true},
		{"**/*.vcl", "a/b/c.vcl", true},
		{"a/**", "a/b/c", true},
		{"a/**/c", "a/c", true},
		{"a/**/c", "a/x/y/c", true},
		{"a/**/c", "a/x/y/d", false},
		{"**/b/**", "a/b/c", true},
		{"*.vcl", "a/b.vcl", false},
		{"a?c.vcl", "abc.vcl", true},
		{"[ab].vcl", "b.vcl", true},
	}
	for _, tc := range tests {
		if got := matchGlob(tc.pattern, tc.name); got != tc.want {
			t.Errorf("matchGlob(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}

func TestScopeFromFileName(t *testing.T) {
	tests := []struct {
		name string
		sub  string
		ok   bool
	}{
		{"recv.vcl", "recv", true},
		{"deliver.vcl", "deliver", true},
		{"vcl_error.vcl", "error", true},
		{"vcl_recv.vcl", "recv", true},
		{"snippet-recv.vcl", "recv", true},
		{"homepage_recv.vcl", "recv", true},
		{"iso3166_deliver.vcl", "deliver", true},
		{"legacy_redirects_error.vcl", "error", true},
		{"geo_fetch.vcl", "fetch", true},
		{"fetch_headers.vcl", "fetch", true},
		{"hash_keys.vcl", "hash", true},
		{"dir/sub/Miss.VCL", "miss", true},
		{"snippets/pass.vcl", "pass", true},
		{"log.vcl", "log", true},
		// Nothing to go on, or contradicting hints.
		{"main.vcl", "", false},
		{"bypass.vcl", "", false},
		{"my_hash_table.vcl", "", false},
		{"fetch_deliver.vcl", "", false},
		{"recv.txt", "", false},
		{"recv", "", false},
		{".vcl", "", false},
		{"vcl.vcl", "", false},
	}
	for _, tc := range tests {
		sub, ok := ScopeFromFileName(tc.name)
		if sub != tc.sub || ok != tc.ok {
			t.Errorf("ScopeFromFileName(%q) = %q, %v; want %q, %v", tc.name, sub, ok, tc.sub, tc.ok)
		}
	}
}

func TestScopeFromComment(t *testing.T) {
	tests := []struct {
		line string
		sub  string
		ok   bool
	}{
		{"# vclide: scope=recv", "recv", true},
		{"#vclide:scope=vcl_recv", "recv", true},
		{"   // vclide: scope=deliver", "deliver", true},
		{"/* vclide: scope=vcl_fetch */", "fetch", true},
		{"# VCLide: Scope = ERROR", "error", true},
		{"# vclide: other=1, scope=log", "log", true},
		{"# vclide: scope=receive", "", false},
		{"# vclide: scope=recv2", "", false},
		{"# vclide: noscope=recv", "", false},
		{"# scope=recv", "", false},
		{"set req.http.X = \"vclide: scope=recv\";", "", false},
		{"", "", false},
	}
	for _, tc := range tests {
		sub, ok := ScopeFromComment(tc.line)
		if sub != tc.sub || ok != tc.ok {
			t.Errorf("ScopeFromComment(%q) = %q, %v; want %q, %v", tc.line, sub, ok, tc.sub, tc.ok)
		}
	}
}
