package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/vclide/vclide/analysis"
)

// printDiagnostics prints diagnostics the way `vclide lint` does.
func printDiagnostics(w io.Writer, diags []*analysis.Diagnostic) {
	for _, d := range diags {
		fmt.Fprintln(w, d.String())
		for _, r := range d.Related {
			pos := r.File.Position(r.Range.Start)
			fmt.Fprintf(w, "\t%s:%d:%d: %s\n", r.File.Name, pos.Line, pos.Col, r.Message)
		}
	}
}

// runWorkspace opens the workspace of the entry file that run and serve
// execute: its .vclide.yaml, the entry's directory for sibling files, and
// the include paths (scenario's, then -I, then configured), and the
// Terraform services of the entry's directory (or of terraformPlan).
func runWorkspace(entry string, includes []string, terraformPlan string) (*analysis.Workspace, error) {
	return analysis.OpenWorkspace(analysis.WorkspaceSpec{
		Start:         entry,
		Dirs:          []string{filepath.Dir(entry)},
		IncludePaths:  includes,
		TerraformPlan: terraformPlan,
	})
}
