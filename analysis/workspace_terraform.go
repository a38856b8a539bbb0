package analysis

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/analysis/terraform"
)

// Services defined in Terraform.
//
// The workspace also reads the fastly_service_vcl resources of its *.tf
// files (or, with WorkspaceSpec.TerraformPlan, the JSON of `terraform show
// -json`). For a file that belongs to such a service — its main VCL, an
// included VCL, a snippet file or a snippet written inline in a .tf file —
// checking knows the service's backends, dictionaries and ACLs, resolves
// `include "name";` to the vcl block of that name, and takes a snippet's
// subroutine from its type. LoadRunnable assembles the service as Fastly
// does. What cannot be read statically is reported (TerraformDiagnostics)
// and left out; .vclide.yaml still applies.

// VirtualMark separates a file's path from the name of VCL written inline
// in it: "/svc/main.tf#terraform:snippet.auth" is the snippet "auth" of
// main.tf. Positions in such a source are positions in the file.
const VirtualMark = "#terraform:"

// SourceFile returns the file a source name stands for: the file itself,
// or for inline VCL the file it is written in.
func SourceFile(name string) string {
	if i := strings.Index(name, VirtualMark); i >= 0 {
		return name[:i]
	}
	return name
}

// IsVirtual reports whether a source name is VCL written inline in another
// file (see VirtualMark).
func IsVirtual(name string) bool { return strings.Contains(name, VirtualMark) }

// tfRole says what a file is to a service.
type tfRole struct {
	svc     *terraform.Service
	snippet *terraform.Snippet
	vcl     *terraform.VCL
}

// tfIndex is the workspace's Terraform view for one set of buffers.
type tfIndex struct {
	key     string
	proj    *terraform.Project
	roles   map[string]*tfRole // source name (canonical for disk files) → role
	virtual map[string]string  // virtual source name → text
	regions map[string][2]int  // virtual source name → in-place byte range in its file
	texts   map[string]string  // .tf and JSON files as read
	err     error              // reading the plan JSON failed
}

// contentName is the source name of a service's VCL content.
func contentName(c terraform.Content, kind, name string) string {
	if c.Inline {
		return c.File + VirtualMark + kind + "." + name
	}
	return c.File
}

// virtualText is the text of inline VCL as a source of its file: in place,
// the file with everything else blanked (so positions are the file's);
// otherwise the text starting at its expression's position.
func virtualText(c terraform.Content, fileText string) string {
	if c.InPlace && c.End.Offset <= len(fileText) && c.Start.Offset <= c.End.Offset {
		b := []byte(fileText)
		for i := range b {
			if (i < c.Start.Offset || i >= c.End.Offset) && b[i] != '\n' {
				b[i] = ' '
			}
		}
		return string(b)
	}
	pad := strings.Repeat("\n", max(c.Start.Line-1, 0)) + strings.Repeat(" ", max(c.Start.Col-1, 0))
	return pad + c.Text
}

// terraformFiles lists the workspace's .tf files, grouped by directory
// (a Terraform module), below the configuration's directory, else below
// the folders (a folder that is a file stands for its directory) and
// directly in the dirs.
func (w *Workspace) terraformFiles() map[string][]string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.tfListed {
		return w.tfFiles
	}
	w.tfListed = true
	w.tfFiles = map[string][]string{}
	roots, shallow := w.scanRoots()
	dirs := make([]string, len(roots))
	for i, root := range roots {
		dirs[i] = root
		if st, err := os.Stat(root); err == nil && !st.IsDir() {
			dirs[i] = filepath.Dir(root)
		}
	}
	seen := map[string]bool{}
	walkWorkspace(dirs, shallow, func() bool { return false }, func(path string, d fs.DirEntry) {
		if strings.HasSuffix(d.Name(), ".tf") && d.Type().IsRegular() && !seen[path] && w.Readable(path) {
			seen[path] = true
			dir := filepath.Dir(path)
			w.tfFiles[dir] = append(w.tfFiles[dir], path)
		}
	})
	return w.tfFiles
}

