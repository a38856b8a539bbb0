package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/internal/lru"
)

// completer builds the items for one completion request.
type completer struct {
	q       *docQuery
	snap    *snapshot
	file    *syntax.File
	cc      *cursorContext
	rng     protocol.Range // the range the items replace (the typed prefix)
	snippet bool           // the client accepts snippets
	scopes  catalog.SubSet
	items   []completionItem
	// defaults: the client takes itemDefaults.editRange, so items need no
	// textEdit of their own.
	defaults bool
}

// completionItem is a CompletionItem with LSP 3.17's textEditText.
type completionItem struct {
	protocol.CompletionItem
	TextEditText string `json:"textEditText,omitempty"`
}

// completionList is a CompletionList with LSP 3.17's itemDefaults.
type completionList struct {
	IsIncomplete bool             `json:"isIncomplete"`
	ItemDefaults *itemDefaults    `json:"itemDefaults,omitempty"`
	Items        []completionItem `json:"items"`
}

type itemDefaults struct {
	EditRange protocol.Range `json:"editRange"`
}

// Sort groups: lower sorts first.
const (
	sortLocal   = "1"
	sortContext = "2"
	sortVar     = "3"
	sortFunc    = "4"
	sortKeyword = "5"
)

// completion answers textDocument/completion.
func completion(ctx context.Context, q *docQuery, p *protocol.CompletionParams) (any, error) {
	snap, f, err := q.snapshot()
	if err != nil {
		return nil, err
	}
	pos := q.conv.offset(f.Source, p.Position)
	cc := analyzeCursor(snap.prog, f, pos)
	q.s.mu.Lock()
	caps := q.s.caps
	q.s.mu.Unlock()
	c := &completer{
		q: q, snap: snap, file: f, cc: cc,
		rng:      q.conv.rng(f.Source, syntax.Range{Start: cc.start, End: pos}),
		snippet:  caps.snippets(),
		defaults: caps.itemDefault("editRange"),
	}
	if cc.sub != nil {
		c.scopes = cc.sub.Scopes
	}
	if p.Context != nil && p.Context.TriggerKind == protocol.CompletionTriggerKindTriggerCharacter && !triggerWanted(p.Context.TriggerCharacter, cc) {
		return emptyList(), nil
	}
	c.build()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return c.finish(), nil
}

// triggerWanted reports whether a trigger character opens completion in
// this context: "." always; a space, "=", "~", "(" and "#" only where they
// introduce a name (after set, call, return(, `req.backend =`, `~`, …).
func triggerWanted(ch string, cc *cursorContext) bool {
	switch ch {
	case ".":
		return true
	case " ":
		switch cc.kind {
		case curSetTarget, curUnsetTarget, curCall, curGoto, curSubName, curDeclare, curDeclareType, curACL, curComment:
			return true
		case curExpr:
			return cc.want == catalog.TypeBackend
		}
		return false
	case "=":
		return cc.kind == curExpr && cc.want == catalog.TypeBackend
	case "~":
		return cc.kind == curACL
	case "(":
		return cc.kind == curReturn || cc.kind == curExpr && cc.call != nil
	case "#":
		return cc.kind == curComment
	}
	return true
}

func emptyList() *completionList {
	return &completionList{Items: []completionItem{}}
}

// finish gives every item its edit of the typed prefix: through the list's
// default edit range when the client takes it, else one textEdit each.
func (c *completer) finish() *completionList {
	list := &completionList{Items: c.items}
	if list.Items == nil {
		list.Items = []completionItem{}
	}
	if c.defaults {
		list.ItemDefaults = &itemDefaults{EditRange: c.rng}
	}
	edits := make([]protocol.TextEdit, len(list.Items))
	for i := range list.Items {
		it := &list.Items[i]
		if it.TextEdit != nil {
			continue // an edit of its own (the #FASTLY macro)
		}
		text := it.InsertText
		if text == "" {
			text = it.Label
		}
		it.InsertText = ""
		if c.defaults {
			if text != it.Label {
				it.TextEditText = text
			}
			continue
		}
		edits[i] = protocol.TextEdit{Range: c.rng, NewText: text}
		it.TextEdit = &edits[i]
	}
	return list
}

