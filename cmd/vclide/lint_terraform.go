package main

import (
	"path/filepath"
	"sort"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/syntax"
)

// lintTerraform lints what the workspace reads from Terraform below the
// linted paths: the warnings about the .tf (or JSON) files, and the VCL
// written inline in them (snippet and vcl heredocs), checked in place with
// the service's declarations. n counts the Terraform files linted.
func lintTerraform(ws *analysis.Workspace, paths []string) (diags []*analysis.Diagnostic, n int) {
	under := func(file string) bool {
		for _, p := range paths {
			rel, err := filepath.Rel(p, file)
			if err == nil && (rel == "." || !filepath.IsAbs(rel) && rel != ".." && !hasDotDot(rel)) {
				return true
			}
		}
		return false
	}
	files := map[string]bool{}
	for _, d := range ws.TerraformDiagnostics(nil) {
		if under(d.File.Name) {
			diags = append(diags, d)
			files[d.File.Name] = true
		}
	}
	sources := ws.TerraformSources(nil)
	names := make([]string, 0, len(sources))
	for name := range sources {
		if under(analysis.SourceFile(name)) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	seen := map[string]bool{}
	for _, name := range names {
		files[analysis.SourceFile(name)] = true
		p := ws.Check(syntax.Parse(name, sources[name]), nil)
		for _, d := range p.Diagnostics {
			if key := d.String(); !seen[key] {
				seen[key] = true
				diags = append(diags, d)
			}
		}
	}
	return diags, len(files)
}

func hasDotDot(rel string) bool {
	return len(rel) >= 3 && rel[:3] == ".."+string(filepath.Separator)
}
