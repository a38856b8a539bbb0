package terraform

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// ResourceType is the Terraform resource type of a Fastly VCL service.
const ResourceType = "fastly_service_vcl"

// module is one directory of .tf files being evaluated.
type module struct {
	dir   string
	read  ReadFunc
	proj  *Project
	ctx   *hcl.EvalContext
	files map[string][]byte // .tf path → source
}

// LoadModule reads the .tf files of one Terraform module (one directory)
// and returns its fastly_service_vcl services. A file with an HCL syntax
// error is left out entirely, with a warning at the error; so is every
// value that cannot be evaluated statically. Only literals, var.* (their
// defaults, or terraform.tfvars and *.auto.tfvars), local.*, path.module,
// file() and templatefile() with static arguments are evaluated.
func LoadModule(dir string, tfFiles []string, read ReadFunc) *Project {
	m := &module{dir: dir, read: read, proj: &Project{}, files: map[string][]byte{}}
	sort.Strings(tfFiles)
	var bodies []*hclsyntax.Body
	for _, path := range tfFiles {
		body := m.parse(path)
		if body != nil {
			bodies = append(bodies, body)
		}
	}
	m.buildContext(bodies)
	for _, body := range bodies {
		for _, b := range body.Blocks {
			if b.Type == "resource" && len(b.Labels) == 2 && b.Labels[0] == ResourceType {
				m.proj.Services = append(m.proj.Services, m.service(b))
			}
		}
	}
	for _, body := range bodies {
		for _, b := range body.Blocks {
			if b.Type != "resource" || len(b.Labels) != 2 {
				continue
			}
			switch b.Labels[0] {
			case "fastly_service_dictionary_items":
				m.dictionaryItems(b)
			case "fastly_service_acl_entries":
				m.aclEntries(b)
			}
		}
	}
	return m.proj
}

// parse reads and parses one .tf file; nil when it cannot be used.
func (m *module) parse(path string) *hclsyntax.Body {
	text, err := m.read(path)
	if err != nil {
		m.proj.Warnings = append(m.proj.Warnings, Warning{Pos{File: path, Line: 1, Col: 1}, "Terraform file not read: " + err.Error()})
		return nil
	}
	m.proj.Files = append(m.proj.Files, path)
	src := []byte(text)
	f, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				m.warnDiag(d, "HCL syntax error, file ignored (declarations in .vclide.yaml still apply)")
			}
		}
		return nil
	}
	m.files[path] = src
	body, _ := f.Body.(*hclsyntax.Body)
	return body
}

func (m *module) warn(r hcl.Range, msg string) {
	m.proj.Warnings = append(m.proj.Warnings, Warning{Pos{File: r.Filename, Line: r.Start.Line, Col: r.Start.Column, Offset: r.Start.Byte}, msg})
}

func (m *module) warnDiag(d *hcl.Diagnostic, prefix string) {
	r := hcl.Range{Filename: "", Start: hcl.InitialPos}
	if d.Subject != nil {
		r = *d.Subject
	}
	msg := d.Summary
	if d.Detail != "" {
		msg += ": " + d.Detail
	}
	m.warn(r, prefix+": "+msg)
}

// buildContext evaluates the variables' defaults (overridden by tfvars)
// and the locals that depend only on static values.
func (m *module) buildContext(bodies []*hclsyntax.Body) {
	vars := map[string]cty.Value{}
	locals := map[string]*hclsyntax.Attribute{}
	static := &hcl.EvalContext{Functions: m.functions()}
	static.Variables = map[string]cty.Value{"path": m.pathObject()}
	for _, body := range bodies {
		for _, b := range body.Blocks {
			switch {
			case b.Type == "variable" && len(b.Labels) == 1:
				if a := b.Body.Attributes["default"]; a != nil {
					v, diags := a.Expr.Value(static)
					if diags.HasErrors() || !v.IsWhollyKnown() {
						m.warn(a.Expr.Range(), "variable "+b.Labels[0]+": default cannot be evaluated statically; references to it are left out")
						continue
					}
					vars[b.Labels[0]] = v
				}
			case b.Type == "locals":
				for name, a := range b.Body.Attributes {
					locals[name] = a
				}
			}
		}
	}
	m.tfvars(vars, static)
	ctx := &hcl.EvalContext{Functions: m.functions(), Variables: map[string]cty.Value{
		"var":  cty.ObjectVal(vars),
		"path": m.pathObject(),
	}}
	// Locals may refer to each other: evaluate until no more resolve.
	done := map[string]cty.Value{}
	for progress := true; progress && len(done) < len(locals); {
		progress = false
		ctx.Variables["local"] = cty.ObjectVal(done)
		for name, a := range locals {
			if _, ok := done[name]; ok {
				continue
			}
			v, diags := a.Expr.Value(ctx)
			if !diags.HasErrors() && v.IsWhollyKnown() {
				done[name] = v
				progress = true
				ctx.Variables["local"] = cty.ObjectVal(done)
			}
		}
	}
	ctx.Variables["local"] = cty.ObjectVal(done)
	m.ctx = ctx
}

