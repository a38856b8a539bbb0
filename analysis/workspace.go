package analysis

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/config"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/internal/parallel"
)

// Workspace is the one model of a VCL project that every front end —
// vclide lint, run and serve, the language server and the debug adapter —
// loads and checks files through, in the spirit of go/packages or gopls's
// View. No front end builds Options itself, so they all see the same
// diagnostics for the same files. A Workspace owns:
//
//   - the .vclide.yaml that applies (given, or found walking up from the
//     start file or folder);
//   - the include paths: the front end's own (-I, editor settings, a
//     scenario's include_paths) first, then the configured ones;
//   - snippet globs, external declarations and severity overrides;
//   - sibling-file subroutines: those defined in other .vcl files of the
//     workspace, so `call helper;` resolves when a build step concatenates
//     the files;
//   - which files may be read (Restrict), and how big they may be;
//   - the rule for which diagnostics block running (Blocking).
//
// Open one with OpenWorkspace, then Load or Check programs. A Workspace is
// safe for concurrent use; it caches what it learns about sibling files.
type Workspace struct {
	// Dir is the workspace root: the directory of the configuration file,
	// else the first folder.
	Dir string
	// Config is the configuration that applies (config.Default() when
	// there is no .vclide.yaml); never nil.
	Config *config.Config
	// ConfigErr reports problems in the configuration file. The valid
	// parts of the file still apply.
	ConfigErr error

	folders  []string // absolute
	dirs     []string // absolute; scanned without their subdirectories
	readable []string // directories whose files may be read (Restrict)
	restrict bool
	maxSize  int64
	base     Options

	mu       sync.Mutex
	tfPlan   string              // terraform show -json output to read services from
	tfFiles  map[string][]string // the workspace's .tf files by directory, once listed
	tfListed bool
	tf       *tfIndex // the last Terraform view built
	fileList []string // the workspace's .vcl files, once listed
	listed   bool
	siblings map[string]*siblingFile
}

// WorkspaceSpec says how to open a workspace.
type WorkspaceSpec struct {
	// Start is a file or directory in the workspace; the configuration is
	// looked for in its directory and each parent.
	Start string
	// ConfigPath names the configuration file explicitly (no discovery).
	ConfigPath string
	// Folders are the workspace folders (the editor's, the paths given to
	// lint, or the entry file's directory for run and the debugger). Their
	// .vcl files, or those below the configuration's directory when there
	// is one, provide the sibling-file subroutines.
	Folders []string
	// Dirs are like Folders, but only the .vcl files directly in them are
	// sibling files, not those below: the entry file's directory for run
	// and the debugger, a named file's directory for lint, the open
	// documents' directories for an editor without folders.
	Dirs []string
	// IncludePaths are searched for `include` before the configured ones.
	IncludePaths []string
	// Restrict limits disk reads to the folders, the include paths and
	// the documents the editor opened (the language server's setting).
	// Anything else is "outside the workspace".
	Restrict bool
	// TerraformPlan names the JSON that `terraform show -json` printed;
	// the services are read from it instead of the workspace's .tf files.
	TerraformPlan string
	// Parse parses the files the workspace loads (roots, includes, open
	// sibling files); nil means syntax.Parse. The language server passes
	// one that re-parses its open buffers incrementally.
	Parse func(path, text string) *syntax.File
}

// Buffers returns the text of a document the editor has open, which
// replaces the file on disk; ok is false for files that are not open. A nil
// Buffers means none are open.
type Buffers func(path string) (text string, ok bool)

// maxWorkspaceFiles bounds the sibling-file scan of a huge tree.
const (
	maxWorkspaceFiles   = 5000
	maxWorkspaceEntries = 20000
)

