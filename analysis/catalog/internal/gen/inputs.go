package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"

	"gopkg.in/yaml.v3"
)

// falcoVar is one entry of predefined.yml.
type falcoVar struct {
	Reference  string   `yaml:"reference"`
	On         []string `yaml:"on"`
	Get        string   `yaml:"get"`
	Set        string   `yaml:"set"`
	Unset      bool     `yaml:"unset"`
	Deprecated bool     `yaml:"deprecated"`
}

// falcoFn is one entry of builtin.yml.
type falcoFn struct {
	Reference string     `yaml:"reference"`
	On        []string   `yaml:"on"`
	Arguments [][]string `yaml:"arguments"`
	Return    string     `yaml:"return"`
	Extra     string     `yaml:"extra"`
}

// vsVar is one entry of variables.json.
type vsVar struct {
	Access     string   `json:"access"`
	Category   string   `json:"category"`
	Methods    []string `json:"methods"`
	Readable   []string `json:"readable_in_methods"`
	Writable   []string `json:"writable_in_methods"`
	Type       string   `json:"type"`
	Deprecated bool     `json:"deprecated"`
}

// vsArg is one argument in functions.json.
type vsArg struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Arity string `json:"arity"`
}

// vsFn is one entry of functions.json.
type vsFn struct {
	Args       []vsArg  `json:"args"`
	Category   string   `json:"category"`
	Methods    []string `json:"methods"`
	Type       string   `json:"type"`
	Deprecated bool     `json:"deprecated"`
}

// vsSub is one entry of subroutines.json.
type vsSub struct {
	Returns []string `json:"returns"`
}

// noteParam is a parameter written in notes.yaml.
type noteParam struct {
	Name     string `yaml:"name"`
	Type     string `yaml:"type"`
	Optional bool   `yaml:"optional"`
	Variadic bool   `yaml:"variadic"`
}

// noteEntry is a variable or function entry of notes.yaml. It may be written
// as a plain string (the description) or as a mapping with overrides.
type noteEntry struct {
	Desc       string      `yaml:"desc"`
	Type       string      `yaml:"type"`
	Read       *[]string   `yaml:"read"`
	Set        *[]string   `yaml:"set"`
	Unset      *[]string   `yaml:"unset"`
	Subs       *[]string   `yaml:"subs"`
	Deprecated *bool       `yaml:"deprecated"`
	Category   string      `yaml:"category"`
	Link       *string     `yaml:"link"`
	Params     []noteParam `yaml:"params"`
	Return     string      `yaml:"return"`
	// Keep records that the merged facts were checked by hand and are
	// right as they come out of the merge rules, despite the disagreement.
	Keep bool `yaml:"keep"`
}

// UnmarshalYAML accepts either a scalar description or a full mapping.
func (n *noteEntry) UnmarshalYAML(v *yaml.Node) error {
	if v.Kind == yaml.ScalarNode {
		n.Desc = v.Value
		return nil
	}
	type plain noteEntry
	var p plain
	if err := v.Decode(&p); err != nil {
		return err
	}
	*n = noteEntry(p)
	return nil
}

// noteSub describes one built-in subroutine in notes.yaml.
type noteSub struct {
	Node         string   `yaml:"node"`
	Default      string   `yaml:"default"`
	Returns      []string `yaml:"returns"`
	Undocumented []string `yaml:"undocumented"`
	Desc         string   `yaml:"desc"`
}

// noteFastlyVar is a variable that neither source table lists, known from
// Fastly's own VCL (its modules and generated code).
type noteFastlyVar struct {
	Type   string   `yaml:"type"`
	Read   []string `yaml:"read"`
	Set    []string `yaml:"set"`
	Desc   string   `yaml:"desc"`
	SeenIn string   `yaml:"seen_in"`
}

// notes is the whole of notes.yaml.
type notes struct {
	Subroutines map[string]noteSub    `yaml:"subroutines"`
	Variables   map[string]*noteEntry `yaml:"variables"`
	Functions   map[string]*noteEntry `yaml:"functions"`
	// FastlyCodeVariables are undocumented variables used by Fastly's own
	// code but absent from both tables.
	FastlyCodeVariables map[string]noteFastlyVar `yaml:"fastly_code_variables"`
}

type inputs struct {
	falcoVars map[string]falcoVar
	falcoFns  map[string]falcoFn
	vsVars    map[string]vsVar
	vsFns     map[string]vsFn
	vsSubs    map[string]vsSub
	headers   []string
	notes     notes
}

func loadInputs(src, notesPath string) (*inputs, error) {
	in := &inputs{}
	if err := readYAML(filepath.Join(src, "falco", "predefined.yml"), &in.falcoVars); err != nil {
		return nil, err
	}
	if err := readYAML(filepath.Join(src, "falco", "builtin.yml"), &in.falcoFns); err != nil {
		return nil, err
	}
	if err := readJSON(filepath.Join(src, "vscode-fastly-vcl", "variables.json"), &in.vsVars); err != nil {
		return nil, err
	}
	if err := readJSON(filepath.Join(src, "vscode-fastly-vcl", "functions.json"), &in.vsFns); err != nil {
		return nil, err
	}
	if err := readJSON(filepath.Join(src, "vscode-fastly-vcl", "subroutines.json"), &in.vsSubs); err != nil {
		return nil, err
	}
	var hdrs map[string]json.RawMessage
	if err := readJSON(filepath.Join(src, "vscode-fastly-vcl", "headers.json"), &hdrs); err != nil {
		return nil, err
	}
	for h := range hdrs {
		in.headers = append(in.headers, h)
	}
	sort.Strings(in.headers)
	if err := readYAML(notesPath, &in.notes); err != nil {
		return nil, err
	}
	// Both tables spell pattern families differently; use "*" everywhere.
	in.falcoVars = renameKeys(in.falcoVars)
	in.vsVars = renameKeys(in.vsVars)
	return in, nil
}

func readYAML(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

var placeholder = regexp.MustCompile(`%any%|\{NAME\}|\{N\}`)

func renameKeys[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[placeholder.ReplaceAllString(k, "*")] = v
	}
	return out
}
