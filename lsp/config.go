package lsp

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"go.lsp.dev/protocol"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/config"
)

// configFileName is the project configuration file.
const configFileName = config.FileName

// configs maps files to analysis options: the nearest .vclide.yaml above a
// file (cached until it changes) plus the include paths the editor sent.
type configs struct {
	mu sync.Mutex
	// clientIncludes come from initializationOptions / settings.
	clientIncludes []string
	// byDir caches the config file found for a directory ("" for none).
	byDir map[string]string
	// loaded caches parsed configurations by file.
	loaded map[string]*loadedConfig
	// onError reports a configuration that cannot be read.
	onError func(path string, err error)
}

// loadedConfig is a parsed configuration file and its options.
type loadedConfig struct {
	path string
	opts analysis.Options
	err  error
}

func newConfigs() *configs {
	return &configs{byDir: map[string]string{}, loaded: map[string]*loadedConfig{}}
}

// setClientIncludes replaces the editor's include paths.
func (c *configs) setClientIncludes(paths []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clientIncludes = append([]string(nil), paths...)
}

// reset forgets every cached configuration (after one changed on disk).
func (c *configs) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byDir = map[string]string{}
	c.loaded = map[string]*loadedConfig{}
}

// find returns the configuration file that applies to a file, or "".
func (c *configs) find(file string) string {
	if !filepath.IsAbs(file) {
		return ""
	}
	dir := filepath.Dir(file)
	c.mu.Lock()
	if p, ok := c.byDir[dir]; ok {
		c.mu.Unlock()
		return p
	}
	c.mu.Unlock()
	found := ""
	for d := dir; ; d = filepath.Dir(d) {
		candidate := filepath.Join(d, configFileName)
		if st, err := os.Stat(candidate); err == nil && !st.IsDir() {
			found = candidate
			break
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	c.mu.Lock()
	c.byDir[dir] = found
	c.mu.Unlock()
	return found
}

// options returns the analysis options for a file.
func (c *configs) options(file string) analysis.Options {
	var opts analysis.Options
	if path := c.find(file); path != "" {
		lc := c.load(path)
		opts = lc.opts
	}
	c.mu.Lock()
	client := c.clientIncludes
	c.mu.Unlock()
	if len(client) > 0 {
		opts.IncludePaths = append(append([]string(nil), client...), opts.IncludePaths...)
	}
	return opts
}

// load parses one configuration file (cached).
func (c *configs) load(path string) *loadedConfig {
	c.mu.Lock()
	if lc, ok := c.loaded[path]; ok {
		c.mu.Unlock()
		return lc
	}
	c.mu.Unlock()
	lc := &loadedConfig{path: path}
	lc.opts, lc.err = loadConfigOptions(path)
	if lc.err != nil && c.onError != nil {
		c.onError(path, lc.err)
	}
	c.mu.Lock()
	c.loaded[path] = lc
	c.mu.Unlock()
	return lc
}

// loadedConfigs lists the configurations read so far.
func (c *configs) loadedConfigs() []*loadedConfig {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*loadedConfig, 0, len(c.loaded))
	for _, lc := range c.loaded {
		out = append(out, lc)
	}
	return out
}

// configDiagnostics turns the problems of a configuration file into
// diagnostics on it.
func configDiagnostics(lc *loadedConfig, text string) []protocol.Diagnostic {
	if lc.err == nil {
		return nil
	}
	var list config.ErrorList
	var one *config.Error
	switch {
	case errors.As(lc.err, &list):
	case errors.As(lc.err, &one):
		list = config.ErrorList{one}
	default:
		list = config.ErrorList{{File: lc.path, Msg: lc.err.Error()}}
	}
	lines := strings.Split(text, "\n")
	out := make([]protocol.Diagnostic, 0, len(list))
	for _, e := range list {
		line, col := max(e.Line-1, 0), max(e.Column-1, 0)
		end := col + 1
		if line < len(lines) {
			end = max(int(utf16Len(strings.TrimRight(lines[line], "\r"))), end)
		}
		out = append(out, protocol.Diagnostic{
			Range: protocol.Range{
				Start: protocol.Position{Line: uint32(line), Character: uint32(col)},
				End:   protocol.Position{Line: uint32(line), Character: uint32(end)},
			},
			Severity: protocol.DiagnosticSeverityError,
			Code:     "config",
			Source:   "vclide",
			Message:  e.Msg,
		})
	}
	return out
}

// loadConfigOptions reads a .vclide.yaml into analysis options. A file with
// errors still gives the options of its valid parts, with the error.
func loadConfigOptions(path string) (analysis.Options, error) {
	cfg, err := config.Load(path)
	if cfg == nil {
		return analysis.Options{}, err
	}
	return analysis.OptionsFromConfig(cfg), err
}