// tfvars applies terraform.tfvars and *.auto.tfvars of the module.
func (m *module) tfvars(vars map[string]cty.Value, ctx *hcl.EvalContext) {
	matches, _ := filepath.Glob(filepath.Join(m.dir, "*.auto.tfvars"))
	paths := append([]string{filepath.Join(m.dir, "terraform.tfvars")}, matches...)
	for _, p := range paths {
		text, err := m.read(p)
		if err != nil {
			continue
		}
		f, diags := hclsyntax.ParseConfig([]byte(text), p, hcl.InitialPos)
		if diags.HasErrors() {
			for _, d := range diags {
				m.warnDiag(d, "HCL syntax error, file ignored")
			}
			continue
		}
		m.proj.Files = append(m.proj.Files, p)
		for name, a := range f.Body.(*hclsyntax.Body).Attributes {
			v, diags := a.Expr.Value(ctx)
			if diags.HasErrors() || !v.IsWhollyKnown() {
				m.warn(a.Expr.Range(), "variable "+name+": value cannot be evaluated statically; left out")
				continue
			}
			vars[name] = v
		}
	}
}

func (m *module) pathObject() cty.Value {
	d := cty.StringVal(m.dir)
	return cty.ObjectVal(map[string]cty.Value{"module": d, "root": d, "cwd": d})
}

// functions are the only functions evaluated: file and templatefile.
func (m *module) functions() map[string]function.Function {
	return map[string]function.Function{
		"file": function.New(&function.Spec{
			Params: []function.Parameter{{Name: "path", Type: cty.String}},
			Type:   function.StaticReturnType(cty.String),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				text, err := m.read(abs(m.dir, args[0].AsString()))
				if err != nil {
					return cty.NilVal, err
				}
				return cty.StringVal(text), nil
			},
		}),
		"templatefile": function.New(&function.Spec{
			Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "vars", Type: cty.DynamicPseudoType}},
			Type:   function.StaticReturnType(cty.String),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				text, _, err := m.template(abs(m.dir, args[0].AsString()), args[1])
				if err != nil {
					return cty.NilVal, err
				}
				return cty.StringVal(text), nil
			},
		}),
	}
}

// template renders a template file with vars; raw is the file's text.
func (m *module) template(path string, vars cty.Value) (text, raw string, err error) {
	raw, err = m.read(path)
	if err != nil {
		return "", "", err
	}
	if !vars.IsWhollyKnown() || vars.IsNull() || !(vars.Type().IsObjectType() || vars.Type().IsMapType()) {
		return "", "", fmt.Errorf("templatefile: vars must be a map or object of static values")
	}
	expr, diags := hclsyntax.ParseTemplate([]byte(raw), path, hcl.InitialPos)
	if diags.HasErrors() {
		return "", "", fmt.Errorf("templatefile: %s", diags.Error())
	}
	ctx := &hcl.EvalContext{Variables: vars.AsValueMap(), Functions: m.functions()}
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		return "", "", fmt.Errorf("templatefile: %s", diags.Error())
	}
	v, cerr := convert.Convert(v, cty.String)
	if cerr != nil || !v.IsKnown() || v.IsNull() {
		return "", "", fmt.Errorf("templatefile: the result is not a string")
	}
	return v.AsString(), raw, nil
}

// eval evaluates an expression statically; ok is false (with a warning
// naming what) when it cannot.
func (m *module) eval(expr hcl.Expression, what string) (cty.Value, bool) {
	v, diags := expr.Value(m.ctx)
	if diags.HasErrors() {
		msg := what + " cannot be evaluated statically"
		for _, d := range diags {
			if d.Severity == hcl.DiagError {
				msg += " (" + strings.TrimSuffix(d.Summary, ".")
				if d.Detail != "" {
					msg += ": " + strings.TrimSuffix(d.Detail, ".")
				}
				msg += ")"
				break
			}
		}
		m.warn(expr.Range(), msg+"; left out")
		return cty.NilVal, false
	}
	if !v.IsWhollyKnown() {
		m.warn(expr.Range(), what+" cannot be evaluated statically; left out")
		return cty.NilVal, false
	}
	return v, true
}

// str evaluates attribute name of body as a string; present is false when
// the attribute is absent, ok false when it could not be evaluated.
func (m *module) str(body *hclsyntax.Body, name, what string) (s string, present, ok bool) {
	a := body.Attributes[name]
	if a == nil {
		return "", false, true
	}
	v, ok := m.eval(a.Expr, what+" "+name)
	if !ok {
		return "", true, false
	}
	if v.IsNull() {
		return "", false, true
	}
	sv, err := convert.Convert(v, cty.String)
	if err != nil {
		m.warn(a.Expr.Range(), what+" "+name+": not a string; left out")
		return "", true, false
	}
	return sv.AsString(), true, true
}

