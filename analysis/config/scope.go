package config

import (
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// SnippetScope returns the subroutine (short form, "recv") that the
// snippet file at relPath belongs to, from the first snippets rule whose
// glob matches. relPath is relative to the configuration file's directory;
// an absolute path inside that directory is accepted too.
func (c *Config) SnippetScope(relPath string) (sub string, ok bool) {
	p := relPath
	if filepath.IsAbs(p) && c.File != "" {
		rel, err := filepath.Rel(c.Dir(), p)
		if err != nil {
			return "", false
		}
		p = rel
	}
	p = strings.TrimPrefix(path.Clean(filepath.ToSlash(p)), "./")
	for _, r := range c.Snippets {
		if matchGlob(r.Glob, p) {
			return r.Sub, true
		}
	}
	return "", false
}

// IsTest reports whether the file at p (relative to the configuration
// file's directory, or absolute inside it) matches one of the tests globs.
func (c *Config) IsTest(p string) bool {
	if len(c.Tests) == 0 {
		return false
	}
	if filepath.IsAbs(p) && c.File != "" {
		rel, err := filepath.Rel(c.Dir(), p)
		if err != nil {
			return false
		}
		p = rel
	}
	p = strings.TrimPrefix(path.Clean(filepath.ToSlash(p)), "./")
	for _, g := range c.Tests {
		if matchGlob(g, p) {
			return true
		}
	}
	return false
}

// matchGlob matches a slash-separated path against a pattern in which a
// "**" element matches any number of elements (including none) and the
// other elements follow path.Match.
func matchGlob(pattern, name string) bool {
	pat := strings.Split(strings.TrimPrefix(path.Clean(pattern), "./"), "/")
	parts := strings.Split(name, "/")
	// ok[j] reports whether pat[i:] matches parts[j:], filled from the end.
	ok := make([]bool, len(parts)+1)
	ok[len(parts)] = true
	for i := len(pat) - 1; i >= 0; i-- {
		next := make([]bool, len(parts)+1)
		if pat[i] == "**" {
			for j := len(parts); j >= 0; j-- {
				next[j] = ok[j] || (j < len(parts) && next[j+1])
			}
		} else {
			for j := 0; j < len(parts); j++ {
				if m, err := path.Match(pat[i], parts[j]); err == nil && m {
					next[j] = ok[j+1]
				}
			}
		}
		ok = next
	}
	return ok[0]
}

// ScopeFromFileName guesses the subroutine of a snippet file from its
// name, returning it in short form. It understands names such as
// recv.vcl, vcl_error.vcl, homepage_recv.vcl, snippet-recv.vcl,
// fetch_headers.vcl and legacy_redirects_error.vcl: the name (without
// .vcl, split at "_", "-" and ".") must end with a subroutine name or
// start with one (after an optional "vcl"). When the start and the end
// name different subroutines, as in fetch_deliver.vcl, the name says
// nothing. Only .vcl files are considered.
func ScopeFromFileName(name string) (sub string, ok bool) {
	base := strings.ToLower(filepath.Base(filepath.FromSlash(name)))
	stem, isVCL := strings.CutSuffix(base, ".vcl")
	if !isVCL || stem == "" {
		return "", false
	}
	words := strings.FieldsFunc(stem, func(r rune) bool { return r == '_' || r == '-' || r == '.' })
	if len(words) == 0 {
		return "", false
	}
	last, lastOK := parseSub(words[len(words)-1])
	first := words
	if first[0] == "vcl" && len(first) > 1 {
		first = first[1:]
	}
	head, headOK := parseSub(first[0])
	switch {
	case lastOK && headOK && last != head:
		return "", false
	case lastOK:
		return last, true
	case headOK:
		return head, true
	}
	return "", false
}

var scopeDirective = regexp.MustCompile(`(?i)(?:^|[\s,])scope\s*=\s*([a-z_]+)\b`)

// ScopeFromComment reads a scope directive from a comment line such as
// "# vclide: scope=recv", "// vclide: scope=vcl_recv" or
// "/* vclide: scope=deliver */", returning the subroutine in short form.
func ScopeFromComment(line string) (sub string, ok bool) {
	s := strings.TrimSpace(line)
	switch {
	case strings.HasPrefix(s, "#"):
		s = s[1:]
	case strings.HasPrefix(s, "//"):
		s = s[2:]
	case strings.HasPrefix(s, "/*"):
		s = strings.TrimSuffix(s[2:], "*/")
	default:
		return "", false
	}
	s = strings.TrimSpace(s)
	if len(s) < 7 || !strings.EqualFold(s[:7], "vclide:") {
		return "", false
	}
	if m := scopeDirective.FindStringSubmatch(s[7:]); m != nil {
		return parseSub(strings.ToLower(m[1]))
	}
	return "", false
}