func (c *completer) build() {
	cc := c.cc
	switch cc.kind {
	case curComment:
		c.macros()
	case curTopLevel:
		c.topLevel()
	case curSubName:
		c.subBoilerplates(false)
	case curStatement:
		c.statementKeywords()
		if strings.HasPrefix(cc.prefix, "var.") {
			c.locals(false)
		}
		c.functions(true)
	case curSetTarget:
		if c.headers("set") {
			return
		}
		c.locals(false)
		c.variables("set")
	case curUnsetTarget:
		if c.headers("unset") {
			return
		}
		c.variables("unset")
	case curDeclare:
		c.keyword("local", "declare local var.NAME TYPE;")
	case curDeclareType:
		for _, t := range catalog.DeclarableTypes {
			c.add(protocol.CompletionItem{Label: t.String(), Kind: protocol.CompletionItemKindTypeParameter, Detail: "type", SortText: sortContext})
		}
	case curReturn:
		c.returnActions()
	case curCall:
		c.subs()
	case curGoto:
		if cc.sub != nil {
			for _, l := range sortedSymbols(cc.sub.Labels) {
				c.add(protocol.CompletionItem{Label: l.Name, Kind: protocol.CompletionItemKindReference, Detail: "label", SortText: sortContext})
			}
		}
	case curACL:
		c.globals(analysis.SymACL)
	case curExpr:
		c.expression()
	}
}

// expression offers what can be read here, led by what fits the context.
func (c *completer) expression() {
	cc := c.cc
	switch cc.want {
	case catalog.TypeBackend:
		// Backends and directors, and the variables that hold one.
		c.globals(analysis.SymBackend, analysis.SymDirector)
		for _, v := range catalog.Variables() {
			if v.Type == catalog.TypeBackend && !v.Pattern && c.allowed(v.Read) {
				c.add(protocol.CompletionItem{Label: v.Name, Kind: protocol.CompletionItemKindVariable,
					Detail: v.Type.String() + " · " + c.accessSummary(v), Documentation: shortDoc(v.Description), SortText: sortVar + v.Name})
			}
		}
		return
	case catalog.TypeTable:
		c.globals(analysis.SymTable)
		return
	case catalog.TypeACL:
		c.globals(analysis.SymACL)
		return
	case catalog.TypeID:
		if cc.call != nil {
			switch name := paramNameOf(cc.call); {
			case name == "rc" || strings.Contains(name, "ratecounter"):
				c.globals(analysis.SymRatecounter)
				return
			case name == "pb" || strings.Contains(name, "penaltybox"):
				c.globals(analysis.SymPenaltybox)
				return
			case strings.HasPrefix(cc.call.name, "table."):
				c.globals(analysis.SymTable)
				return
			}
		}
	}
	if c.headers("read") {
		return
	}
	c.locals(true)
	c.variables("read")
	c.functions(false)
	if cc.prefix == "" || !strings.Contains(cc.prefix, ".") {
		for _, w := range []string{"true", "false"} {
			c.add(protocol.CompletionItem{Label: w, Kind: protocol.CompletionItemKindKeyword, Detail: "BOOL", SortText: sortKeyword})
		}
	}
}

// add appends an item; finish gives it the edit of the typed prefix.
func (c *completer) add(it protocol.CompletionItem) {
	c.items = append(c.items, completionItem{CompletionItem: it})
}

// namespaceOf returns the part of a dotted prefix up to its last dot
// ("req.ht" → "req.").
func namespaceOf(prefix string) string {
	if i := strings.LastIndexByte(prefix, '.'); i >= 0 {
		return prefix[:i+1]
	}
	return ""
}

// allowed reports whether a set of subroutines covers every scope the
// cursor's code may run in (unknown scopes allow everything).
func (c *completer) allowed(set catalog.SubSet) bool {
	if c.scopes == 0 {
		return set != 0
	}
	return c.scopes&^set == 0
}