// terraformKey identifies the state of the files a Terraform view was
// built from: open buffers by their text, disk files by size and time.
func (w *Workspace) terraformKey(files []string, open Buffers) string {
	var sb strings.Builder
	for _, p := range files {
		if open != nil {
			if text, ok := open(p); ok {
				fmt.Fprintf(&sb, "%s\x00b%d:%s\x00", p, len(text), text)
				continue
			}
		}
		if st, err := os.Stat(p); err == nil {
			fmt.Fprintf(&sb, "%s\x00%d:%d\x00", p, st.Size(), st.ModTime().UnixNano())
		} else {
			fmt.Fprintf(&sb, "%s\x00-\x00", p)
		}
	}
	return sb.String()
}

// terraform returns the workspace's Terraform view, rebuilt when a file it
// was read from changed (on disk or in an open buffer).
func (w *Workspace) terraform(open Buffers) *tfIndex {
	var inputs []string
	if w.tfPlan != "" {
		inputs = []string{w.tfPlan}
	} else {
		groups := w.terraformFiles()
		for _, fs := range groups {
			inputs = append(inputs, fs...)
		}
		sort.Strings(inputs)
	}
	if len(inputs) == 0 {
		return nil
	}
	w.mu.Lock()
	cached := w.tf
	w.mu.Unlock()
	if cached != nil && cached.key == w.terraformKey(append(append([]string(nil), inputs...), cached.proj.Files...), open) {
		return cached
	}
	idx := &tfIndex{roles: map[string]*tfRole{}, virtual: map[string]string{}, regions: map[string][2]int{}, texts: map[string]string{}}
	read := func(p string) (string, error) {
		text, err := w.ReadFile(p, open)
		if err == nil && (strings.HasSuffix(p, ".tf") || p == w.tfPlan) {
			idx.texts[p] = text
		}
		return text, err
	}
	if w.tfPlan != "" {
		where, tfFiles := w.planSources(read, open)
		proj, err := terraform.LoadPlan(w.tfPlan, read, func(text string) (terraform.Content, bool) {
			c, ok := where[unindent(text)]
			return c, ok
		})
		if err != nil {
			idx.err = err
			proj = &terraform.Project{Files: []string{w.tfPlan}}
		}
		// The .tf files whose heredocs the plan's content maps to are
		// inputs too: editing one invalidates the index.
		proj.Files = append(proj.Files, tfFiles...)
		idx.proj = proj
	} else {
		idx.proj = &terraform.Project{}
		groups := w.terraformFiles()
		dirs := make([]string, 0, len(groups))
		for d := range groups {
			dirs = append(dirs, d)
		}
		sort.Strings(dirs)
		for _, d := range dirs {
			p := terraform.LoadModule(d, groups[d], read)
			idx.proj.Services = append(idx.proj.Services, p.Services...)
			idx.proj.Warnings = append(idx.proj.Warnings, p.Warnings...)
			idx.proj.Files = append(idx.proj.Files, p.Files...)
		}
	}
	for _, s := range idx.proj.Services {
		add := func(c terraform.Content, kind, name string, role *tfRole) {
			n := contentName(c, kind, name)
			if c.Inline {
				idx.virtual[n] = virtualText(c, idx.texts[c.File])
				if c.InPlace {
					idx.regions[n] = [2]int{c.Start.Offset, c.End.Offset}
				}
				idx.roles[n] = role
				return
			}
			if _, dup := idx.roles[canonical(n)]; !dup {
				idx.roles[canonical(n)] = role
			}
		}
		for _, v := range s.VCLs {
			add(v.Content, "vcl", v.Name, &tfRole{svc: s, vcl: v})
		}
		for _, sn := range s.Snippets {
			add(sn.Content, "snippet", sn.Name, &tfRole{svc: s, snippet: sn})
		}
	}
	idx.key = w.terraformKey(append(append([]string(nil), inputs...), idx.proj.Files...), open)
	w.mu.Lock()
	w.tf = idx
	w.mu.Unlock()
	return idx
}