// OpenWorkspace finds and reads the configuration and prepares the
// workspace. A configuration with problems still gives a usable workspace
// (its valid parts apply) together with the error; so does a configuration
// file that cannot be read.
func OpenWorkspace(spec WorkspaceSpec) (*Workspace, error) {
	w := &Workspace{restrict: spec.Restrict, siblings: map[string]*siblingFile{}}
	w.folders = absAll(spec.Folders)
	w.dirs = absAll(spec.Dirs)
	if spec.TerraformPlan != "" {
		w.tfPlan = absAll([]string{spec.TerraformPlan})[0]
	}
	cfgPath := spec.ConfigPath
	if cfgPath == "" {
		start := spec.Start
		if roots := append(w.folders, w.dirs...); start == "" && len(roots) > 0 {
			start = roots[0]
		}
		if start != "" {
			dir := start
			if st, err := os.Stat(start); err != nil || !st.IsDir() {
				dir = filepath.Dir(start)
			}
			cfgPath, _ = config.Find(dir)
		}
	}
	var cfg *config.Config
	if cfgPath != "" {
		var err error
		if err = CheckReadable(cfgPath, DefaultMaxFileSize); err == nil {
			cfg, err = config.Load(cfgPath)
		}
		w.ConfigErr = err
	}
	if cfg == nil {
		cfg = config.Default()
	}
	w.Config = cfg
	w.Dir = cfg.Dir()
	if roots := append(w.folders, w.dirs...); w.Dir == "" && len(roots) > 0 {
		w.Dir = roots[0]
		if st, err := os.Stat(w.Dir); err == nil && !st.IsDir() {
			w.Dir = filepath.Dir(w.Dir)
		}
	}
	w.maxSize = cfg.MaxFileSize
	if w.maxSize <= 0 {
		w.maxSize = DefaultMaxFileSize
	}
	w.base = optionsFromConfig(cfg)
	w.base.Parse = spec.Parse
	w.base.IncludePaths = append(absAll(spec.IncludePaths), w.base.IncludePaths...)
	w.readable = append(canonicalAll(append(w.folders, w.dirs...)), canonicalAll(w.base.IncludePaths)...)
	return w, w.ConfigErr
}

// Parse parses a file's text with the workspace's parser (see
// WorkspaceSpec.Parse).
func (w *Workspace) Parse(path, text string) *syntax.File { return w.base.parse(path, text) }

// MaxFileSize is the largest file the workspace reads, in bytes.
func (w *Workspace) MaxFileSize() int64 { return w.maxSize }

// IncludePaths are the directories searched for includes, in order.
func (w *Workspace) IncludePaths() []string { return append([]string(nil), w.base.IncludePaths...) }

// Load reads the entry file (an open buffer, else the disk under the
// workspace's rules), parses it and checks it with its includes.
func (w *Workspace) Load(path string, open Buffers) (*Program, error) {
	text, err := w.ReadFile(path, open)
	if err != nil {
		return nil, err
	}
	return w.Check(w.Parse(path, text), open), nil
}

// Check checks an already parsed file as the root of a program; includes
// are read from open buffers, else the disk under the workspace's rules.
func (w *Workspace) Check(f *syntax.File, open Buffers) *Program {
	return check(f, w.withTerraform(w.options(open), f.Source.Name, open))
}

// CheckAfter is Check reusing prev, an earlier check of the same root
// (nil: from scratch): subroutines the change does not affect are not
// checked again (see Options.Previous). The result equals Check's.
func (w *Workspace) CheckAfter(f *syntax.File, open Buffers, prev *Program) *Program {
	opts := w.withTerraform(w.options(open), f.Source.Name, open)
	opts.Previous = prev
	return check(f, opts)
}

// CheckFiles checks each parsed file as a program root (vclide lint), on
// up to workers goroutines (at least one): programs are independent and
// the checker never writes to a tree, so they check in parallel. The files
// also serve as the workspace's sibling files, so nothing is parsed twice.
func (w *Workspace) CheckFiles(files []*syntax.File, workers int) []*Program {
	for _, f := range files {
		if st, err := os.Stat(f.Source.Name); err == nil {
			w.remember(f.Source.Name, f.Source.Text, f, st)
		}
	}
	opts := w.options(nil)
	out := make([]*Program, len(files))
	parallel.Each(len(files), workers, func(i int) {
		out[i] = check(files[i], w.withTerraform(opts, files[i].Source.Name, nil))
	})
	return out
}

// IsTestFile reports whether path is a unit-test file (*.test.vcl, or
// matched by the configuration's tests globs).
func (w *Workspace) IsTestFile(path string) bool { return IsTestFile(path, w.base) }

// CheckWithTests checks root (the VCL under test) together with unit-test
// files; see the package-level CheckWithTests.
func (w *Workspace) CheckWithTests(root *syntax.File, tests []*syntax.File, open Buffers) *Program {
	// The main VCL of a Terraform service is tested assembled, as it runs.
	if s, idx := w.serviceOfMain(root.Source.Name, open); s != nil {
		if f, opts, _, err := w.assemble(s, idx, open); err == nil {
			return CheckWithTests(f, tests, opts)
		}
	}
	return CheckWithTests(root, tests, w.withTerraform(w.options(open), root.Source.Name, open))
}

