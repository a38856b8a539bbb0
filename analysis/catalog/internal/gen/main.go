// Command gen rebuilds analysis/catalog/catalog_data.json.
//
// It reads two third-party tables of Fastly VCL facts that live outside the
// repository (under ../shared/reference/catalog relative to the repository
// root), merges them, applies the project's own analysis/catalog/notes.yaml
// (descriptions and settled disagreements) and writes the embedded JSON file.
//
// The sources are not part of a fresh clone, so when they are missing the
// command prints a message and exits successfully without touching anything.
// When the two tables disagree about a fact and notes.yaml does not settle
// the question, the command lists every open disagreement and exits 1.
//
// Run it with `go generate ./analysis/catalog/`.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vclide/vclide/analysis/catalog/internal/schema"
)

// subOrder is the canonical order of the built-in subroutines.
var subOrder = []string{"recv", "hash", "hit", "miss", "pass", "fetch", "error", "deliver", "log"}

const docBase = "https://www.fastly.com/documentation/reference/vcl/"

func main() {
	root := flag.String("root", "", "repository root (default: nearest parent holding go.mod)")
	shared := flag.String("shared", "", "folder holding reference/catalog (default: <root>/../shared)")
	flag.Parse()

	if *root == "" {
		r, err := findRoot()
		if err != nil {
			fail(err)
		}
		*root = r
	}
	if *shared == "" {
		*shared = filepath.Join(*root, "..", "shared")
	}
	src := filepath.Join(*shared, "reference", "catalog")
	if st, err := os.Stat(src); err != nil || !st.IsDir() {
		fmt.Printf("catalog gen: %s not found; keeping the committed catalog_data.json\n", src)
		return
	}
	pkg := filepath.Join(*root, "analysis", "catalog")

	in, err := loadInputs(src, filepath.Join(pkg, "notes.yaml"))
	if err != nil {
		fail(err)
	}
	out, problems := merge(in)
	if len(problems) > 0 {
		sort.Strings(problems)
		fmt.Fprintf(os.Stderr, "catalog gen: %d unsettled problem(s); settle them in notes.yaml:\n", len(problems))
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "  -", p)
		}
		os.Exit(1)
	}
	data, err := encode(out)
	if err != nil {
		fail(err)
	}
	dst := filepath.Join(pkg, "catalog_data.json")
	if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, data) {
		fmt.Printf("catalog gen: %s is up to date (%d variables, %d functions)\n", dst, len(out.Variables), len(out.Functions))
		return
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		fail(err)
	}
	fmt.Printf("catalog gen: wrote %s (%d variables, %d functions)\n", dst, len(out.Variables), len(out.Functions))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "catalog gen:", err)
	os.Exit(1)
}

func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod found above the working directory")
		}
		dir = parent
	}
}

// ---------------------------------------------------------------- inputs

// falcoVar is one entry of predefined.yml.
type falcoVar struct {
	Reference  string   `yaml:"reference"`
	On         []string `yaml:"on"`
	Get        string   `yaml:"get"`
	Set        string   `yaml:"set"`
	Unset      bool     `yaml:"unset"`
	Deprecated bool     `yaml:"deprecated"`
}

// falcoFn is one entry of builtin.yml.
type falcoFn struct {
	Reference string     `yaml:"reference"`
	On        []string   `yaml:"on"`
	Arguments [][]string `yaml:"arguments"`
	Return    string     `yaml:"return"`
	Extra     string     `yaml:"extra"`
}

// vsVar is one entry of variables.json.
type vsVar struct {
	Access     string   `json:"access"`
	Category   string   `json:"category"`
	Methods    []string `json:"methods"`
	Readable   []string `json:"readable_in_methods"`
	Writable   []string `json:"writable_in_methods"`
	Type       string   `json:"type"`
	Deprecated bool     `json:"deprecated"`
}

// vsArg is one argument in functions.json.
type vsArg struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Arity string `json:"arity"`
}

// vsFn is one entry of functions.json.
type vsFn struct {
	Args       []vsArg  `json:"args"`
	Category   string   `json:"category"`
	Methods    []string `json:"methods"`
	Type       string   `json:"type"`
	Deprecated bool     `json:"deprecated"`
}

// vsSub is one entry of subroutines.json.
type vsSub struct {
	Returns []string `json:"returns"`
}

// noteParam is a parameter written in notes.yaml.
type noteParam struct {
	Name     string `yaml:"name"`
	Type     string `yaml:"type"`
	Optional bool   `yaml:"optional"`
	Variadic bool   `yaml:"variadic"`
}

// noteEntry is a variable or function entry of notes.yaml. It may be written
// as a plain string (the description) or as a mapping with overrides.
type noteEntry struct {
	Desc       string      `yaml:"desc"`
	Type       string      `yaml:"type"`
	Read       *[]string   `yaml:"read"`
	Set        *[]string   `yaml:"set"`
	Unset      *[]string   `yaml:"unset"`
	Subs       *[]string   `yaml:"subs"`
	Deprecated *bool       `yaml:"deprecated"`
	Category   string      `yaml:"category"`
	Link       *string     `yaml:"link"`
	Params     []noteParam `yaml:"params"`
	Return     string      `yaml:"return"`
	// Keep records that the merged facts were checked by hand and are
	// right as they come out of the merge rules, despite the disagreement.
	Keep bool `yaml:"keep"`
}