// role finds what a source is to a Terraform service, if anything.
func (idx *tfIndex) role(name string) *tfRole {
	if idx == nil {
		return nil
	}
	if r := idx.roles[name]; r != nil {
		return r
	}
	return idx.roles[canonical(name)]
}

// TerraformServices returns the Fastly services the workspace defines in
// Terraform (nil when it has none).
func (w *Workspace) TerraformServices(open Buffers) []*terraform.Service {
	if idx := w.terraform(open); idx != nil {
		return idx.proj.Services
	}
	return nil
}

// TerraformDiagnostics reports what could not be read from the Terraform
// configuration (syntax errors, expressions that are not static) as
// warnings at their positions in the .tf (or JSON) files.
func (w *Workspace) TerraformDiagnostics(open Buffers) []*Diagnostic {
	idx := w.terraform(open)
	if idx == nil {
		return nil
	}
	sources := map[string]*syntax.Source{}
	sourceFor := func(name, text string) *syntax.Source {
		if s := sources[name]; s != nil {
			return s
		}
		s := syntax.NewSource(name, text)
		sources[name] = s
		return s
	}
	var out []*Diagnostic
	if idx.err != nil {
		src := sourceFor(w.tfPlan, idx.texts[w.tfPlan])
		out = append(out, &Diagnostic{File: src, Severity: SeverityWarning, Code: CodeTerraform, Message: idx.err.Error()})
	}
	for _, wn := range idx.proj.Warnings {
		text, ok := idx.texts[wn.File]
		if !ok {
			text, _ = w.ReadFile(wn.File, open)
		}
		src := sourceFor(wn.File, text)
		start := src.OffsetUTF8(wn.Line-1, wn.Col-1)
		out = append(out, &Diagnostic{File: src, Range: syntax.Range{Start: start, End: start}, Severity: SeverityWarning, Code: CodeTerraform, Message: wn.Message})
	}
	SortDiagnostics(out)
	return out
}

// TerraformSources lists the VCL written inline in Terraform files (as
// source names and texts; see VirtualMark), for linting them in place.
func (w *Workspace) TerraformSources(open Buffers) map[string]string {
	idx := w.terraform(open)
	if idx == nil {
		return nil
	}
	out := make(map[string]string, len(idx.virtual))
	for k, v := range idx.virtual {
		out[k] = v
	}
	return out
}

// withTerraform adds what the service that root belongs to declares to
// the checker's options: backends, dictionaries and ACLs as external
// declarations, the vcl blocks' names for include, the snippets' scopes
// from their types, and inline VCL as readable sources.
func (w *Workspace) withTerraform(opts Options, root string, open Buffers) Options {
	idx := w.terraform(open)
	if idx == nil || len(idx.proj.Services) == 0 {
		return opts
	}
	if len(idx.virtual) > 0 {
		base := opts.FS
		opts.FS = virtualFS{idx.virtual, base}
	}
	r := idx.role(root)
	if r == nil {
		return opts
	}
	s := r.svc
	ext := opts.External
	ext.Backends = append([]string(nil), ext.Backends...)
	auto := false
	for _, b := range s.Backends {
		ext.Backends = append(ext.Backends, b.VCLName())
		auto = auto || b.AutoLoadbalance
	}
	if auto {
		ext.Backends = append(ext.Backends, terraform.AutoDirector)
	}
	tables := map[string]catalog.Type{}
	for k, v := range ext.Tables {
		tables[k] = v
	}
	for _, d := range s.Dictionaries {
		tables[d.Name] = catalog.TypeString
	}
	ext.Tables = tables
	ext.ACLs = append([]string(nil), ext.ACLs...)
	for _, a := range s.ACLs {
		ext.ACLs = append(ext.ACLs, a.Name)
	}
	opts.External = ext
	names := map[string]string{}
	for k, v := range opts.IncludeNames {
		names[k] = v
	}
	for _, v := range s.VCLs {
		names[v.Name] = contentName(v.Content, "vcl", v.Name)
	}
	opts.IncludeNames = names
	scopes := map[string]catalog.Sub{}
	for _, sn := range s.Snippets {
		if sub, ok := catalog.ParseSub(sn.Type); ok {
			n := contentName(sn.Content, "snippet", sn.Name)
			scopes[n] = sub
			if !sn.Content.Inline {
				scopes[canonical(n)] = sub
			}
		}
	}
	prev := opts.SnippetScope
	opts.SnippetScope = func(path string) (catalog.Sub, bool) {
		if sub, ok := scopes[path]; ok {
			return sub, true
		}
		if !IsVirtual(path) {
			if sub, ok := scopes[canonical(path)]; ok {
				return sub, true
			}
		}
		if prev != nil {
			return prev(path)
		}
		return 0, false
	}
	return opts
}

