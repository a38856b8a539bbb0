package analysis

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/analysis/terraform"
)

// DeclarationsName is the file name of the declarations Fastly generates
// from a Terraform service (backends, directors, tables, ACLs) when the
// service is assembled; it exists only in memory, next to the main VCL.
const DeclarationsName = "vclide-terraform-service.vcl"

// serviceFor finds the Terraform service an entry file stands for: the
// service whose VCL or snippet it is, or the (first) service a .tf or JSON
// entry defines.
func (w *Workspace) serviceFor(path string, open Buffers) (*terraform.Service, *tfIndex) {
	idx := w.terraform(open)
	if idx == nil {
		return nil, nil
	}
	if r := idx.role(path); r != nil {
		return r.svc, idx
	}
	cp := canonical(path)
	for _, s := range idx.proj.Services {
		if canonical(s.File) == cp {
			return s, idx
		}
	}
	return nil, idx
}

// loadService assembles a Terraform service as Fastly does: the generated
// declarations (backends from the resource, directors, dictionaries with
// their items, ACLs with their entries) and the init snippets at the top
// level, then the main VCL with every other snippet inserted after its
// #FASTLY macro, in priority order. Snippets keep their own files (or
// their place in the .tf file), so positions and breakpoints stay theirs.
// ok is false when path belongs to no service.
func (w *Workspace) loadService(path string, open Buffers) (prog *Program, note string, ok bool, err error) {
	s, idx := w.serviceFor(path, open)
	if s == nil {
		return nil, "", false, nil
	}
	f, opts, note, err := w.assemble(s, idx, open)
	if err != nil {
		return nil, "", true, err
	}
	return check(f, opts), note, true, nil
}

// assemble builds the service's main file with the snippets and generated
// declarations spliced in as includes, and the options to check it with.
func (w *Workspace) assemble(s *terraform.Service, idx *tfIndex, open Buffers) (*syntax.File, Options, string, error) {
	main := s.Main()
	if main == nil {
		return nil, Options{}, "", fmt.Errorf("%s (%s) has no main vcl block that vclide could read (see the warnings of vclide lint)", s.Address, filepath.Base(s.File))
	}
	mainName := contentName(main.Content, "vcl", main.Name)
	opts := w.withTerraform(w.options(open), mainName, open)
	// The assembled program declares the service's backends, tables and
	// ACLs itself.
	opts.External = w.base.External
	text, err := opts.FS.ReadFile(mainName)
	if err != nil {
		return nil, Options{}, "", err
	}
	decls, skipped := s.DeclarationsVCL()
	declName := filepath.Join(filepath.Dir(SourceFile(mainName)), DeclarationsName)
	texts := map[string]string{declName: decls}
	for k, v := range idx.virtual {
		texts[k] = v
	}
	opts.FS = virtualFS{texts, opts.FS}

	f := syntax.Parse(mainName, text)
	inc := func(p string, at syntax.Range) *syntax.StringLit {
		return &syntax.StringLit{Range: at, Value: p}
	}
	// Generated declarations and init snippets come first.
	var top []syntax.Decl
	var incs []syntax.Node
	d := &syntax.IncludeDecl{Path: inc(declName, syntax.Range{})}
	top, incs = append(top, d), append(incs, d)
	for _, sn := range s.SnippetsOfType("init") {
		d := &syntax.IncludeDecl{Path: inc(contentName(sn.Content, "snippet", sn.Name), syntax.Range{})}
		top, incs = append(top, d), append(incs, d)
	}
	placed := map[string]bool{}
	for _, decl := range f.Decls {
		sd, ok := decl.(*syntax.SubDecl)
		if !ok || sd.Body == nil {
			continue
		}
		var stmts []syntax.Stmt
		for _, st := range sd.Body.Stmts {
			stmts = append(stmts, st)
			m, ok := st.(*syntax.MacroStmt)
			if !ok || placed[m.Name] {
				continue
			}
			placed[m.Name] = true
			for _, sn := range s.SnippetsOfType(m.Name) {
				is := &syntax.IncludeStmt{Range: m.Range, Path: inc(contentName(sn.Content, "snippet", sn.Name), m.Range)}
				stmts = append(stmts, is)
				incs = append(incs, is)
			}
		}
		sd.Body.Stmts = stmts
	}
	f.Decls = append(top, f.Decls...)
	f.Includes = append(incs, f.Includes...)

	var missing []string
	for _, sn := range s.Snippets {
		if sn.Type != "init" && sn.Type != "none" && !placed[sn.Type] {
			missing = append(missing, fmt.Sprintf("%s (%s: the main VCL has no #FASTLY %s)", sn.Name, sn.Type, sn.Type))
		}
	}
	note := fmt.Sprintf("terraform: service %q (%s in %s): main VCL %q, %s, %s, %s, %s",
		s.Label(), s.Address, filepath.Base(s.File), main.Name, count(len(s.Snippets), "snippet", "snippets"),
		count(len(s.Backends), "backend", "backends"), count(len(s.Dictionaries), "dictionary", "dictionaries"), count(len(s.ACLs), "acl", "acls"))
	if len(missing) > 0 {
		note += "; not inserted: " + strings.Join(missing, ", ")
	}
	if len(skipped) > 0 {
		note += "; left out: " + strings.Join(skipped, ", ")
	}
	return f, opts, note, nil
}

// serviceOfMain returns the service whose main VCL path is, if any.
func (w *Workspace) serviceOfMain(path string, open Buffers) (*terraform.Service, *tfIndex) {
	idx := w.terraform(open)
	if r := idx.role(path); r != nil && r.vcl != nil && r.vcl.Main {
		return r.svc, idx
	}
	return nil, nil
}

// count says "1 backend" or "2 backends".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
