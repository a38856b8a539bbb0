package lsp

import (
	"fmt"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
)

// Completion sources for keywords, return actions, subroutines, the
// program's objects, the #FASTLY macro and vcl_* boilerplates.

// statementKeywords offers the statements that may start here.
func (c *completer) statementKeywords() {
	if strings.Contains(c.cc.prefix, ".") {
		return
	}
	for _, k := range []struct{ word, doc string }{
		{"set", "set VARIABLE = VALUE;"}, {"unset", "unset VARIABLE;"}, {"add", "add HEADER = VALUE; (adds another header line)"},
		{"remove", "remove VARIABLE; (same as unset)"}, {"declare", "declare local var.NAME TYPE;"}, {"if", "if (CONDITION) { … }"},
		{"return", "return(ACTION);"}, {"call", "call SUBROUTINE;"}, {"error", "error STATUS [RESPONSE];"},
		{"restart", "restart;"}, {"synthetic", "synthetic STRING;"}, {"esi", "esi;"}, {"log", "log STRING;"}, {"goto", "goto LABEL;"},
		{"include", "include \"FILE\";"},
	} {
		c.keyword(k.word, k.doc)
	}
}

func (c *completer) keyword(word, doc string) {
	c.add(protocol.CompletionItem{Label: word, Kind: protocol.CompletionItemKindKeyword, Detail: doc, SortText: sortKeyword + word})
}

// returnActions offers the actions return() accepts in every scope the
// code may run in.
func (c *completer) returnActions() {
	var actions []string
	seen := map[string]bool{}
	subs := c.scopes.Subs()
	if len(subs) == 0 {
		subs = catalog.AllSubs.Subs()
	}
	for _, k := range subs {
		for _, a := range catalog.SubInfoOf(k).Returns {
			if !seen[a] {
				seen[a] = true
				actions = append(actions, a)
			}
		}
	}
	def := ""
	if len(subs) == 1 {
		def = catalog.SubInfoOf(subs[0]).DefaultReturn
	}
	for _, a := range actions {
		ok := true
		for _, k := range subs {
			if c.scopes != 0 && !catalog.ValidReturn(k, a) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		detail := "return action"
		if a == def {
			detail += " (the default here)"
		}
		c.add(protocol.CompletionItem{Label: a, Kind: protocol.CompletionItemKindEnumMember, Detail: detail, SortText: sortContext + a, Preselect: a == def})
	}
}

// subs offers the custom subroutines for `call`.
func (c *completer) subs() {
	for _, s := range c.snap.prog.SubList {
		if s.Builtin || s.Snippet || s.Decl == nil {
			continue
		}
		detail := "subroutine"
		if s.Scopes != 0 {
			detail += " · runs in " + s.Scopes.String()
		}
		it := protocol.CompletionItem{Label: s.Name, Kind: protocol.CompletionItemKindFunction, Detail: detail, SortText: sortContext + s.Name}
		if len(s.Decl.Params) > 0 {
			var params []catalog.Param
			for _, p := range s.Decl.Params {
				params = append(params, catalog.Param{Name: p.Name.Name, Type: p.VarType})
			}
			c.callInsert(&it, s.Name, params, false)
		}
		c.add(it)
	}
}

// globals offers the program's objects of some kinds.
func (c *completer) globals(kinds ...analysis.SymbolKind) {
	for _, sym := range c.snap.prog.SortedGlobals() {
		for _, k := range kinds {
			if sym.Kind == k {
				detail := sym.Kind.String()
				if sym.External {
					detail += " (declared in " + configFileName + ")"
				}
				c.add(protocol.CompletionItem{Label: sym.Name, Kind: protocol.CompletionItemKindModule, Detail: detail, SortText: sortContext + sym.Name})
			}
		}
	}
}

func (c *completer) globalNames(kind analysis.SymbolKind) []string {
	var out []string
	for _, sym := range c.snap.prog.SortedGlobals() {
		if sym.Kind == kind {
			out = append(out, sym.Name)
		}
	}
	return out
}

// macros offers `#FASTLY <sub>` in a comment that starts spelling it.
func (c *completer) macros() {
	body := strings.TrimLeft(strings.TrimPrefix(c.cc.comment, "#"), " \t")
	if !strings.HasPrefix(c.cc.comment, "#") {
		return
	}
	upper := strings.ToUpper(body)
	if !(strings.HasPrefix("FASTLY", upper) || strings.HasPrefix(upper, "FASTLY")) {
		return
	}
	var kinds []catalog.Sub
	if s := c.cc.sub; s != nil && (s.Builtin || s.Snippet) && s.Scopes != 0 {
		kinds = s.Scopes.Subs()
	} else {
		kinds = catalog.AllSubs.Subs()
	}
	rng := c.q.conv.rng(c.file.Source, syntax.Range{Start: c.cc.commentStart, End: c.cc.commentStart + syntax.Pos(len(c.cc.comment))})
	for _, k := range kinds {
		text := "#FASTLY " + k.String()
		c.items = append(c.items, completionItem{CompletionItem: protocol.CompletionItem{
			Label: text, Kind: protocol.CompletionItemKindSnippet,
			Detail:        "Fastly's generated code for " + k.VCLName(),
			Documentation: "Expands to the code Fastly generates for " + k.VCLName() + " (backends, default TTLs, …).",
			FilterText:    c.cc.comment,
			SortText:      sortContext + k.String(),
			TextEdit:      &protocol.TextEdit{Range: rng, NewText: text},
		}})
	}
}

// topLevel offers declarations.
func (c *completer) topLevel() {
	if strings.Contains(c.cc.prefix, ".") {
		return
	}
	for _, k := range []struct{ word, doc string }{
		{"sub", "sub NAME { … }"}, {"backend", "backend NAME { .host = \"…\"; }"}, {"director", "director NAME TYPE { … }"},
		{"acl", "acl NAME { \"192.0.2.0\"/24; }"}, {"table", "table NAME [TYPE] { \"key\": value }"}, {"include", "include \"FILE\";"},
		{"import", "import MODULE;"}, {"penaltybox", "penaltybox NAME { }"}, {"ratecounter", "ratecounter NAME { }"},
	} {
		c.keyword(k.word, k.doc)
	}
	c.subBoilerplates(true)
}

// subBoilerplates offers a vcl_* subroutine with its macro and default
// return, for each one the program does not declare yet.
func (c *completer) subBoilerplates(withKeyword bool) {
	for _, k := range catalog.AllSubs.Subs() {
		name := k.VCLName()
		if _, ok := c.snap.prog.Subs[name]; ok {
			continue
		}
		info := catalog.SubInfoOf(k)
		label := name
		if withKeyword {
			label = "sub " + name
		}
		var text string
		format := protocol.InsertTextFormatPlainText
		if c.snippet {
			text = fmt.Sprintf("%s {\n\t#FASTLY %s\n\t$0\n\treturn(%s);\n}", label, k, info.DefaultReturn)
			format = protocol.InsertTextFormatSnippet
		} else {
			text = fmt.Sprintf("%s {\n\t#FASTLY %s\n\n\treturn(%s);\n}", label, k, info.DefaultReturn)
		}
		c.add(protocol.CompletionItem{
			Label: label, Kind: protocol.CompletionItemKindSnippet,
			Detail:           "runs on the " + info.Node + " node · returns " + strings.Join(info.Returns, ", "),
			Documentation:    info.Description,
			InsertText:       text,
			InsertTextFormat: format,
			SortText:         sortContext + fmt.Sprint(int(k)),
		})
	}
}
