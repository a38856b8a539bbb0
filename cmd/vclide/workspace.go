package main

import (
	"path/filepath"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/config"
)

// workspaceOptions loads .vclide.yaml (the explicit path, or the first one
// found walking up from the first file's directory) into analysis options.
// No configuration file is not an error.
func workspaceOptions(configPath, firstFile string) (analysis.Options, error) {
	if configPath == "" {
		found, ok := config.Find(filepath.Dir(firstFile))
		if !ok {
			return analysis.Options{}, nil
		}
		configPath = found
	}
	cfg, err := config.Load(configPath)
	if err != nil {
		return analysis.Options{}, err
	}
	return analysis.OptionsFromConfig(cfg), nil
}
