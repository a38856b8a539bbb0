package main

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/vclide/vclide/analysis/catalog/internal/schema"
)

// subSet is a set of subroutine short names kept in canonical order.
type subSet []string

func newSubSet(names []string) (subSet, error) {
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.ToLower(n)
		switch n {
		case "all":
			for _, s := range subOrder {
				seen[s] = true
			}
			continue
		case "all-but-log":
			for _, s := range subOrder[:len(subOrder)-1] {
				seen[s] = true
			}
			continue
		case "pipe":
			// Fastly VCL has no vcl_pipe hook one can write code in.
			continue
		}
		if !contains(subOrder, n) {
			return nil, fmt.Errorf("unknown subroutine %q", n)
		}
		seen[n] = true
	}
	out := subSet{}
	for _, s := range subOrder {
		if seen[s] {
			out = append(out, s)
		}
	}
	return out, nil
}

func (a subSet) equal(b subSet) bool { return strings.Join(a, ",") == strings.Join(b, ",") }

func (a subSet) subsetOf(b subSet) bool {
	for _, s := range a {
		if !contains(b, s) {
			return false
		}
	}
	return true
}

func (a subSet) String() string {
	if len(a) == 0 {
		return "[]"
	}
	return "[" + strings.Join(a, ",") + "]"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var validTypes = map[string]bool{
	"STRING": true, "INTEGER": true, "FLOAT": true, "BOOL": true, "TIME": true, "RTIME": true,
	"IP": true, "BACKEND": true, "ACL": true, "ID": true, "REGEX": true, "HASH": true,
	"VOID": true, "TABLE": true, "STRING_LIST": true, "ANY": true,
}

// normType maps the spellings used by the sources to catalogue types.
func normType(t string) string {
	t = strings.ToUpper(strings.TrimSpace(t))
	switch t {
	case "REQBACKEND":
		return "BACKEND"
	case "", "NONE":
		return "VOID"
	}
	return t
}

var refRE = regexp.MustCompile(`^https?://(?:developer\.fastly\.com|www\.fastly\.com/documentation|docs\.fastly\.com/documentation)/reference/vcl/(variables|functions)/([^/]+)/([^/]+)/?$`)

// fastlyLink rewrites a Fastly reference URL to the current form. ok is false
// for anything that is not a Fastly reference page (archives, blogs, empty).
func fastlyLink(ref string) (link, category string, ok bool) {
	m := refRE.FindStringSubmatch(strings.TrimSpace(ref))
	if m == nil {
		return "", "", false
	}
	return docBase + m[1] + "/" + m[2] + "/" + m[3] + "/", m[2], true
}

// slug turns a VCL name into the last segment of its reference URL.
func slug(name string) string {
	name = strings.ReplaceAll(name, ".*", "")
	r := strings.NewReplacer(".", "-", "_", "-")
	return strings.ToLower(r.Replace(name))
}

// merger builds the catalogue from the inputs, one section at a time, and
// collects the problems the notes must settle.
type merger struct {
	in       *inputs
	out      *schema.Catalog
	problems []string
}

func (m *merger) probf(format string, a ...any) {
	m.problems = append(m.problems, fmt.Sprintf(format, a...))
}

func merge(in *inputs) (*schema.Catalog, []string) {
	m := &merger{in: in, out: &schema.Catalog{Headers: in.headers}}
	m.variables()
	m.functions()
	m.subroutines()
	return m.out, m.problems
}

// variables merges the variable tables of both sources with notes.yaml.
func (m *merger) variables() {
	names := map[string]bool{}
	for n := range m.in.falcoVars {
		names[n] = true
	}
	for n := range m.in.vsVars {
		names[n] = true
	}
	for n := range m.in.notes.Variables {
		if !names[n] {
			m.probf("notes.yaml: variable %s is in neither source", n)
		}
	}
	for _, name := range sortedKeys(names) {
		fv, inF := m.in.falcoVars[name]
		vv, inV := m.in.vsVars[name]
		note := m.in.notes.Variables[name]
		if note == nil || strings.TrimSpace(note.Desc) == "" {
			m.probf("variable %s: no description in notes.yaml", name)
			note = &noteEntry{}
		}
		v := schema.Variable{Name: name, Description: strings.TrimSpace(note.Desc), Pattern: strings.Contains(name, "*")}
		open := []string{}

		// Type.
		var fType, vType string
		if inF {
			fType = fv.Get
			if fType == "" {
				fType = fv.Set
			}
			fType = normType(fType)
		}
		if inV {
			vType = normType(vv.Type)
		}
		switch {
		case inF && inV && fType != vType:
			v.Type = vType
			open = append(open, fmt.Sprintf("type falco=%s vscode=%s", fType, vType))
		case inV:
			v.Type = vType
		default:
			v.Type = fType
		}

		// Access.
		var fRead, fSet, fUnset, vRead, vSet, vUnset subSet
		var err error
		if inF {
			on, e := newSubSet(fv.On)
			err = errors.Join(err, e)
			if fv.Get != "" {
				fRead = on
			}
			if fv.Set != "" {
				fSet = on
			}
			if fv.Unset {
				fUnset = on
			}
		}
		if inV {
			methods, e := newSubSet(vv.Methods)
			err = errors.Join(err, e)
			acc := vv.Access
			if strings.ContainsAny(acc, "RC") {
				vRead = methods
				if vv.Readable != nil {
					vRead, e = newSubSet(vv.Readable)
					err = errors.Join(err, e)
				}
			}
			if strings.Contains(acc, "W") {
				vSet = methods
				if vv.Writable != nil {
					vSet, e = newSubSet(vv.Writable)
					err = errors.Join(err, e)
				}
			}
			if strings.Contains(acc, "U") {
				vUnset = methods
			}
		}
		if err != nil {
			m.probf("variable %s: %v", name, err)
		}
		pick := func(what string, f, vs subSet, precise bool) subSet {
			switch {
			case inF && inV:
				if f.equal(vs) {
					return vs
				}
				// The extension table refines some scopes per access
				// kind; falco only lists one scope for everything.
				if precise && vs.subsetOf(f) {
					return vs
				}
				open = append(open, fmt.Sprintf("%s falco=%v vscode=%v", what, f, vs))
				return vs
			case inV:
				return vs
			default:
				return f
			}
		}
		precise := inV && (vv.Readable != nil || vv.Writable != nil)
		v.Read = pick("read", fRead, vRead, precise)
		v.Set = pick("set", fSet, vSet, precise)
		v.Unset = pick("unset", fUnset, vUnset, false)

		v.Deprecated = (inF && fv.Deprecated) || (inV && vv.Deprecated)

		// Category and link.
		fLink, fCat, fOK := "", "", false
		if inF {
			fLink, fCat, fOK = fastlyLink(fv.Reference)
		}
		switch {
		case inV:
			v.Category = vv.Category
		case fOK:
			v.Category = fCat
		}
		switch {
		case fOK:
			v.Link = fLink
		case inV:
			v.Link = docBase + "variables/" + vv.Category + "/" + slug(name) + "/"
		}

		// Overrides from notes.yaml.
		var ovErr error
		if note.Type != "" {
			v.Type = normType(note.Type)
		}
		if note.Read != nil {
			v.Read, ovErr = newSubSet(*note.Read)
		}
		if note.Set != nil {
			var e error
			v.Set, e = newSubSet(*note.Set)
			ovErr = errors.Join(ovErr, e)
		}
		if note.Unset != nil {
			var e error
			v.Unset, e = newSubSet(*note.Unset)
			ovErr = errors.Join(ovErr, e)
		}
		if ovErr != nil {
			m.probf("notes.yaml: variable %s: %v", name, ovErr)
		}
		if note.Deprecated != nil {
			v.Deprecated = *note.Deprecated
		}
		if note.Category != "" {
			v.Category = note.Category
		}
		if note.Link != nil {
			v.Link = *note.Link
		}
		if v.Category == "" {
			v.Category = "undocumented"
		}
		if !validTypes[v.Type] {
			m.probf("variable %s: unknown type %q", name, v.Type)
		}
		if len(open) > 0 && !note.Keep && !overridesAll(note, open) {
			m.probf("variable %s: sources disagree (%s)", name, strings.Join(open, "; "))
		}
		if v.Read == nil {
			v.Read = subSet{}
		}
		if v.Set == nil {
			v.Set = subSet{}
		}
		if v.Unset == nil {
			v.Unset = subSet{}
		}
		m.out.Variables = append(m.out.Variables, v)
	}
	for _, name := range sortedKeys(m.in.notes.FastlyCodeVariables) {
		fv := m.in.notes.FastlyCodeVariables[name]
		if names[name] {
			m.probf("notes.yaml: fastly_code_variables: %s is in a source table; describe it under variables", name)
			continue
		}
		if strings.TrimSpace(fv.Desc) == "" || strings.TrimSpace(fv.SeenIn) == "" {
			m.probf("notes.yaml: fastly_code_variables: %s needs desc and seen_in", name)
		}
		v := schema.Variable{Name: name, Type: normType(fv.Type), Description: strings.TrimSpace(fv.Desc),
			Category: "undocumented", SeenIn: strings.TrimSpace(fv.SeenIn), Unset: []string{}}
		if !validTypes[v.Type] {
			m.probf("fastly_code_variables: %s: unknown type %q", name, fv.Type)
		}
		read, err := newSubSet(fv.Read)
		set, e := newSubSet(fv.Set)
		if err = errors.Join(err, e); err != nil {
			m.probf("fastly_code_variables: %s: %v", name, err)
		}
		v.Read, v.Set = read, set
		if v.Read == nil {
			v.Read = subSet{}
		}
		if v.Set == nil {
			v.Set = subSet{}
		}
		m.out.Variables = append(m.out.Variables, v)
	}
	sort.Slice(m.out.Variables, func(i, j int) bool { return m.out.Variables[i].Name < m.out.Variables[j].Name })
}

// functions merges the function tables of both sources with notes.yaml.
func (m *merger) functions() {
	names := map[string]bool{}
	for n := range m.in.falcoFns {
		names[n] = true
	}
	for n := range m.in.vsFns {
		names[n] = true
	}
	for n := range m.in.notes.Functions {
		if !names[n] {
			m.probf("notes.yaml: function %s is in neither source", n)
		}
	}
	for _, name := range sortedKeys(names) {
		ff, inF := m.in.falcoFns[name]
		vf, inV := m.in.vsFns[name]
		note := m.in.notes.Functions[name]
		if note == nil || strings.TrimSpace(note.Desc) == "" {
			m.probf("function %s: no description in notes.yaml", name)
			note = &noteEntry{}
		}
		f := schema.Function{Name: name, Description: strings.TrimSpace(note.Desc)}
		open := []string{}

		// Parameters: the extension table names them and marks optional
		// and variadic ones; falco lists every accepted arity instead.
		var params []schema.Param
		if inV {
			for i, a := range vf.Args {
				p := schema.Param{Name: a.Name, Type: normType(a.Type), Optional: a.Arity == "optional", Variadic: a.Arity == "variadic"}
				if p.Name == "" || p.Name == "..." {
					p.Name = fmt.Sprintf("arg%d", i+1)
				}
				params = append(params, p)
			}
		} else if inF && len(ff.Arguments) > 0 {
			params = fromFalco(ff.Arguments)
		}
		if inF && inV {
			// falco says TABLE where the extension says ID; TABLE is the
			// more precise of the two.
			for _, ov := range ff.Arguments {
				for i, t := range ov {
					if i < len(params) && normType(t) == "TABLE" && params[i].Type == "ID" {
						params[i].Type = "TABLE"
					}
				}
			}
			if !sameArities(params, ff.Arguments) {
				open = append(open, fmt.Sprintf("params falco=%v vscode=%s", ff.Arguments, paramString(params)))
			}
		}
		ret := ""
		if inV {
			ret = normType(vf.Type)
		}
		if inF {
			fr := normType(ff.Return)
			if inV && fr != ret {
				open = append(open, fmt.Sprintf("return falco=%s vscode=%s", fr, ret))
			}
			if !inV {
				ret = fr
			}
		}

		var fSubs, vSubs subSet
		var err error
		if inF {
			fSubs, err = newSubSet(ff.On)
		}
		if inV {
			var e error
			vSubs, e = newSubSet(vf.Methods)
			err = errors.Join(err, e)
		}
		if err != nil {
			m.probf("function %s: %v", name, err)
		}
		switch {
		case inF && inV:
			f.Subs = vSubs
			if !fSubs.equal(vSubs) {
				open = append(open, fmt.Sprintf("subs falco=%v vscode=%v", fSubs, vSubs))
			}
		case inV:
			f.Subs = vSubs
		default:
			f.Subs = fSubs
		}
		f.Deprecated = inV && vf.Deprecated

		fLink, fCat, fOK := "", "", false
		if inF {
			fLink, fCat, fOK = fastlyLink(ff.Reference)
		}
		switch {
		case inV:
			f.Category = vf.Category
		case fOK:
			f.Category = fCat
		}
		switch {
		case fOK:
			f.Link = fLink
		case inV:
			f.Link = docBase + "functions/" + vf.Category + "/" + slug(name) + "/"
		}

		// Overrides.
		if note.Params != nil {
			params = params[:0:0]
			for _, p := range note.Params {
				params = append(params, schema.Param{Name: p.Name, Type: normType(p.Type), Optional: p.Optional, Variadic: p.Variadic})
			}
		}
		if note.Return != "" {
			ret = normType(note.Return)
		}
		if note.Subs != nil {
			var e error
			f.Subs, e = newSubSet(*note.Subs)
			if e != nil {
				m.probf("notes.yaml: function %s: %v", name, e)
			}
		}
		if note.Deprecated != nil {
			f.Deprecated = *note.Deprecated
		}
		if note.Category != "" {
			f.Category = note.Category
		}
		if note.Link != nil {
			f.Link = *note.Link
		}
		if f.Category == "" {
			f.Category = "undocumented"
		}
		if params == nil {
			params = []schema.Param{}
		}
		for _, p := range params {
			if !validTypes[p.Type] {
				m.probf("function %s: parameter %s has unknown type %q", name, p.Name, p.Type)
			}
		}
		if !validTypes[ret] {
			m.probf("function %s: unknown return type %q", name, ret)
		}
		if err := checkParamOrder(params); err != nil {
			m.probf("function %s: %v", name, err)
		}
		f.Overloads = []schema.Signature{{Params: params, Return: ret}}
		if len(open) > 0 && !note.Keep && !overridesAllFn(note, open) {
			m.probf("function %s: sources disagree (%s)", name, strings.Join(open, "; "))
		}
		m.out.Functions = append(m.out.Functions, f)
	}
}

// subroutines builds the subroutine table from notes.yaml, checked against
// the extension's table.
func (m *merger) subroutines() {
	for _, s := range subOrder {
		ns, ok := m.in.notes.Subroutines[s]
		if !ok {
			m.probf("subroutine %s: missing from notes.yaml", s)
			continue
		}
		if ns.Node != "delivery" && ns.Node != "fetch" && ns.Node != "delivery or fetch" {
			m.probf("subroutine %s: node %q", s, ns.Node)
		}
		if !contains(ns.Returns, ns.Default) {
			m.probf("subroutine %s: default %q not among returns", s, ns.Default)
		}
		all := append(append([]string{}, ns.Returns...), ns.Undocumented...)
		if vs, ok := m.in.vsSubs[s]; ok {
			for _, r := range vs.Returns {
				if !contains(all, r) {
					m.probf("subroutine %s: extension table allows return(%s) which notes.yaml neither lists nor rejects", s, r)
				}
			}
		}
		m.out.Subroutines = append(m.out.Subroutines, schema.Sub{
			Name: s, Node: ns.Node, DefaultReturn: ns.Default,
			Returns: all, Undocumented: ns.Undocumented,
			Description: strings.TrimSpace(ns.Desc),
			Link:        docBase + "subroutines/" + s + "/",
		})
	}
}

// overridesAll reports whether the note overrides every disputed field.
func overridesAll(n *noteEntry, open []string) bool {
	for _, o := range open {
		switch strings.SplitN(o, " ", 2)[0] {
		case "type":
			if n.Type == "" {
				return false
			}
		case "read":
			if n.Read == nil {
				return false
			}
		case "set":
			if n.Set == nil {
				return false
			}
		case "unset":
			if n.Unset == nil {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func overridesAllFn(n *noteEntry, open []string) bool {
	for _, o := range open {
		switch strings.SplitN(o, " ", 2)[0] {
		case "params":
			if n.Params == nil {
				return false
			}
		case "return":
			if n.Return == "" {
				return false
			}
		case "subs":
			if n.Subs == nil {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// fromFalco builds one parameter list from falco's overload lists: the
// longest list gives the types, positions missing from shorter lists are
// optional, and STRING_LIST becomes a variadic STRING.
func fromFalco(ovs [][]string) []schema.Param {
	longest, shortest := ovs[0], len(ovs[0])
	for _, ov := range ovs {
		if len(ov) > len(longest) {
			longest = ov
		}
		if len(ov) < shortest {
			shortest = len(ov)
		}
	}
	var ps []schema.Param
	for i, t := range longest {
		p := schema.Param{Name: fmt.Sprintf("arg%d", i+1), Type: normType(t), Optional: i >= shortest}
		if p.Type == "STRING_LIST" {
			p.Type, p.Variadic, p.Optional = "STRING", true, false
		}
		ps = append(ps, p)
	}
	return ps
}

// sameArities compares the call shapes allowed by params with falco's list
// of overloads, treating ID and TABLE alike and STRING_LIST as a variadic
// tail.
func sameArities(params []schema.Param, ovs [][]string) bool {
	want := map[string]bool{}
	for _, ov := range ovs {
		var parts []string
		for _, t := range ov {
			t = normType(t)
			if t == "TABLE" {
				t = "ID"
			}
			if t == "STRING_LIST" {
				t = "STRING..."
			}
			parts = append(parts, t)
		}
		want[strings.Join(parts, ",")] = true
	}
	if len(ovs) == 0 {
		want[""] = true
	}
	have := map[string]bool{}
	var prefix []string
	addShape := func(list []string) { have[strings.Join(list, ",")] = true }
	for _, p := range params {
		t := p.Type
		if t == "TABLE" {
			t = "ID"
		}
		if p.Optional {
			addShape(prefix)
		}
		if p.Variadic {
			t += "..."
		}
		prefix = append(prefix, t)
	}
	addShape(prefix)
	if len(want) != len(have) {
		return false
	}
	for k := range want {
		if !have[k] {
			return false
		}
	}
	return true
}

func paramString(ps []schema.Param) string {
	var parts []string
	for _, p := range ps {
		s := p.Type
		if p.Optional {
			s += "?"
		}
		if p.Variadic {
			s += "..."
		}
		parts = append(parts, s)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// checkParamOrder rejects shapes the runtime cannot describe: a required
// parameter after an optional one, or a variadic one that is not last.
func checkParamOrder(ps []schema.Param) error {
	seenOpt := false
	for i, p := range ps {
		if p.Variadic && i != len(ps)-1 {
			return fmt.Errorf("variadic parameter %s is not last", p.Name)
		}
		if p.Optional {
			seenOpt = true
		} else if seenOpt && !p.Variadic {
			return fmt.Errorf("required parameter %s follows an optional one", p.Name)
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