// ReadFile reads a source file: an open buffer, else the disk. Disk reads
// refuse files outside the workspace (when restricted), anything that is
// not a regular file, and files over the size cap, before reading them.
func (w *Workspace) ReadFile(path string, open Buffers) (string, error) {
	if open != nil {
		if text, ok := open(path); ok {
			return text, nil
		}
	}
	if IsVirtual(path) {
		return w.virtualText(path, open)
	}
	if w.restrict && !w.Readable(path) {
		return "", &FileError{Path: path, Err: ErrOutsideWorkspace}
	}
	b, err := ReadFileLimited(path, w.maxSize)
	return string(b), err
}

// Readable reports whether the workspace may read path from disk: always
// for an unrestricted workspace, else when it lies in a folder or an
// include path (after resolving symbolic links).
func (w *Workspace) Readable(path string) bool {
	if !w.restrict {
		return true
	}
	p := canonical(path)
	for _, d := range w.readable {
		if within(p, d) {
			return true
		}
	}
	return false
}

// Blocking returns the diagnostics that stop a program from running (vclide
// run and serve, and a debug launch): every error, after the severity
// overrides, and every call of a subroutine that only a sibling file
// defines (the checker accepts it, but the program does not contain it).
func Blocking(p *Program) []*Diagnostic {
	var out []*Diagnostic
	for _, d := range p.Diagnostics {
		if d.Severity == SeverityError {
			out = append(out, d)
		}
	}
	for _, c := range p.SiblingCalls {
		out = append(out, &Diagnostic{
			File: c.Loc.File, Range: c.Loc.Range, Severity: SeverityError, Code: CodeUnknownSub,
			Message: fmt.Sprintf("subroutine %s is defined in %s, which this program does not include; include it to run the program", c.Sub.Name, filepath.Base(c.Sub.Loc.File.Name)),
		})
	}
	SortDiagnostics(out)
	return out
}

// SiblingCall is a call of a subroutine that only a sibling file defines.
type SiblingCall struct {
	Sub *ExternalSub
	Loc Location
}

// options are the checker's options for this workspace.
func (w *Workspace) options(open Buffers) Options {
	opts := w.base
	opts.FS = workspaceFS{w, open}
	opts.WorkspaceSubs = w.siblingSubs(open)
	return opts
}

// workspaceFS reads files for the checker under the workspace's rules.
type workspaceFS struct {
	w    *Workspace
	open Buffers
}

func (f workspaceFS) ReadFile(path string) (string, error) { return f.w.ReadFile(path, f.open) }

// siblingFile caches the subroutines one workspace file defines.
type siblingFile struct {
	text   string // the text they were read from
	buffer bool   // text came from an open buffer, not the disk
	mod    time.Time
	size   int64 // the disk file's modification time and size when read
	subs   map[string]*ExternalSub
}

// fresh reports whether a cached disk entry still matches the file.
func (sf *siblingFile) fresh(st os.FileInfo) bool {
	return !sf.buffer && st != nil && sf.mod.Equal(st.ModTime()) && sf.size == st.Size()
}

// remember records the subroutines of a parsed workspace file (st is the
// disk file's state before it was read, nil for an open buffer).
func (w *Workspace) remember(path, text string, f *syntax.File, st os.FileInfo) *siblingFile {
	sf := &siblingFile{text: text, buffer: st == nil, subs: WorkspaceIndex([]*syntax.File{f})}
	if st != nil {
		sf.mod, sf.size = st.ModTime(), st.Size()
	}
	w.mu.Lock()
	w.siblings[path] = sf
	w.mu.Unlock()
	return sf
}

// siblingSubs returns the subroutines defined by the workspace's .vcl
// files, the first definition (in path order) of each name. A file is
// parsed again only when its open buffer or its size or modification time
// changed.
func (w *Workspace) siblingSubs(open Buffers) map[string]*ExternalSub {
	out := map[string]*ExternalSub{}
	for _, path := range w.files() {
		w.mu.Lock()
		sf := w.siblings[path]
		w.mu.Unlock()
		var text string
		isOpen := false
		if open != nil {
			text, isOpen = open(path)
		}
		switch {
		case isOpen:
			if sf == nil || !sf.buffer || sf.text != text {
				sf = w.remember(path, text, w.Parse(path, text), nil)
			}
		default:
			st, err := os.Stat(path)
			if err != nil {
				continue
			}
			if sf == nil || !sf.fresh(st) {
				if text, err = w.ReadFile(path, nil); err != nil {
					continue
				}
				sf = w.remember(path, text, w.Parse(path, text), st)
			}
		}
		for name, s := range sf.subs {
			if _, dup := out[name]; !dup {
				out[name] = s
			}
		}
	}
	return out
}

