package lsp

import (
	"errors"
	"path/filepath"
	"strings"
	"sync"

	"go.lsp.dev/protocol"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/config"
	"github.com/vclide/vclide/analysis/syntax"
)

// configFileName is the project configuration file.
const configFileName = config.FileName

// configs maps files to their analysis.Workspace: the one opened for the
// nearest .vclide.yaml above a file (cached until it changes), with the
// include paths the editor sent and the workspace folders. Disk reads are
// restricted to the folders, the include paths and the open documents.
type configs struct {
	mu sync.Mutex
	// clientIncludes come from initializationOptions / settings.
	clientIncludes []string
	// folders are the workspace folders.
	folders []string
	// byDir caches the config file found for a directory ("" for none).
	byDir map[string]string
	// loaded caches the workspaces by configuration file ("" for files
	// without one), and by open directories when there are no folders.
	loaded map[string]*loadedConfig
	// onError reports a configuration that cannot be read.
	onError func(path string, err error)
	// parse parses the files the workspaces load (nil: syntax.Parse).
	parse func(path, text string) *syntax.File
}

// loadedConfig is a configuration file and the workspace opened from it.
type loadedConfig struct {
	path string
	ws   *analysis.Workspace
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
	c.loaded = map[string]*loadedConfig{}
}

// setFolders replaces the workspace folders.
func (c *configs) setFolders(folders []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.folders = append([]string(nil), folders...)
	c.loaded = map[string]*loadedConfig{}
}

// reset forgets every cached configuration and workspace (after one
// changed on disk, or a VCL file was created, changed or deleted).
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
	found, _ := config.Find(dir)
	c.mu.Lock()
	c.byDir[dir] = found
	c.mu.Unlock()
	return found
}

// workspace returns the workspace that checks a file. openDirs are the
// directories of the open documents: without workspace folders (an editor
// that opened single files) they stand in for the folders, so a file next
// to an open document may be read but nothing else.
func (c *configs) workspace(file string, openDirs []string) *analysis.Workspace {
	path := c.find(file)
	c.mu.Lock()
	folders := c.folders
	var dirs []string
	key := path
	if len(folders) == 0 {
		dirs = openDirs
		key = path + "\x00" + strings.Join(openDirs, "\x00")
	}
	if lc, ok := c.loaded[key]; ok {
		c.mu.Unlock()
		return lc.ws
	}
	spec := analysis.WorkspaceSpec{ConfigPath: path, Start: file, Folders: folders, Dirs: dirs, IncludePaths: c.clientIncludes, Restrict: true, Parse: c.parse}
	c.mu.Unlock()
	lc := &loadedConfig{path: path}
	lc.ws, lc.err = analysis.OpenWorkspace(spec)
	if lc.err != nil && c.onError != nil {
		c.onError(path, lc.err)
	}
	c.mu.Lock()
	if prev, ok := c.loaded[key]; ok {
		lc = prev // another request opened it first
	} else {
		c.loaded[key] = lc
	}
	c.mu.Unlock()
	return lc.ws
}

// loadedConfigs lists the configurations read so far.
func (c *configs) loadedConfigs() []*loadedConfig {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*loadedConfig, 0, len(c.loaded))
	seen := map[string]bool{}
	for _, lc := range c.loaded {
		if lc.path != "" && !seen[lc.path] {
			seen[lc.path] = true
			out = append(out, lc)
		}
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