// integer evaluates attribute name as a whole number.
func (m *module) integer(body *hclsyntax.Body, name, what string) (n int, present bool) {
	a := body.Attributes[name]
	if a == nil {
		return 0, false
	}
	v, ok := m.eval(a.Expr, what+" "+name)
	if !ok || v.IsNull() {
		return 0, false
	}
	nv, err := convert.Convert(v, cty.Number)
	if err != nil {
		m.warn(a.Expr.Range(), what+" "+name+": not a number; left out")
		return 0, false
	}
	i, acc := nv.AsBigFloat().Int64()
	if acc != 0 {
		m.warn(a.Expr.Range(), what+" "+name+": not a whole number; left out")
		return 0, false
	}
	return int(i), true
}

// boolean evaluates attribute name as a bool.
func (m *module) boolean(body *hclsyntax.Body, name, what string) (b, present bool) {
	a := body.Attributes[name]
	if a == nil {
		return false, false
	}
	v, ok := m.eval(a.Expr, what+" "+name)
	if !ok || v.IsNull() {
		return false, false
	}
	bv, err := convert.Convert(v, cty.Bool)
	if err != nil {
		m.warn(a.Expr.Range(), what+" "+name+": not a bool; left out")
		return false, false
	}
	return bv.True(), true
}

func posOf(p hcl.Pos, file string) Pos {
	return Pos{File: file, Line: p.Line, Col: p.Column, Offset: p.Byte}
}

// content evaluates a `content` attribute: file() and templatefile() keep
// the file they read; a heredoc without interpolations is in place.
func (m *module) content(a *hclsyntax.Attribute, what string) (Content, bool) {
	r := a.Expr.Range()
	at := posOf(r.Start, r.Filename)
	if call, ok := a.Expr.(*hclsyntax.FunctionCallExpr); ok && (call.Name == "file" || call.Name == "templatefile") && len(call.Args) >= 1 && !call.ExpandFinal {
		pv, ok := m.eval(call.Args[0], what+": the path given to "+call.Name+"()")
		if !ok {
			return Content{}, false
		}
		pv, err := convert.Convert(pv, cty.String)
		if err != nil || pv.IsNull() {
			m.warn(call.Args[0].Range(), what+": the path given to "+call.Name+"() is not a string; left out")
			return Content{}, false
		}
		path := abs(m.dir, pv.AsString())
		if call.Name == "file" && len(call.Args) == 1 {
			text, err := m.read(path)
			if err != nil {
				m.warn(r, what+": "+call.Name+"(): "+err.Error()+"; left out")
				return Content{}, false
			}
			m.proj.Files = append(m.proj.Files, path)
			return Content{Text: text, File: path}, true
		}
		if call.Name == "templatefile" && len(call.Args) == 2 {
			vars, ok := m.eval(call.Args[1], what+": the vars given to templatefile()")
			if !ok {
				return Content{}, false
			}
			text, raw, err := m.template(path, vars)
			if err != nil {
				m.warn(r, what+": "+err.Error()+"; left out")
				return Content{}, false
			}
			m.proj.Files = append(m.proj.Files, path)
			if text == raw {
				return Content{Text: text, File: path}, true
			}
			// Rendered text is not the file's: it has no place on disk.
			return Content{Text: text, File: path, Inline: true, Start: Pos{File: path, Line: 1, Col: 1}}, true
		}
	}
	v, ok := m.eval(a.Expr, what)
	if !ok {
		return Content{}, false
	}
	sv, err := convert.Convert(v, cty.String)
	if err != nil || sv.IsNull() {
		m.warn(r, what+": not a string; left out")
		return Content{}, false
	}
	c := Content{Text: sv.AsString(), File: r.Filename, Inline: true, Start: at}
	if start, end, ok := m.literalHeredoc(a.Expr); ok {
		c.InPlace, c.Start, c.End = true, start, end
		c.Text = string(m.files[r.Filename][start.Offset:end.Offset])
	}
	return c, true
}

// literalHeredoc finds the source bytes of a heredoc whose parts are all
// literals (no interpolation, no escapes that change the text), so the VCL
// can be analysed where it is written. VCL does not care about the
// indentation <<- strips.
func (m *module) literalHeredoc(expr hclsyntax.Expression) (start, end Pos, ok bool) {
	t, isT := expr.(*hclsyntax.TemplateExpr)
	src := m.files[expr.Range().Filename]
	r := expr.Range()
	if !isT || len(t.Parts) == 0 || src == nil || r.Start.Byte+2 > len(src) || string(src[r.Start.Byte:r.Start.Byte+2]) != "<<" {
		return Pos{}, Pos{}, false
	}
	for _, p := range t.Parts {
		if _, lit := p.(*hclsyntax.LiteralValueExpr); !lit {
			return Pos{}, Pos{}, false
		}
	}
	first, last := t.Parts[0].Range(), t.Parts[len(t.Parts)-1].Range()
	raw := string(src[first.Start.Byte:last.End.Byte])
	if strings.Contains(raw, "$${") || strings.Contains(raw, "%%{") {
		return Pos{}, Pos{}, false
	}
	return posOf(first.Start, r.Filename), posOf(last.End, r.Filename), true
}