// UnmarshalYAML accepts either a scalar description or a full mapping.
func (n *noteEntry) UnmarshalYAML(v *yaml.Node) error {
	if v.Kind == yaml.ScalarNode {
		n.Desc = v.Value
		return nil
	}
	type plain noteEntry
	var p plain
	if err := v.Decode(&p); err != nil {
		return err
	}
	*n = noteEntry(p)
	return nil
}

// noteSub describes one built-in subroutine in notes.yaml.
type noteSub struct {
	Node         string   `yaml:"node"`
	Default      string   `yaml:"default"`
	Returns      []string `yaml:"returns"`
	Undocumented []string `yaml:"undocumented"`
	Desc         string   `yaml:"desc"`
}

// noteFastlyVar is a variable that neither source table lists, known from
// Fastly's own VCL (its modules and generated code).
type noteFastlyVar struct {
	Type   string   `yaml:"type"`
	Read   []string `yaml:"read"`
	Set    []string `yaml:"set"`
	Desc   string   `yaml:"desc"`
	SeenIn string   `yaml:"seen_in"`
}

// notes is the whole of notes.yaml.
type notes struct {
	Subroutines map[string]noteSub    `yaml:"subroutines"`
	Variables   map[string]*noteEntry `yaml:"variables"`
	Functions   map[string]*noteEntry `yaml:"functions"`
	// FastlyCodeVariables are undocumented variables used by Fastly's own
	// code but absent from both tables.
	FastlyCodeVariables map[string]noteFastlyVar `yaml:"fastly_code_variables"`
}

type inputs struct {
	falcoVars map[string]falcoVar
	falcoFns  map[string]falcoFn
	vsVars    map[string]vsVar
	vsFns     map[string]vsFn
	vsSubs    map[string]vsSub
	headers   []string
	notes     notes
}

func loadInputs(src, notesPath string) (*inputs, error) {
	in := &inputs{}
	if err := readYAML(filepath.Join(src, "falco", "predefined.yml"), &in.falcoVars); err != nil {
		return nil, err
	}
	if err := readYAML(filepath.Join(src, "falco", "builtin.yml"), &in.falcoFns); err != nil {
		return nil, err
	}
	if err := readJSON(filepath.Join(src, "vscode-fastly-vcl", "variables.json"), &in.vsVars); err != nil {
		return nil, err
	}
	if err := readJSON(filepath.Join(src, "vscode-fastly-vcl", "functions.json"), &in.vsFns); err != nil {
		return nil, err
	}
	if err := readJSON(filepath.Join(src, "vscode-fastly-vcl", "subroutines.json"), &in.vsSubs); err != nil {
		return nil, err
	}
	var hdrs map[string]json.RawMessage
	if err := readJSON(filepath.Join(src, "vscode-fastly-vcl", "headers.json"), &hdrs); err != nil {
		return nil, err
	}
	for h := range hdrs {
		in.headers = append(in.headers, h)
	}
	sort.Strings(in.headers)
	if err := readYAML(notesPath, &in.notes); err != nil {
		return nil, err
	}
	// Both tables spell pattern families differently; use "*" everywhere.
	in.falcoVars = renameKeys(in.falcoVars)
	in.vsVars = renameKeys(in.vsVars)
	return in, nil
}

func readYAML(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

var placeholder = regexp.MustCompile(`%any%|\{NAME\}|\{N\}`)

func renameKeys[V any](m map[string]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[placeholder.ReplaceAllString(k, "*")] = v
	}
	return out
}

// ---------------------------------------------------------------- output