// virtualFS serves inline VCL, and reads everything else through base.
type virtualFS struct {
	texts map[string]string
	base  FileSystem
}

func (v virtualFS) ReadFile(path string) (string, error) {
	if t, ok := v.texts[path]; ok {
		return t, nil
	}
	if IsVirtual(path) {
		return "", fmt.Errorf("%s: %w", path, os.ErrNotExist)
	}
	if v.base == nil {
		return OSFileSystem{}.ReadFile(path)
	}
	return v.base.ReadFile(path)
}

// virtualText reads VCL written inline in a Terraform file.
func (w *Workspace) virtualText(name string, open Buffers) (string, error) {
	if idx := w.terraform(open); idx != nil {
		if text, ok := idx.virtual[name]; ok {
			return text, nil
		}
	}
	return "", fmt.Errorf("%s: %w", name, os.ErrNotExist)
}

// InlineSource is VCL written in place inside a Terraform file: a snippet
// or vcl heredoc without interpolations.
type InlineSource struct {
	// Name is the source name (file#terraform:snippet.NAME).
	Name string
	// Start and End are the byte range of the VCL in the file.
	Start, End int
}

// InlineSourcesIn lists the in-place VCL of one Terraform file (see
// InlineSource), in file order.
func (w *Workspace) InlineSourcesIn(file string, open Buffers) []InlineSource {
	idx := w.terraform(open)
	if idx == nil {
		return nil
	}
	var out []InlineSource
	for name, r := range idx.regions {
		if SourceFile(name) == file {
			out = append(out, InlineSource{Name: name, Start: r[0], End: r[1]})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// planSources maps VCL text to where the workspace holds it, for content
// read from `terraform show -json`: the heredocs and strings of the
// workspace's .tf files (so a plan's snippet lands in its heredoc, with
// its breakpoints), then whole .vcl files. It reads every file once and
// also returns the .tf files it read. Texts are compared without leading
// indentation: Terraform strips a `<<-` heredoc's indentation from the
// value it stores, while the in-place heredoc keeps the file's bytes.
func (w *Workspace) planSources(read terraform.ReadFunc, open Buffers) (map[string]terraform.Content, []string) {
	where := map[string]terraform.Content{}
	for _, f := range w.files() {
		if t, err := w.ReadFile(f, open); err == nil {
			if _, dup := where[unindent(t)]; !dup {
				where[unindent(t)] = terraform.Content{Text: t, File: f}
			}
		}
	}
	var tfFiles []string
	groups := w.terraformFiles()
	dirs := make([]string, 0, len(groups))
	for d := range groups {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		p := terraform.LoadModule(d, groups[d], read)
		tfFiles = append(tfFiles, p.Files...)
		for _, s := range p.Services {
			var contents []terraform.Content
			for _, v := range s.VCLs {
				contents = append(contents, v.Content)
			}
			for _, sn := range s.Snippets {
				contents = append(contents, sn.Content)
			}
			for _, c := range contents {
				if c.Inline {
					where[unindent(c.Text)] = c
				}
			}
		}
	}
	return where, tfFiles
}

// unindent drops the leading blanks of every line, the part of VCL text
// that a `<<-` heredoc's value and its bytes in the .tf file differ in.
func unindent(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimLeft(l, " \t")
	}
	return strings.Join(lines, "\n")
}
