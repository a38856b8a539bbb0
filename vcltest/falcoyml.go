package vcltest

import (
	"fmt"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// FalcoConfig is the part of falco's .falco.yml that vclide test reads:
// testing.overrides (variable → value). Other keys are ignored.
type FalcoConfig struct {
	File      string
	Overrides map[string]string
}

// FindFalcoConfig looks for .falco.yml (or .falco.yaml) in dir and its
// parents and reads its testing section. No file is not an error (nil).
func FindFalcoConfig(dir string) (*FalcoConfig, error) {
	dir, _ = filepath.Abs(dir)
	for {
		for _, name := range []string{".falco.yml", ".falco.yaml"} {
			p := filepath.Join(dir, name)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return LoadFalcoConfig(p)
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, nil
		}
		dir = parent
	}
}

// LoadFalcoConfig reads the testing section of a falco configuration file.
func LoadFalcoConfig(path string) (*FalcoConfig, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Testing struct {
			Overrides map[string]any `yaml:"overrides"`
		} `yaml:"testing"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	fc := &FalcoConfig{File: path, Overrides: map[string]string{}}
	for k, v := range doc.Testing.Overrides {
		fc.Overrides[k] = fmt.Sprint(v)
	}
	return fc, nil
}