// encode writes one record per line so that diffs stay readable.
func encode(o *schema.Catalog) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n")
	fmt.Fprintf(&b, "%q: %q,\n", "generated", schema.GeneratedHeader)
	section := func(name string, n int, item func(i int) any, last bool) error {
		fmt.Fprintf(&b, "%q: [\n", name)
		for i := 0; i < n; i++ {
			j, err := json.Marshal(item(i))
			if err != nil {
				return err
			}
			b.Write(j)
			if i < n-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString("]")
		if !last {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
		return nil
	}
	if err := section("variables", len(o.Variables), func(i int) any { return o.Variables[i] }, false); err != nil {
		return nil, err
	}
	if err := section("functions", len(o.Functions), func(i int) any { return o.Functions[i] }, false); err != nil {
		return nil, err
	}
	if err := section("subroutines", len(o.Subroutines), func(i int) any { return o.Subroutines[i] }, false); err != nil {
		return nil, err
	}
	if err := section("headers", len(o.Headers), func(i int) any { return o.Headers[i] }, true); err != nil {
		return nil, err
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// ---------------------------------------------------------------- merging

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

func merge(in *inputs) (*schema.Catalog, []string) {
	var problems []string
	probf := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	out := &schema.Catalog{Headers: in.headers}

	// ---- variables
	names := map[string]bool{}
	for n := range in.falcoVars {
		names[n] = true
	}
	for n := range in.vsVars {
		names[n] = true
	}
	for n := range in.notes.Variables {
		if !names[n] {
			probf("notes.yaml: variable %s is in neither source", n)
		}
	}
	for _, name := range sortedKeys(names) {
		fv, inF := in.falcoVars[name]
		vv, inV := in.vsVars[name]
		note := in.notes.Variables[name]
		if note == nil || strings.TrimSpace(note.Desc) == "" {
			probf("variable %s: no description in notes.yaml", name)
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
			probf("variable %s: %v", name, err)
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
			probf("notes.yaml: variable %s: %v", name, ovErr)
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
			probf("variable %s: unknown type %q", name, v.Type)
		}
		if len(open) > 0 && !note.Keep && !overridesAll(note, open) {
			probf("variable %s: sources disagree (%s)", name, strings.Join(open, "; "))
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
		out.Variables = append(out.Variables, v)
	}
	for _, name := range sortedKeys(in.notes.FastlyCodeVariables) {
		fv := in.notes.FastlyCodeVariables[name]
		if names[name] {
			probf("notes.yaml: fastly_code_variables: %s is in a source table; describe it under variables", name)
			continue
		}
		if strings.TrimSpace(fv.Desc) == "" || strings.TrimSpace(fv.SeenIn) == "" {
			probf("notes.yaml: fastly_code_variables: %s needs desc and seen_in", name)
		}
		v := schema.Variable{Name: name, Type: normType(fv.Type), Description: strings.TrimSpace(fv.Desc),
			Category: "undocumented", SeenIn: strings.TrimSpace(fv.SeenIn), Unset: []string{}}
		if !validTypes[v.Type] {
			probf("fastly_code_variables: %s: unknown type %q", name, fv.Type)
		}
		read, err := newSubSet(fv.Read)
		set, e := newSubSet(fv.Set)
		if err = errors.Join(err, e); err != nil {
			probf("fastly_code_variables: %s: %v", name, err)
		}
		v.Read, v.Set = read, set
		if v.Read == nil {
			v.Read = subSet{}
		}
		if v.Set == nil {
			v.Set = subSet{}
		}
		out.Variables = append(out.Variables, v)
	}
	sort.Slice(out.Variables, func(i, j int) bool { return out.Variables[i].Name < out.Variables[j].Name })

	// ---- functions
	names = map[string]bool{}
	for n := range in.falcoFns {
		names[n] = true
	}
	for n := range in.vsFns {
		names[n] = true
	}
	for n := range in.notes.Functions {
		if !names[n] {
			probf("notes.yaml: function %s is in neither source", n)
		}
	}
	for _, name := range sortedKeys(names) {
		ff, inF := in.falcoFns[name]
		vf, inV := in.vsFns[name]
		note := in.notes.Functions[name]
		if note == nil || strings.TrimSpace(note.Desc) == "" {
			probf("function %s: no description in notes.yaml", name)
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
			probf("function %s: %v", name, err)
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
				probf("notes.yaml: function %s: %v", name, e)
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
				probf("function %s: parameter %s has unknown type %q", name, p.Name, p.Type)
			}
		}
		if !validTypes[ret] {
			probf("function %s: unknown return type %q", name, ret)
		}
		if err := checkParamOrder(params); err != nil {
			probf("function %s: %v", name, err)
		}
		f.Overloads = []schema.Signature{{Params: params, Return: ret}}
		if len(open) > 0 && !note.Keep && !overridesAllFn(note, open) {
			probf("function %s: sources disagree (%s)", name, strings.Join(open, "; "))
		}
		out.Functions = append(out.Functions, f)
	}

	// ---- subroutines
	for _, s := range subOrder {
		ns, ok := in.notes.Subroutines[s]
		if !ok {
			probf("subroutine %s: missing from notes.yaml", s)
			continue
		}
		if ns.Node != "delivery" && ns.Node != "fetch" && ns.Node != "delivery or fetch" {
			probf("subroutine %s: node %q", s, ns.Node)
		}
		if !contains(ns.Returns, ns.Default) {
			probf("subroutine %s: default %q not among returns", s, ns.Default)
		}
		all := append(append([]string{}, ns.Returns...), ns.Undocumented...)
		if vs, ok := in.vsSubs[s]; ok {
			for _, r := range vs.Returns {
				if !contains(all, r) {
					probf("subroutine %s: extension table allows return(%s) which notes.yaml neither lists nor rejects", s, r)
				}
			}
		}
		out.Subroutines = append(out.Subroutines, schema.Sub{
			Name: s, Node: ns.Node, DefaultReturn: ns.Default,
			Returns: all, Undocumented: ns.Undocumented,
			Description: strings.TrimSpace(ns.Desc),
			Link:        docBase + "subroutines/" + s + "/",
		})
	}
	return out, problems
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