// Files lists the workspace's .vcl files: those below the configuration's
// directory, else those below the folders (a folder may be a single file)
// and those directly in the dirs. Hidden directories and node_modules are
// skipped.
func (w *Workspace) Files() []string { return append([]string(nil), w.files()...) }

func (w *Workspace) files() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.listed {
		return w.fileList
	}
	w.listed = true
	seen := map[string]bool{}
	roots, shallow := w.scanRoots()
	walkWorkspace(roots, shallow, func() bool { return len(w.fileList) >= maxWorkspaceFiles }, func(path string, d fs.DirEntry) {
		if strings.HasSuffix(d.Name(), ".vcl") && d.Type().IsRegular() && !seen[path] && w.Readable(path) {
			seen[path] = true
			w.fileList = append(w.fileList, path)
		}
	})
	sort.Strings(w.fileList)
	return w.fileList
}

// scanRoots returns what the workspace's file listings walk: the
// configuration's directory, else the folders (walked recursively) and
// the dirs (read one level deep).
func (w *Workspace) scanRoots() (roots, shallow []string) {
	if d := w.Config.Dir(); d != "" {
		return []string{d}, nil
	}
	return w.folders, w.dirs
}

// walkWorkspace calls add for every entry below roots (hidden directories
// and node_modules skipped, at most maxWorkspaceEntries entries) and
// directly in shallow, stopping early once full reports true.
func walkWorkspace(roots, shallow []string, full func() bool, add func(path string, d fs.DirEntry)) {
	entries := 0
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if d != nil && d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			entries++
			if entries > maxWorkspaceEntries || full() {
				return filepath.SkipAll
			}
			if d.IsDir() {
				if path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
					return filepath.SkipDir
				}
				return nil
			}
			add(path, d)
			return nil
		})
	}
	for _, dir := range shallow {
		list, _ := os.ReadDir(dir)
		for _, d := range list {
			if full() {
				break
			}
			add(filepath.Join(dir, d.Name()), d)
		}
	}
}

// optionsFromConfig turns a workspace configuration into checker options:
// include paths, snippet scopes, external declarations and severities.
func optionsFromConfig(cfg *config.Config) Options {
	opts := Options{Severity: cfg.SeverityOverrides}
	dir := cfg.Dir()
	for _, p := range cfg.IncludePaths {
		if !filepath.IsAbs(p) && dir != "" {
			p = filepath.Join(dir, p)
		}
		opts.IncludePaths = append(opts.IncludePaths, p)
	}
	if len(cfg.Snippets) > 0 {
		opts.SnippetScope = func(path string) (catalog.Sub, bool) {
			if name, ok := cfg.SnippetScope(path); ok {
				return catalog.ParseSub(name)
			}
			return 0, false
		}
	}
	if len(cfg.Tests) > 0 {
		opts.TestFile = cfg.IsTest
	}
	d := cfg.Declarations
	opts.External = External{
		Backends:     d.Backends,
		ACLs:         d.ACLs,
		Penaltyboxes: d.PenaltyBoxes,
		Ratecounters: d.RateCounters,
		Tables:       map[string]catalog.Type{},
	}
	for name, t := range d.Tables {
		tt, _ := catalog.ParseType(t)
		opts.External.Tables[name] = tt
	}
	for _, name := range d.Dictionaries {
		opts.External.Tables[name] = catalog.TypeString
	}
	return opts
}

// canonical makes a path absolute and clean, with symbolic links resolved
// when it exists.
func canonical(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	// A file that does not exist yet: resolve its directory.
	if r, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
		return filepath.Join(r, filepath.Base(p))
	}
	return filepath.Clean(p)
}

func canonicalAll(ps []string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = canonical(p)
	}
	return out
}

func absAll(ps []string) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		out = append(out, p)
	}
	return out
}

// within reports whether p is dir or below it (dir may also be a file).
func within(p, dir string) bool {
	if p == dir {
		return true
	}
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// IsFileRefused reports whether err is a refusal by the workspace's rules
// (outside the workspace, not a regular file, too large) rather than a
// missing file.
func IsFileRefused(err error) bool {
	var fe *FileError
	return errors.As(err, &fe)
}
