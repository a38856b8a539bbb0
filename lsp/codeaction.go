package lsp

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"gopkg.in/yaml.v3"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// codeActions answers textDocument/codeAction with quick fixes for the
// diagnostics in the requested range.
func codeActions(ctx context.Context, q *docQuery, p *protocol.CodeActionParams) (any, error) {
	snap, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	out := []codeAction{}
	if len(p.Context.Only) > 0 {
		want := false
		for _, k := range p.Context.Only {
			if k == protocol.QuickFix || strings.HasPrefix(string(protocol.QuickFix), string(k)+".") {
				want = true
			}
		}
		if !want {
			return out, nil
		}
	}
	lo := q.conv.offset(f.Source, p.Range.Start)
	hi := q.conv.offset(f.Source, p.Range.End)
	b := &actionBuilder{q: q, snap: snap, file: f}
	for _, d := range snap.diags[f.Source.Name] {
		if d.Range.Start > hi || d.Range.End < lo {
			continue
		}
		b.forDiagnostic(d)
	}
	if b.actions != nil {
		out = b.actions
	}
	return out, nil
}

type actionBuilder struct {
	q       *docQuery
	snap    *snapshot
	file    *syntax.File
	actions []codeAction
}

// edit makes a single-file edit.
func (b *actionBuilder) edit(r syntax.Range, text string) *workspaceEdit {
	return &workspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{
		b.q.uri: {{Range: b.q.conv.rng(b.file.Source, r), NewText: text}},
	}}
}

func (b *actionBuilder) add(title string, d protocol.Diagnostic, edit *workspaceEdit, preferred bool) {
	if edit == nil {
		return
	}
	b.actions = append(b.actions, codeAction{Title: title, Kind: protocol.QuickFix, Diagnostics: []protocol.Diagnostic{d}, IsPreferred: preferred, Edit: edit})
}

func (b *actionBuilder) forDiagnostic(d *analysis.Diagnostic) {
	ld := toLSPDiagnostic(d, b.q.conv, b.q.s.sess.uriOf)
	switch d.Code {
	case analysis.CodeMissingMacro:
		if macro := d.Data["macro"]; macro != "" {
			b.add("Insert `"+macro+"`", ld, b.insertAtTop(d.Range.Start, macro, false), true)
		}
	case analysis.CodeUndeclaredLocal:
		if name := d.Data["name"]; name != "" {
			typ := d.Data["type"]
			if typ == "" {
				typ = b.inferLocalType(d.Range.Start).String()
			}
			stmt := "declare local " + name + " " + typ + ";"
			b.add("Declare `"+stmt+"`", ld, b.insertAtTop(d.Range.Start, stmt, true), len(d.Suggestions) == 0)
		}
	case analysis.CodeUndefinedBackend, analysis.CodeUndefinedACL, analysis.CodeUndefinedTable:
		if e, title := b.configEdit(d.Data["kind"], d.Data["name"]); e != nil {
			b.add(title, ld, e, false)
		}
	}
	for i, s := range d.Suggestions {
		title := "Change to `" + s + "`"
		if d.Code == analysis.CodeInvalidReturn {
			title = "Return `" + s + "` instead"
		}
		b.add(title, ld, b.edit(d.Range, s), i == 0)
	}
	if d.Code != analysis.CodeSyntax {
		b.add("Ignore this diagnostic (`# vclide:ignore "+d.Code+"`)", ld, b.ignoreEdit(d), false)
	}
}

// lineIndent returns the whitespace that starts the line holding pos.
func lineIndent(src *syntax.Source, pos syntax.Pos) (syntax.Pos, string) {
	line := src.Position(pos).Line - 1
	start := src.LineStart(line)
	text := src.LineText(line)
	return start, text[:len(text)-len(strings.TrimLeft(text, " \t"))]
}

// ignoreEdit inserts `# vclide:ignore CODE` on the line before the
// diagnostic, indented like it.
func (b *actionBuilder) ignoreEdit(d *analysis.Diagnostic) *workspaceEdit {
	start, indent := lineIndent(b.file.Source, d.Range.Start)
	return b.edit(syntax.Range{Start: start, End: start}, indent+"# vclide:ignore "+d.Code+"\n")
}

// insertAtTop inserts a line at the top of the body of the subroutine
// holding pos: after its `{`, and after a leading #FASTLY macro when
// afterMacro is set. In a snippet file it goes before the first statement.
func (b *actionBuilder) insertAtTop(pos syntax.Pos, line string, afterMacro bool) *workspaceEdit {
	src := b.file.Source
	sub := b.snap.prog.SubAt(b.file, pos)
	if sub == nil {
		// The macro diagnostic sits on the sub's name.
		for _, s := range b.snap.prog.SubList {
			if s.Decl != nil && s.File == b.file && s.Decl.Name.Range.Contains(pos) {
				sub = s
			}
		}
	}
	if sub == nil || sub.Body == nil {
		return nil
	}
	if sub.Decl == nil || sub.File != b.file {
		// A snippet: before its first statement, at that statement's indent.
		body := b.file.Snippet
		if body == nil || len(body.Stmts) == 0 {
			return nil
		}
		first := body.Stmts[0]
		if _, ok := first.(*syntax.MacroStmt); ok && afterMacro && len(body.Stmts) > 1 {
			first = body.Stmts[1]
		}
		start, indent := lineIndent(src, first.Span().Start)
		return b.edit(syntax.Range{Start: start, End: start}, indent+line+"\n")
	}
	body := sub.Body
	_, subIndent := lineIndent(src, sub.Decl.Start)
	indent := subIndent + "  "
	at := body.Start + 1
	if len(body.Stmts) > 0 {
		first := body.Stmts[0]
		if src.Position(first.Span().Start).Line != src.Position(body.Start).Line {
			_, indent = lineIndent(src, first.Span().Start)
		}
		if m, ok := first.(*syntax.MacroStmt); ok && afterMacro {
			at = m.End
		}
	}
	return b.edit(syntax.Range{Start: at, End: at}, "\n"+indent+line)
}

