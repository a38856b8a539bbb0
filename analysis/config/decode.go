package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/internal/poserr"
	suggestpkg "github.com/vclide/vclide/internal/suggest"
)

// Error is one problem in a configuration file (line and column 0 when
// unknown).
type Error = poserr.Error

// ErrorList is every problem found in a configuration file, in file order.
type ErrorList = poserr.ErrorList

// decoder walks the YAML tree of one file.
type decoder struct {
	file string
	dir  string
	errs ErrorList
}

// Parse parses the contents of a configuration file. name is used in
// error messages and to resolve relative paths. When the file has
// problems, err is an ErrorList and the returned Config holds the parts
// that were valid.
func Parse(name string, data []byte) (*Config, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		abs = name
	}
	cfg := Default()
	cfg.File = abs
	d := &decoder{file: name, dir: filepath.Dir(abs)}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return cfg, nil
		}
		d.syntaxError(err)
		return cfg, d.errs
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.errorf(&extra, "only one YAML document is allowed in %s", FileName)
	}
	if len(doc.Content) > 0 {
		d.top(deref(doc.Content[0]), cfg)
	}
	if len(d.errs) > 0 {
		sort.SliceStable(d.errs, func(i, j int) bool {
			a, b := d.errs[i], d.errs[j]
			return a.Line < b.Line || (a.Line == b.Line && a.Column < b.Column)
		})
		return cfg, d.errs
	}
	return cfg, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError turns a yaml.v3 parse error into an Error.
func (d *decoder) syntaxError(err error) {
	e := &Error{File: d.file, Msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = "invalid YAML: " + m[2]
	}
	d.errs = append(d.errs, e)
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)})
}

// deref follows YAML aliases.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// isNull reports whether a node is an explicit or implicit null.
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// yamlKeys returns the keys a struct accepts, from its yaml tags, in field
// order.
func yamlKeys(t reflect.Type) []string {
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			keys = append(keys, tag)
		}
	}
	return keys
}

// mapping calls fn for each key of a mapping node, reporting non-string,
// repeated and unknown keys. allowed is nil when any key is accepted.
func (d *decoder) mapping(n *yaml.Node, what string, allowed []string, fn func(key *yaml.Node, value *yaml.Node)) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping, not %s", what, describe(n))
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode || k.Tag == "!!null" || k.Value == "" {
			d.errorf(k, "the keys of %s must be non-empty strings", what)
			continue
		}
		if line, dup := seen[k.Value]; dup {
			d.errorf(k, "key %q is repeated in %s (first at line %d)", k.Value, what, line)
			continue
		}
		seen[k.Value] = k.Line
		if allowed != nil && !contains(allowed, k.Value) {
			msg := fmt.Sprintf("unknown key %q in %s (allowed: %s)", k.Value, what, strings.Join(allowed, ", "))
			if s := suggest(k.Value, allowed); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			d.errorf(k, "%s", msg)
			continue
		}
		fn(k, v)
	}
}

// top decodes the root mapping.
func (d *decoder) top(n *yaml.Node, cfg *Config) {
	if n.Kind != yaml.MappingNode && !isNull(n) {
		d.errorf(n, "%s must be a mapping of settings, not %s", FileName, describe(n))
		return
	}
	d.mapping(n, "the configuration", yamlKeys(reflect.TypeOf(Config{})), func(k, v *yaml.Node) {
		switch k.Value {
		case "include_paths":
			for _, s := range d.strings(v, "include_paths", "directories", "a directory") {
				cfg.IncludePaths = append(cfg.IncludePaths, d.resolve(s))
			}
		case "snippets":
			d.snippets(v, cfg)
		case "main":
			if s, ok := d.str(v, "main", "a VCL file path"); ok {
				cfg.Main = d.resolve(s)
			}
		case "tests":
			if v.Kind == yaml.ScalarNode && !isNull(v) {
				v = &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{v}, Line: v.Line, Column: v.Column}
			}
			for _, g := range d.strings(v, "tests", "path globs", "a path glob") {
				glob := filepath.ToSlash(g)
				if path.IsAbs(glob) {
					d.errorf(v, "tests glob %q must be relative to the directory of %s", g, FileName)
					continue
				}
				if _, err := path.Match(strings.ReplaceAll(glob, "**", "*"), ""); err != nil {
					d.errorf(v, "tests glob %q is malformed (check its [ ] brackets and \\ escapes)", g)
					continue
				}
				cfg.Tests = append(cfg.Tests, glob)
			}
		case "declarations":
			d.declarations(v, &cfg.Declarations)
		case "severity":
			d.severity(v, cfg)
		case "max_file_size":
			d.maxFileSize(v, cfg)
		}
	})
}