// variables offers the predefined variables accessible here with the
// given access ("read", "set" or "unset").
func (c *completer) variables(mode string) {
	ns := namespaceOf(c.cc.prefix)
	key := itemKey{what: "var-" + mode, scopes: c.scopes, ns: ns}
	tmpl := cachedItems(key, func() []completionItem {
		var out []completionItem
		for _, v := range c.varsIn(ns) {
			if !c.allowed(accessOf(v, mode)) || v.Pattern && !isHeaderFamily(v) {
				continue
			}
			if v.Pattern {
				out = append(out, headerFamilyItem(v))
				continue
			}
			out = append(out, completionItem{CompletionItem: protocol.CompletionItem{
				Label:         v.Name,
				Kind:          protocol.CompletionItemKindVariable,
				Detail:        v.Type.String() + " · " + c.accessSummary(v),
				Documentation: shortDoc(v.Description),
				Deprecated:    v.Deprecated,
				SortText:      sortVar + v.Name,
			}})
		}
		return out
	})
	c.items = append(c.items, tmpl...)
	c.testVariableItems(mode, ns)
	// Families named after the program's objects (backend.F_x.healthy).
	for _, v := range c.varsIn(ns) {
		if v.Pattern && !isHeaderFamily(v) && c.allowed(accessOf(v, mode)) {
			c.patternItems(v)
		}
	}
}

// varsIn lists the catalogue's variables, or those of a namespace.
func (c *completer) varsIn(ns string) []*catalog.Variable {
	if ns != "" {
		return catalog.VariablesWithPrefix(ns)
	}
	return catalog.Variables()
}

// accessOf returns where a variable can be used in a mode.
func accessOf(v *catalog.Variable, mode string) catalog.SubSet {
	switch mode {
	case "set":
		return v.Set
	case "unset":
		return v.Unset
	}
	return v.Read
}

func isHeaderFamily(v *catalog.Variable) bool {
	return v.Pattern && strings.HasSuffix(v.Name, ".http.*")
}

// headerFamilyItem is the "req.http." item that asks for completion again.
func headerFamilyItem(v *catalog.Variable) completionItem {
	prefix := strings.TrimSuffix(v.Name, "*")
	return completionItem{CompletionItem: protocol.CompletionItem{
		Label: prefix, Kind: protocol.CompletionItemKindModule,
		Detail:        v.Type.String() + " · HTTP headers",
		Documentation: shortDoc(v.Description),
		SortText:      sortVar + prefix,
		Command:       &protocol.Command{Title: "headers", Command: "editor.action.triggerSuggest"},
	}}
}

// itemKey identifies a list of items that depends only on the catalogue
// and the context, not on the program.
type itemKey struct {
	what    string
	scopes  catalog.SubSet
	ns      string
	snippet bool
}

// itemCache holds the static item lists, bounded by bytes. Keys are
// copied: their namespace is sliced out of the document being edited.
var itemCache = lru.New(4<<20, itemListBytes, func(k itemKey) itemKey {
	k.what, k.ns = strings.Clone(k.what), strings.Clone(k.ns)
	return k
})

// itemListBytes estimates the memory a cached list keeps alive.
func itemListBytes(k itemKey, items []completionItem) int64 {
	n := int64(len(k.what) + len(k.ns))
	for i := range items {
		it := &items[i]
		n += 256 + int64(len(it.Label)+len(it.Detail)+len(it.SortText)+len(it.FilterText)+len(it.InsertText)+len(it.TextEditText))
		switch d := it.Documentation.(type) {
		case string:
			n += int64(len(d))
		case protocol.MarkupContent:
			n += int64(len(d.Value))
		case *protocol.MarkupContent:
			n += int64(len(d.Value))
		}
	}
	return n
}

// cachedItems returns the cached list for key, building it when needed.
// Callers copy it (append) and never modify it.
func cachedItems(key itemKey, build func() []completionItem) []completionItem {
	if items, ok := itemCache.Get(key); ok {
		return items
	}
	items := build()
	itemCache.Add(key, items)
	return items
}

