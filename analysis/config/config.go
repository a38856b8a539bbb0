// Package config reads the workspace configuration file, .vclide.yaml.
//
// The file tells vclide what it cannot learn from the VCL alone: where
// `include "x";` looks for files, which subroutine a snippet file belongs
// to, which file is the entry point, what the Fastly service declares
// outside the VCL (backends, ACLs, dictionaries, …) and how severe each
// diagnostic should be:
//
//	include_paths: [vcl/includes, shared]
//	snippets:
//	  "snippets/*_recv.vcl": recv
//	  "**/deliver/*.vcl": vcl_deliver
//	main: main.vcl
//	declarations:
//	  backends: [F_origin, F_api]
//	  acls: [internal_ips]
//	  tables: { redirects: STRING, ttl_by_path: RTIME }
//	  dictionaries: [config]
//	  penaltyboxes: [pb]
//	  ratecounters: [rc]
//	severity:
//	  unused-local: off
//	  missing-fastly-macro: error
//	max_file_size: 32MB
//
// Paths are relative to the directory holding the file. Parse reports
// every problem it finds, each with the file, line and column, and what is
// allowed there. The JSON Schema in schema/vclide.schema.json describes the
// same format for editors.
package config

import (
	"fmt"
	"os"
	"path/filepath"
)

// maxConfigSize is the largest configuration file read.
const maxConfigSize = 1 << 20

// FileName is the name of the workspace configuration file.
const FileName = ".vclide.yaml"

// The severity levels a diagnostic code can be set to.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityInfo    = "info"
	SeverityHint    = "hint"
	SeverityOff     = "off"
)

// Severities lists the valid severity levels.
var Severities = []string{SeverityError, SeverityWarning, SeverityInfo, SeverityHint, SeverityOff}

// diagnosticCodes are the codes a severity override may name; nil accepts
// any code. The analysis package, which defines the codes and imports this
// one, registers them with SetDiagnosticCodes.
var diagnosticCodes []string

// SetDiagnosticCodes makes Parse reject a code under severity: that is not
// in codes, with a "did you mean" suggestion. It is meant to be called once,
// from an init function.
func SetDiagnosticCodes(codes []string) { diagnosticCodes = append([]string(nil), codes...) }

// TableTypes lists the value types a Fastly table may declare.
var TableTypes = []string{"STRING", "ACL", "BACKEND", "BOOL", "FLOAT", "INTEGER", "IP", "REGEX", "RTIME"}

// Config is a parsed .vclide.yaml. The yaml tags name the keys of the
// file; fields without one are derived.
type Config struct {
	// File is the absolute path of the configuration file, or "" for the
	// default configuration.
	File string `yaml:"-"`
	// IncludePaths are the directories searched for `include "x";`, as
	// absolute paths, in the order written.
	IncludePaths []string `yaml:"include_paths"`
	// Snippets map path globs to the subroutine that snippet files
	// matching them belong to, in the order written.
	Snippets []SnippetRule `yaml:"snippets"`
	// Main is the absolute path of the entry VCL file, or "".
	Main string `yaml:"main"`
	// Tests are path globs (like Snippets' keys) of unit-test files in
	// falco's format, on top of the files named *.test.vcl.
	Tests []string `yaml:"tests"`
	// Declarations are the objects that exist in the Fastly service
	// rather than in the VCL.
	Declarations Declarations `yaml:"declarations"`
	// SeverityOverrides maps diagnostic codes to a severity level.
	SeverityOverrides map[string]string `yaml:"severity"`
	// MaxFileSize is the largest VCL, include or scenario file vclide
	// reads, in bytes; 0 means the default (16 MB). The file accepts a
	// number of bytes or a size such as "32MB" or "512KB".
	MaxFileSize int64 `yaml:"max_file_size"`
}

// SnippetRule assigns a subroutine to the snippet files matching Glob.
type SnippetRule struct {
	// Glob is a slash-separated path pattern relative to the configuration
	// file's directory; "**" matches any number of directories and the
	// other elements follow path.Match.
	Glob string
	// Sub is the subroutine in short form ("recv").
	Sub string
	// Line is the line of the rule in the configuration file.
	Line int
}

// Declarations lists what the Fastly service defines outside the VCL.
type Declarations struct {
	// Backends are backend names, such as F_origin.
	Backends []string `yaml:"backends"`
	// ACLs are access control list names.
	ACLs []string `yaml:"acls"`
	// Tables map table names to their value type ("STRING", "RTIME", …).
	Tables map[string]string `yaml:"tables"`
	// Dictionaries are edge dictionary names (tables of STRING values).
	Dictionaries []string `yaml:"dictionaries"`
	// PenaltyBoxes are penalty box names.
	PenaltyBoxes []string `yaml:"penaltyboxes"`
	// RateCounters are rate counter names.
	RateCounters []string `yaml:"ratecounters"`
}

// Default returns the configuration used when a workspace has no
// .vclide.yaml: nothing declared, no include paths, no overrides.
func Default() *Config {
	return &Config{SeverityOverrides: map[string]string{}, Declarations: Declarations{Tables: map[string]string{}}}
}

// Dir returns the directory of the configuration file ("" for the
// default configuration).
func (c *Config) Dir() string {
	if c.File == "" {
		return ""
	}
	return filepath.Dir(c.File)
}

// Severity returns the level configured for a diagnostic code.
func (c *Config) Severity(code string) (string, bool) {
	level, ok := c.SeverityOverrides[code]
	return level, ok
}

// Load reads and parses the configuration file at path. Errors in the
// file come back as an ErrorList, with the valid parts of the file still
// in the returned Config; a file that cannot be read returns a nil Config.
func Load(path string) (*Config, error) {
	// Refuse devices, FIFOs and huge files before opening them (a FIFO
	// would block the open, a device would never end).
	if st, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("reading configuration: %w", err)
	} else if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("reading configuration: %s is not a regular file", path)
	} else if st.Size() > maxConfigSize {
		return nil, fmt.Errorf("reading configuration: %s is larger than %d MB", path, maxConfigSize>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading configuration: %w", err)
	}
	return Parse(path, data)
}

// Find looks for a .vclide.yaml in dir and then in each parent directory,
// returning the path of the first one found. A directory of that name is
// passed over; anything else (a FIFO, a device) is returned, so that Load
// says why it cannot be used instead of the configuration being ignored
// without a word.
func Find(dir string) (string, bool) {
	d, err := filepath.Abs(dir)
	if err != nil {
		d = filepath.Clean(dir)
	}
	for {
		p := filepath.Join(d, FileName)
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, true
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", false
		}
		d = parent
	}
}