// resolve makes a path from the file absolute.
func (d *decoder) resolve(p string) string {
	p = filepath.FromSlash(p)
	if !filepath.IsAbs(p) {
		p = filepath.Join(d.dir, p)
	}
	return filepath.Clean(p)
}

// str decodes a non-empty string scalar.
func (d *decoder) str(n *yaml.Node, what, expect string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" || n.Value == "" {
		d.errorf(n, "%s must be %s (a non-empty string), not %s", what, expect, describe(n))
		return "", false
	}
	return n.Value, true
}

// strings decodes a sequence of non-empty strings; items names them in
// the plural and item in the singular.
func (d *decoder) strings(n *yaml.Node, what, items, item string) []string {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list of %s, such as [a, b], not %s", what, items, describe(n))
		return nil
	}
	var out []string
	for _, it := range n.Content {
		if s, ok := d.str(deref(it), "each entry of "+what, item); ok {
			out = append(out, s)
		}
	}
	return out
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// names decodes a list of VCL object names.
func (d *decoder) names(n *yaml.Node, what string) []string {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, "declarations.%s must be a list of names, such as [a, b], not %s", what, describe(n))
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, it := range n.Content {
		it = deref(it)
		if s, ok := d.name(it, what); ok {
			if seen[s] {
				d.errorf(it, "%q is listed twice in declarations.%s", s, what)
				continue
			}
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// name checks one VCL object name.
func (d *decoder) name(n *yaml.Node, what string) (string, bool) {
	s, ok := d.str(n, "each entry of declarations."+what, "a VCL name")
	if ok && !identifier.MatchString(s) {
		d.errorf(n, "%q is not a valid VCL name in declarations.%s (use letters, digits, _ and -, starting with a letter or _)", s, what)
		return "", false
	}
	return s, ok
}

// declarations decodes the declarations mapping.
func (d *decoder) declarations(n *yaml.Node, decl *Declarations) {
	d.mapping(n, "declarations", yamlKeys(reflect.TypeOf(Declarations{})), func(k, v *yaml.Node) {
		switch k.Value {
		case "backends":
			decl.Backends = d.names(v, k.Value)
		case "acls":
			decl.ACLs = d.names(v, k.Value)
		case "tables":
			d.tables(v, decl)
		case "dictionaries":
			decl.Dictionaries = d.names(v, k.Value)
		case "penaltyboxes":
			decl.PenaltyBoxes = d.names(v, k.Value)
		case "ratecounters":
			decl.RateCounters = d.names(v, k.Value)
		}
	})
}

// tables decodes declarations.tables: a mapping of name to type, or a list
// of names of STRING tables.
func (d *decoder) tables(n *yaml.Node, decl *Declarations) {
	if n.Kind == yaml.SequenceNode {
		for _, s := range d.names(n, "tables") {
			decl.Tables[s] = "STRING"
		}
		return
	}
	if n.Kind != yaml.MappingNode && !isNull(n) {
		d.errorf(n, "declarations.tables must map table names to value types, such as { redirects: STRING }, not %s", describe(n))
		return
	}
	d.mapping(n, "declarations.tables", nil, func(k, v *yaml.Node) {
		name, ok := d.name(k, "tables")
		if !ok {
			return
		}
		if isNull(v) {
			decl.Tables[name] = "STRING"
			return
		}
		t, ok := d.str(v, "the type of table "+name, "a VCL type")
		if !ok {
			return
		}
		if !contains(TableTypes, t) {
			d.errorf(v, "unknown table type %q for %s (allowed: %s)", t, name, strings.Join(TableTypes, ", "))
			return
		}
		decl.Tables[name] = t
	})
}

// snippets decodes the glob → subroutine mapping.
func (d *decoder) snippets(n *yaml.Node, cfg *Config) {
	d.mapping(n, "snippets", nil, func(k, v *yaml.Node) {
		glob := filepath.ToSlash(k.Value)
		if path.IsAbs(glob) || filepath.IsAbs(k.Value) {
			d.errorf(k, "snippet glob %q must be relative to the directory of %s", k.Value, FileName)
			return
		}
		if _, err := path.Match(strings.ReplaceAll(glob, "**", "*"), ""); err != nil {
			d.errorf(k, "snippet glob %q is malformed (check its [ ] brackets and \\ escapes)", k.Value)
			return
		}
		s, ok := d.str(v, "the subroutine of snippet glob "+strconv.Quote(k.Value), "a subroutine name")
		if !ok {
			return
		}
		sub, ok := parseSub(s)
		if !ok {
			d.errorf(v, "unknown subroutine %q for snippet glob %q (allowed: %s, or the same with vcl_ in front)", s, k.Value, strings.Join(subNames(), ", "))
			return
		}
		cfg.Snippets = append(cfg.Snippets, SnippetRule{Glob: glob, Sub: sub, Line: k.Line})
	})
}

// severity decodes the code → level mapping.
func (d *decoder) severity(n *yaml.Node, cfg *Config) {
	d.mapping(n, "severity", nil, func(k, v *yaml.Node) {
		if diagnosticCodes != nil && !contains(diagnosticCodes, k.Value) {
			msg := fmt.Sprintf("unknown diagnostic code %q under severity", k.Value)
			if s := suggest(k.Value, diagnosticCodes); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			} else {
				msg += " (known codes: " + strings.Join(diagnosticCodes, ", ") + ")"
			}
			d.errorf(k, "%s", msg)
			return
		}
		if v.Kind != yaml.ScalarNode || !contains(Severities, v.Value) || (v.Tag != "!!str" && v.Tag != "!!bool") {
			d.errorf(v, "the severity of %q must be one of %s, not %s", k.Value, strings.Join(Severities, ", "), describe(v))
			return
		}
		cfg.SeverityOverrides[k.Value] = v.Value
	})
}

// parseSub accepts "recv" or "vcl_recv" and returns the short form.
func parseSub(s string) (string, bool) {
	for sub := catalog.Sub(0); sub < catalog.NumSubs; sub++ {
		if s == sub.String() || s == sub.VCLName() {
			return sub.String(), true
		}
	}
	return "", false
}

// subNames lists the short subroutine names.
func subNames() []string {
	var out []string
	for sub := catalog.Sub(0); sub < catalog.NumSubs; sub++ {
		out = append(out, sub.String())
	}
	return out
}

// describe names what a node holds, for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.Tag {
	case "!!null":
		return "nothing"
	case "!!str":
		if n.Value == "" {
			return "an empty string"
		}
		return fmt.Sprintf("the string %q", n.Value)
	case "!!int", "!!float":
		return "the number " + n.Value
	case "!!bool":
		return "the boolean " + n.Value
	}
	return fmt.Sprintf("%q", n.Value)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// suggest returns the known key closest to a misspelt one, if any is close.
func suggest(k string, known []string) string { return suggestpkg.Best(k, known) }

// sizeSyntax is a size such as 16MB, 512 KB or 1048576.
var sizeSyntax = regexp.MustCompile(`^(?i)\s*(\d+)\s*(b|kb|k|mb|m|gb|g)?\s*$`)

// maxFileSize decodes max_file_size: a positive number of bytes, or a
// number followed by KB, MB or GB (powers of 1024).
func (d *decoder) maxFileSize(n *yaml.Node, cfg *Config) {
	m := sizeSyntax.FindStringSubmatch(n.Value)
	if n.Kind != yaml.ScalarNode || m == nil {
		d.errorf(n, "max_file_size must be a size in bytes, or with a unit such as 16MB or 512KB, not %s", describe(n))
		return
	}
	v, err := strconv.ParseInt(m[1], 10, 64)
	shift := map[string]uint{"": 0, "b": 0, "k": 10, "kb": 10, "m": 20, "mb": 20, "g": 30, "gb": 30}[strings.ToLower(m[2])]
	if err != nil || v <= 0 || v > (1<<40)>>shift {
		d.errorf(n, "max_file_size must be between 1 byte and 1 TB, not %s", n.Value)
		return
	}
	cfg.MaxFileSize = v << shift
}