// patternItems expands a variable family named after the program's
// objects (backend.*.healthy) or numbered (re.group.*).
func (c *completer) patternItems(v *catalog.Variable) {
	star := strings.IndexByte(v.Name, '*')
	prefix, suffix := v.Name[:star], v.Name[star+1:]
	var names []string
	switch prefix {
	case "backend.":
		names = c.globalNames(analysis.SymBackend)
	case "director.":
		names = c.globalNames(analysis.SymDirector)
	case "ratecounter.":
		names = c.globalNames(analysis.SymRatecounter)
	case "re.group.":
		names = []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
	}
	for _, n := range names {
		name := prefix + n + suffix
		c.add(protocol.CompletionItem{
			Label: name, Kind: protocol.CompletionItemKindVariable,
			Detail:        v.Type.String() + " · " + c.accessSummary(v),
			Documentation: shortDoc(v.Description),
			SortText:      sortVar + name,
		})
	}
}

// accessSummary says how a variable can be used in the current scopes:
// "read, set, unset here" or where it is available.
func (c *completer) accessSummary(v *catalog.Variable) string {
	var parts []string
	for _, a := range []struct {
		name string
		set  catalog.SubSet
	}{{"read", v.Read}, {"set", v.Set}, {"unset", v.Unset}} {
		if c.allowed(a.set) {
			parts = append(parts, a.name)
		}
	}
	if len(parts) == 0 {
		return "not available here"
	}
	if len(parts) == 1 && parts[0] == "read" {
		return "read-only here"
	}
	return strings.Join(parts, "/") + " here"
}

// headers offers header names after req.http. and friends; it reports
// whether the prefix was such a header reference.
func (c *completer) headers(mode string) bool {
	prefix := c.cc.prefix
	i := strings.Index(prefix, ".http.")
	if i < 0 {
		return false
	}
	family := prefix[:i+len(".http.")]
	v, ok := lookupVariable(family + "X")
	if !ok || !v.Pattern {
		return false
	}
	access := v.Read
	switch mode {
	case "set":
		access = v.Set
	case "unset":
		access = v.Unset
	}
	if !c.allowed(access) {
		return true // the family cannot be used here: offer nothing
	}
	seen := map[string]bool{}
	add := func(h, detail string) {
		key := strings.ToLower(h)
		if seen[key] {
			return
		}
		seen[key] = true
		c.add(protocol.CompletionItem{
			Label:    family + h,
			Kind:     protocol.CompletionItemKindField,
			Detail:   "STRING · " + detail,
			SortText: sortContext + strings.ToLower(h),
		})
	}
	for _, h := range c.q.s.sess.index.headers() {
		add(h, "used in this workspace")
	}
	for _, h := range c.snap.headers() {
		add(h, "used in this workspace")
	}
	for _, h := range catalog.CommonHeaders() {
		add(h, "HTTP header")
	}
	return true
}

// locals offers the enclosing subroutine's locals and parameters.
func (c *completer) locals(params bool) {
	sub := c.cc.sub
	if sub == nil {
		return
	}
	for _, sym := range sortedSymbols(sub.Locals) {
		if sym.Kind == analysis.SymParam && !params {
			continue
		}
		c.add(protocol.CompletionItem{
			Label:    sym.Name,
			Kind:     protocol.CompletionItemKindVariable,
			Detail:   sym.Type.String() + " · " + sym.Kind.String(),
			SortText: sortLocal + sym.Name,
		})
	}
}

