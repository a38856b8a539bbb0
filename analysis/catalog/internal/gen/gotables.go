package main

import (
	"bytes"
	"fmt"
	"go/format"
	"strconv"
	"strings"

	"github.com/vclide/vclide/analysis/catalog/internal/schema"
)

// goTypeNames maps the catalogue's type spellings to the names of package
// catalog's Type constants.
var goTypeNames = map[string]string{
	"STRING":      "TypeString",
	"INTEGER":     "TypeInteger",
	"FLOAT":       "TypeFloat",
	"BOOL":        "TypeBool",
	"TIME":        "TypeTime",
	"RTIME":       "TypeRTime",
	"IP":          "TypeIP",
	"BACKEND":     "TypeBackend",
	"ACL":         "TypeACL",
	"ID":          "TypeID",
	"REGEX":       "TypeRegex",
	"HASH":        "TypeHash",
	"VOID":        "TypeVoid",
	"TABLE":       "TypeTable",
	"STRING_LIST": "TypeStringList",
	"ANY":         "TypeAny",
}

// goTables renders the merged catalogue as package catalog's Go tables:
// arrays of the package's own structs holding only constants, which the
// compiler lays out as static data. No map literal and nothing that needs
// code at package initialisation may appear here; the package builds its
// indexes from these tables lazily, on the first lookup.
func goTables(o *schema.Catalog) ([]byte, error) {
	w := &goWriter{}
	w.printf("// %s\n\n", schema.GeneratedHeader)
	w.printf("package catalog\n\n")

	w.printf("// variableTable lists every predefined variable and variable family,\n// sorted by name.\n")
	w.printf("var variableTable = [...]Variable{\n")
	for _, v := range o.Variables {
		w.printf("{Name: %s, Type: %s", strconv.Quote(v.Name), w.typ(v.Type))
		w.subSet("Read", v.Read)
		w.subSet("Set", v.Set)
		w.subSet("Unset", v.Unset)
		w.str("Description", v.Description)
		w.str("Link", v.Link)
		w.str("Category", v.Category)
		w.flag("Pattern", v.Pattern)
		w.flag("Deprecated", v.Deprecated)
		w.str("SeenIn", v.SeenIn)
		w.printf("},\n")
	}
	w.printf("}\n\n")

	w.printf("// functionTable lists every builtin function, sorted by name.\n")
	w.printf("var functionTable = [...]Function{\n")
	for _, f := range o.Functions {
		w.printf("{Name: %s, Overloads: []Signature{", strconv.Quote(f.Name))
		for i, s := range f.Overloads {
			if i > 0 {
				w.printf(", ")
			}
			w.printf("{")
			if len(s.Params) > 0 {
				w.printf("Params: []Param{")
				for k, p := range s.Params {
					if k > 0 {
						w.printf(", ")
					}
					w.printf("{Name: %s, Type: %s", strconv.Quote(p.Name), w.typ(p.Type))
					w.flag("Optional", p.Optional)
					w.flag("Variadic", p.Variadic)
					w.printf("}")
				}
				w.printf("}, ")
			}
			w.printf("Return: %s}", w.typ(s.Return))
		}
		w.printf("}")
		w.subSet("Subs", f.Subs)
		w.str("Description", f.Description)
		w.str("Link", f.Link)
		w.str("Category", f.Category)
		w.flag("Deprecated", f.Deprecated)
		w.printf("},\n")
	}
	w.printf("}\n\n")

	w.printf("// subroutineTable describes the built-in subroutines, indexed by Sub.\n")
	w.printf("var subroutineTable = [NumSubs]SubInfo{\n")
	for _, s := range o.Subroutines {
		name := w.sub(s.Name)
		w.printf("%s: {Sub: %s", name, name)
		w.str("Node", s.Node)
		w.str("DefaultReturn", s.DefaultReturn)
		w.strings("Returns", s.Returns)
		w.strings("Undocumented", s.Undocumented)
		w.str("Description", s.Description)
		w.str("Link", s.Link)
		w.printf("},\n")
	}
	w.printf("}\n\n")

	w.printf("// commonHeaders lists the HTTP headers Fastly gives a meaning to, sorted.\n")
	w.printf("var commonHeaders = [...]string{\n")
	for _, h := range o.Headers {
		w.printf("%s,\n", strconv.Quote(h))
	}
	w.printf("}\n")

	if w.err != nil {
		return nil, w.err
	}
	src, err := format.Source(w.buf.Bytes())
	if err != nil {
		return nil, fmt.Errorf("formatting the generated Go tables: %w", err)
	}
	return src, nil
}

// goWriter accumulates Go source and the first error met while rendering.
type goWriter struct {
	buf bytes.Buffer
	err error
}

func (w *goWriter) printf(format string, a ...any) { fmt.Fprintf(&w.buf, format, a...) }

func (w *goWriter) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

// typ returns the Go constant for a catalogue type name.
func (w *goWriter) typ(name string) string {
	if g, ok := goTypeNames[name]; ok {
		return g
	}
	w.fail(fmt.Errorf("unknown type %q", name))
	return "TypeUnknown"
}

// sub returns the Go constant for a built-in subroutine's short name.
func (w *goWriter) sub(name string) string {
	if !contains(subOrder, name) {
		w.fail(fmt.Errorf("unknown subroutine %q", name))
		return "NumSubs"
	}
	return "Sub" + strings.ToUpper(name[:1]) + name[1:]
}

// subSet writes a SubSet field as a constant expression; an empty set is
// left out (the zero value).
func (w *goWriter) subSet(field string, names []string) {
	if len(names) == 0 {
		return
	}
	if len(names) == len(subOrder) {
		all := true
		for _, s := range subOrder {
			all = all && contains(names, s)
		}
		if all {
			w.printf(", %s: AllSubs", field)
			return
		}
	}
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = "1<<" + w.sub(n)
	}
	w.printf(", %s: %s", field, strings.Join(parts, " | "))
}

func (w *goWriter) str(field, s string) {
	if s != "" {
		w.printf(", %s: %s", field, strconv.Quote(s))
	}
}

func (w *goWriter) flag(field string, b bool) {
	if b {
		w.printf(", %s: true", field)
	}
}

func (w *goWriter) strings(field string, list []string) {
	if len(list) == 0 {
		return
	}
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	w.printf(", %s: []string{%s}", field, strings.Join(q, ", "))
}