// inferLocalType guesses the type of an undeclared local from its use:
// the value assigned to it, or the target it is assigned to.
func (b *actionBuilder) inferLocalType(pos syntax.Pos) catalog.Type {
	path := syntax.PathTo(b.file, pos)
	for i := len(path) - 1; i >= 0; i-- {
		if set, ok := path[i].(*syntax.SetStmt); ok {
			if set.Target != nil && set.Target.Range.Contains(pos) && set.Value != nil {
				if t := b.snap.prog.TypeOf(set.Value); t != catalog.TypeUnknown && t != catalog.TypeVoid {
					return t
				}
			} else if set.Target != nil {
				if v, ok := b.snap.prog.RefOf(set.Target).(*catalog.Variable); ok {
					return v.Type
				}
			}
			break
		}
	}
	return catalog.TypeString
}

// configKeys map the kind named in an undefined-* diagnostic to the
// declarations key of .vclide.yaml.
var configKeys = map[string]string{"backend": "backends", "ACL": "acls", "table": "tables"}

// configEdit adds a declaration to the nearest .vclide.yaml, creating the
// file in the workspace folder when there is none.
func (b *actionBuilder) configEdit(kind, name string) (*workspaceEdit, string) {
	key := configKeys[kind]
	if key == "" || name == "" {
		return nil, ""
	}
	sess := b.q.s.sess
	path := sess.configs.find(b.q.path)
	exists := path != ""
	if !exists {
		dir := filepath.Dir(b.q.path)
		sess.mu.Lock()
		for _, f := range sess.folders {
			if rel, err := filepath.Rel(f, b.q.path); err == nil && !strings.HasPrefix(rel, "..") {
				dir = f
				break
			}
		}
		sess.mu.Unlock()
		path = filepath.Join(dir, configFileName)
	}
	var old string
	if exists {
		if d := sess.doc(path); d != nil {
			old = d.text
		} else if data, err := analysis.ReadFileLimited(path, 0); err == nil {
			old = string(data)
		} else {
			return nil, ""
		}
	}
	text, ok := addDeclaration(old, key, name)
	if !ok {
		return nil, ""
	}
	title := "Declare " + kind + " " + name + " in " + configFileName
	uri := pathToURI(path)
	if exists {
		src := syntax.NewSource(path, old)
		full := protocol.Range{Start: protocol.Position{}, End: b.q.conv.position(src, syntax.Pos(len(old)))}
		return &workspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{uri: {{Range: full, NewText: text}}}}, title
	}
	b.q.s.mu.Lock()
	caps := b.q.s.caps
	b.q.s.mu.Unlock()
	canCreate := false
	if caps.Workspace != nil && caps.Workspace.WorkspaceEdit != nil && caps.Workspace.WorkspaceEdit.DocumentChanges {
		for _, op := range caps.Workspace.WorkspaceEdit.ResourceOperations {
			if op == "create" {
				canCreate = true
			}
		}
	}
	if !canCreate {
		return nil, ""
	}
	return &workspaceEdit{DocumentChanges: []resourceEdit{
		{Kind: "create", URI: uri, Options: &createFileOptions{IgnoreIfExists: true}},
		{TextDocument: &protocol.OptionalVersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: uri}}, Edits: []protocol.TextEdit{{NewText: text}}},
	}}, title + " (creates it)"
}

// addDeclaration adds name under declarations.<key> in a configuration's
// YAML text, keeping the rest of the document (comments included).
func addDeclaration(text, key, name string) (string, bool) {
	var doc yaml.Node
	if strings.TrimSpace(text) != "" {
		if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
			return "", false
		}
	}
	if doc.Kind == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return "", false
	}
	decl := mappingChild(doc.Content[0], "declarations", yaml.MappingNode)
	if decl == nil {
		return "", false
	}
	if key == "tables" {
		tables := mappingChild(decl, key, yaml.MappingNode)
		if tables == nil {
			return "", false
		}
		for i := 0; i+1 < len(tables.Content); i += 2 {
			if tables.Content[i].Value == name {
				return "", false
			}
		}
		tables.Content = append(tables.Content, scalar(name), scalar("STRING"))
	} else {
		list := mappingChild(decl, key, yaml.SequenceNode)
		if list == nil {
			return "", false
		}
		for _, n := range list.Content {
			if n.Value == name {
				return "", false
			}
		}
		list.Content = append(list.Content, scalar(name))
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return "", false
	}
	_ = enc.Close()
	return buf.String(), true
}

func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }

// mappingChild returns the value of key in a mapping, adding it (of the
// given kind) when absent; nil when the existing value has another kind.
func mappingChild(m *yaml.Node, key string, kind yaml.Kind) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			if v.Kind == yaml.ScalarNode && (v.Tag == "!!null" || v.Value == "") {
				*v = yaml.Node{Kind: kind}
				if kind == yaml.SequenceNode {
					v.Style = yaml.FlowStyle
				}
			}
			if v.Kind != kind {
				return nil
			}
			return v
		}
	}
	v := &yaml.Node{Kind: kind}
	if kind == yaml.SequenceNode {
		v.Style = yaml.FlowStyle
	}
	m.Content = append(m.Content, scalar(key), v)
	return v
}