// functions offers the builtin functions callable here: the ones that
// return nothing at the start of a statement, the others in expressions.
func (c *completer) functions(statement bool) {
	ns := namespaceOf(c.cc.prefix)
	what := "fn-expr"
	if statement {
		what = "fn-stmt"
	}
	key := itemKey{what: what, scopes: c.scopes, ns: ns, snippet: c.snippet}
	c.items = append(c.items, cachedItems(key, func() []completionItem {
		fns := catalog.Functions()
		if ns != "" {
			fns = catalog.FunctionsWithPrefix(ns)
		}
		var out []completionItem
		for _, fn := range fns {
			if !c.allowed(fn.Subs) {
				continue
			}
			void := len(fn.Overloads) > 0 && fn.Overloads[0].Return == catalog.TypeVoid
			if void != statement {
				continue
			}
			sig := &fn.Overloads[0]
			it := protocol.CompletionItem{
				Label:         fn.Name,
				Kind:          protocol.CompletionItemKindFunction,
				Detail:        fn.Name + sig.String()[len(sig.Return.String())+1:] + " → " + sig.Return.String(),
				Documentation: shortDoc(fn.Description),
				Deprecated:    fn.Deprecated,
				SortText:      sortFunc + fn.Name,
			}
			c.callInsert(&it, fn.Name, sig.Params, statement)
			out = append(out, completionItem{CompletionItem: it})
		}
		return out
	})...)
	c.testFunctionItems(statement, ns)
}

// callInsert sets the text of a call item: a snippet with a placeholder per
// required parameter when the client takes snippets.
func (c *completer) callInsert(it *protocol.CompletionItem, name string, params []catalog.Param, statement bool) {
	end := ")"
	if statement {
		end = ");"
	}
	if !c.snippet {
		it.InsertText = name + "("
		return
	}
	var b strings.Builder
	b.WriteString(snippetEscape(name))
	b.WriteByte('(')
	n := 0
	for _, p := range params {
		if p.Optional {
			break
		}
		if n > 0 {
			b.WriteString(", ")
		}
		n++
		fmt.Fprintf(&b, "${%d:%s}", n, snippetEscape(p.Name))
	}
	b.WriteString(end)
	b.WriteString("$0")
	it.InsertText = b.String()
	it.InsertTextFormat = protocol.InsertTextFormatSnippet
	it.Command = &protocol.Command{Title: "signature help", Command: "editor.action.triggerParameterHints"}
}

// snippetEscaper escapes the characters that are special in snippets.
var snippetEscaper = strings.NewReplacer(`\`, `\\`, `$`, `\$`, `}`, `\}`)

func snippetEscape(s string) string { return snippetEscaper.Replace(s) }

// shortDoc returns the first sentence of a description.
func shortDoc(desc string) string {
	if i := strings.Index(desc, ". "); i >= 0 {
		return desc[:i+1]
	}
	return desc
}

// sortedSymbols lists a symbol map by name.
func sortedSymbols(m map[string]*analysis.Symbol) []*analysis.Symbol {
	out := make([]*analysis.Symbol, 0, len(m))
	for _, s := range m {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// resolveCompletion adds the full description and the reference link of
// a variable or function item (found by its label).
func resolveCompletion(s *Server, raw json.RawMessage) (runner, error) {
	var item map[string]any
	if err := decodeParams(raw, &item); err != nil {
		return nil, err
	}
	return func(context.Context) (any, error) {
		label, _ := item["label"].(string)
		var desc, link string
		if v, ok := lookupVariable(label); ok {
			desc, link = v.Description, v.Link
		} else if fn, ok := lookupFunction(label); ok {
			desc, link = fn.Description, fn.Link
			var sigs []string
			for i := range fn.Overloads {
				sig := &fn.Overloads[i]
				sigs = append(sigs, fn.Name+sig.String()[len(sig.Return.String())+1:]+" → "+sig.Return.String())
			}
			desc = "```vcl\n" + strings.Join(sigs, "\n") + "\n```\n\n" + desc
		} else if strings.HasSuffix(label, ".") {
			if v, ok := lookupVariable(label + "X"); ok {
				desc, link = v.Description, v.Link
			}
		}
		if desc == "" && link == "" {
			return item, nil
		}
		md := desc
		if link != "" {
			md += "\n\n[Fastly reference](" + link + ")"
		}
		item["documentation"] = protocol.MarkupContent{Kind: protocol.Markdown, Value: md}
		return item, nil
	}, nil
}
