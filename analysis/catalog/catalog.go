package catalog

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vclide/vclide/analysis/catalog/internal/schema"
)

// catalog_data.json is produced by internal/gen from the reference tables in
// ../shared (when present) and notes.yaml; the generator leaves the committed
// file alone when the tables are missing.
//
//go:generate go run ./internal/gen

//go:embed catalog_data.json
var catalogJSON []byte

// Variable describes one predefined VCL variable, or a family of variables
// sharing a pattern such as req.http.* (Pattern is then true and Name holds
// the pattern with "*" for the variable part).
type Variable struct {
	Name        string
	Type        Type
	Read        SubSet // subroutines in which the variable can be read
	Set         SubSet // subroutines in which it can be assigned
	Unset       SubSet // subroutines in which it can be unset
	Description string
	Link        string // Fastly reference page; empty for undocumented variables
	Category    string // Fastly's grouping, e.g. "client-request"
	Pattern     bool
	Deprecated  bool
	// SeenIn names the Fastly code that uses the variable, for undocumented
	// variables known only from there (remote.port: Fastly's Magento module).
	SeenIn string
}

// CategoryUndocumented is the category of variables that Fastly's reference
// does not document: they work today but may change without notice.
const CategoryUndocumented = "undocumented"

// Undocumented reports whether Fastly's reference does not document v.
func (v *Variable) Undocumented() bool { return v.Category == CategoryUndocumented }

// Readable reports whether the variable can be read in s.
func (v *Variable) Readable(s Sub) bool { return v.Read.Has(s) }

// Settable reports whether the variable can be assigned in s.
func (v *Variable) Settable(s Sub) bool { return v.Set.Has(s) }

// Unsettable reports whether the variable can be unset in s.
func (v *Variable) Unsettable(s Sub) bool { return v.Unset.Has(s) }

// Available is the set of subroutines in which the variable can be used at
// all (read, set or unset).
func (v *Variable) Available() SubSet { return v.Read | v.Set | v.Unset }

// Param is one formal parameter of a builtin function.
type Param struct {
	Name string
	Type Type
	// Optional parameters may be left out; they only appear at the end of a
	// parameter list (before a variadic one, if any).
	Optional bool
	// Variadic marks the last parameter as repeatable: it accepts zero or
	// more arguments of Type, as Fastly's "STRING..." does (a function that
	// needs at least one writes that one as a parameter of its own before
	// the variadic one, as early_hints does).
	Variadic bool
}

// Signature is one accepted shape of call of a builtin function.
type Signature struct {
	Params []Param
	Return Type // TypeVoid for functions used as statements
}

// MinArgs is the smallest number of arguments the signature accepts; a
// variadic parameter needs none.
func (s *Signature) MinArgs() int {
	n := 0
	for _, p := range s.Params {
		if !p.Optional && !p.Variadic {
			n++
		}
	}
	return n
}

// MaxArgs is the largest number of arguments the signature accepts, or -1
// when the last parameter is variadic.
func (s *Signature) MaxArgs() int {
	if k := len(s.Params); k > 0 && s.Params[k-1].Variadic {
		return -1
	}
	return len(s.Params)
}

// Accepts reports whether a call with n arguments fits the signature's arity.
func (s *Signature) Accepts(n int) bool {
	if n < s.MinArgs() {
		return false
	}
	max := s.MaxArgs()
	return max < 0 || n <= max
}

// ParamAt returns the parameter that the i-th argument (from 0) binds to,
// taking a trailing variadic parameter into account.
func (s *Signature) ParamAt(i int) (Param, bool) {
	k := len(s.Params)
	switch {
	case i < 0 || k == 0:
		return Param{}, false
	case i < k:
		return s.Params[i], true
	case s.Params[k-1].Variadic:
		return s.Params[k-1], true
	}
	return Param{}, false
}

// String renders the signature in Fastly's documentation style, e.g.
// "STRING (STRING s, INTEGER offset, [INTEGER length])"; a variadic
// parameter, which may be left out, is written "[STRING headers...]".
func (s *Signature) String() string {
	var b strings.Builder
	b.WriteString(s.Return.String())
	b.WriteString(" (")
	for i, p := range s.Params {
		if i > 0 {
			b.WriteString(", ")
		}
		if p.Optional || p.Variadic {
			b.WriteByte('[')
		}
		b.WriteString(p.Type.String())
		b.WriteByte(' ')
		b.WriteString(p.Name)
		if p.Variadic {
			b.WriteString("...")
		}
		if p.Optional || p.Variadic {
			b.WriteByte(']')
		}
	}
	b.WriteByte(')')
	return b.String()
}

// Function describes one builtin VCL function.
type Function struct {
	Name        string
	Overloads   []Signature
	Subs        SubSet // subroutines in which the function may be called
	Description string
	Link        string
	Category    string
	Deprecated  bool
}

// AllowedIn reports whether the function may be called in s.
func (f *Function) AllowedIn(s Sub) bool { return f.Subs.Has(s) }

// SubInfo describes one built-in subroutine.
type SubInfo struct {
	Sub Sub
	// Node is where the subroutine runs when clustering is in effect:
	// "delivery", "fetch", or "delivery or fetch" for vcl_error, which runs
	// wherever the error was raised.
	Node          string
	DefaultReturn string
	// Returns lists every action accepted by return(...), including the
	// Undocumented ones.
	Returns []string
	// Undocumented lists actions that other tools accept but that Fastly's
	// request-lifecycle table does not list for this subroutine.
	Undocumented []string
	Description  string
	Link         string
}

// catalog holds everything decoded from catalog_data.json.
type catalog struct {
	vars       map[string]*Variable
	sortedVars []*Variable
	headerPats []*Variable // req.http.*, bereq.http.*, ...: prefix is Name minus "*"
	otherPats  []pattern   // backend.*.healthy, re.group.*, ...
	funcs      map[string]*Function
	sortedFns  []*Function
	subs       [NumSubs]SubInfo
	headers    []string
}

// pattern is a non-header wildcard family split around its "*".
type pattern struct {
	prefix, suffix string
	digits         bool // the variable part must be a number (re.group.N)
	v              *Variable
}

// data decodes the embedded catalogue on first use. No package init calls
// it: commands that never look a name up (version, fmt) do not pay for the
// decoding.
var data = sync.OnceValue(func() *catalog {
	decodes.Add(1)
	c, err := decode(catalogJSON)
	if err != nil {
		panic("catalog: embedded catalog_data.json: " + err.Error())
	}
	return c
})

// decodes counts the decodings of the embedded catalogue (at most one).
var decodes atomic.Int32

// Decoded reports whether this process has decoded the embedded catalogue
// yet. Tests use it to prove that a code path (vclide version, vclide fmt)
// never needs the catalogue.
func Decoded() bool { return decodes.Load() > 0 }

func decode(raw []byte) (*catalog, error) {
	var j schema.Catalog
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, err
	}
	c := &catalog{
		vars:    make(map[string]*Variable, len(j.Variables)),
		funcs:   make(map[string]*Function, len(j.Functions)),
		headers: j.Headers,
	}
	vars := make([]Variable, len(j.Variables))
	for i, jv := range j.Variables {
		v := &vars[i]
		var err error
		*v = Variable{Name: jv.Name, Description: jv.Description, Link: jv.Link, Category: jv.Category, Pattern: jv.Pattern, Deprecated: jv.Deprecated, SeenIn: jv.SeenIn}
		if v.Type, err = parseType(jv.Type); err != nil {
			return nil, fmt.Errorf("variable %s: %w", jv.Name, err)
		}
		if v.Read, err = parseSubs(jv.Read); err != nil {
			return nil, fmt.Errorf("variable %s: %w", jv.Name, err)
		}
		if v.Set, err = parseSubs(jv.Set); err != nil {
			return nil, fmt.Errorf("variable %s: %w", jv.Name, err)
		}
		if v.Unset, err = parseSubs(jv.Unset); err != nil {
			return nil, fmt.Errorf("variable %s: %w", jv.Name, err)
		}
		if _, dup := c.vars[v.Name]; dup {
			return nil, fmt.Errorf("variable %s listed twice", v.Name)
		}
		c.vars[v.Name] = v
		c.sortedVars = append(c.sortedVars, v)
		if v.Pattern {
			star := strings.IndexByte(v.Name, '*')
			if star < 0 || strings.LastIndexByte(v.Name, '*') != star {
				return nil, fmt.Errorf("pattern %s needs exactly one *", v.Name)
			}
			prefix, suffix := v.Name[:star], v.Name[star+1:]
			switch {
			case suffix == "" && strings.HasSuffix(prefix, ".http."):
				c.headerPats = append(c.headerPats, v)
			default:
				c.otherPats = append(c.otherPats, pattern{prefix: prefix, suffix: suffix, digits: prefix == "re.group." && suffix == "", v: v})
			}
		}
	}
	sort.Slice(c.sortedVars, func(a, b int) bool { return c.sortedVars[a].Name < c.sortedVars[b].Name })

	fns := make([]Function, len(j.Functions))
	for i, jf := range j.Functions {
		f := &fns[i]
		*f = Function{Name: jf.Name, Description: jf.Description, Link: jf.Link, Category: jf.Category, Deprecated: jf.Deprecated}
		var err error
		if f.Subs, err = parseSubs(jf.Subs); err != nil {
			return nil, fmt.Errorf("function %s: %w", jf.Name, err)
		}
		for _, js := range jf.Overloads {
			sig := Signature{Params: make([]Param, 0, len(js.Params))}
			if sig.Return, err = parseType(js.Return); err != nil {
				return nil, fmt.Errorf("function %s: %w", jf.Name, err)
			}
			for _, jp := range js.Params {
				p := Param{Name: jp.Name, Optional: jp.Optional, Variadic: jp.Variadic}
				if p.Type, err = parseType(jp.Type); err != nil {
					return nil, fmt.Errorf("function %s: %w", jf.Name, err)
				}
				sig.Params = append(sig.Params, p)
			}
			f.Overloads = append(f.Overloads, sig)
		}
		if len(f.Overloads) == 0 {
			return nil, fmt.Errorf("function %s has no signature", f.Name)
		}
		if _, dup := c.funcs[f.Name]; dup {
			return nil, fmt.Errorf("function %s listed twice", f.Name)
		}
		c.funcs[f.Name] = f
		c.sortedFns = append(c.sortedFns, f)
	}
	sort.Slice(c.sortedFns, func(a, b int) bool { return c.sortedFns[a].Name < c.sortedFns[b].Name })

	seen := SubSet(0)
	for _, js := range j.Subroutines {
		s, ok := ParseSub(js.Name)
		if !ok {
			return nil, fmt.Errorf("unknown subroutine %q", js.Name)
		}
		seen = seen.With(s)
		c.subs[s] = SubInfo{Sub: s, Node: js.Node, DefaultReturn: js.DefaultReturn, Returns: js.Returns, Undocumented: js.Undocumented, Description: js.Description, Link: js.Link}
	}
	if seen != AllSubs {
		return nil, fmt.Errorf("subroutines missing: have %s", seen)
	}
	return c, nil
}

func parseType(s string) (Type, error) {
	t, ok := ParseType(s)
	if !ok {
		return TypeUnknown, fmt.Errorf("unknown type %q", s)
	}
	return t, nil
}

func parseSubs(names []string) (SubSet, error) {
	var ss SubSet
	for _, n := range names {
		s, ok := ParseSub(n)
		if !ok {
			return 0, fmt.Errorf("unknown subroutine %q", n)
		}
		ss = ss.With(s)
	}
	return ss, nil
}

// ------------------------------------------------------------- variables

// LookupVariable finds a predefined variable by its name as written in VCL.
//
// Exact names are tried first. Otherwise header references such as
// req.http.X-Foo (any case, hyphens included) and subfield references such
// as req.http.Cookie:session resolve to their header family (req.http.*,
// bereq.http.*, beresp.http.*, obj.http.*, resp.http.*), and names such as
// backend.F_origin.healthy, director.d1.healthy, ratecounter.rc.rate.10s or
// re.group.1 resolve to their family. The returned Variable is shared and
// must not be modified. LookupVariable does not allocate.
func LookupVariable(name string) (*Variable, bool) {
	c := data()
	if v, ok := c.vars[name]; ok {
		return v, true
	}
	for _, v := range c.headerPats {
		prefix := v.Name[:len(v.Name)-1]
		if len(name) > len(prefix) && name[:len(prefix)] == prefix && validHeaderRef(name[len(prefix):]) {
			return v, true
		}
	}
	for i := range c.otherPats {
		p := &c.otherPats[i]
		if len(name) <= len(p.prefix)+len(p.suffix) || !strings.HasPrefix(name, p.prefix) || !strings.HasSuffix(name, p.suffix) {
			continue
		}
		if validWildcard(name[len(p.prefix):len(name)-len(p.suffix)], p.digits) {
			return p.v, true
		}
	}
	return nil, false
}

// validHeaderRef accepts "Name" or "Name:subfield" where both parts are
// non-empty and free of blanks and further colons in the header part.
func validHeaderRef(s string) bool {
	colon := -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ':':
			if colon < 0 {
				colon = i
			}
		case c <= ' ' || c == 0x7f || c == '"' || c == '(' || c == ')' || c == ';' || c == ',' || c == '{' || c == '}':
			return false
		}
	}
	if colon < 0 {
		return true
	}
	return colon > 0 && colon < len(s)-1
}

// validWildcard accepts the variable part of a non-header family: an
// identifier (letters, digits, underscores, hyphens; no dots) or, for
// re.group.N, a number.
func validWildcard(s string, digits bool) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		isDigit := c >= '0' && c <= '9'
		if digits {
			if !isDigit {
				return false
			}
			continue
		}
		if !(isDigit || c == '_' || c == '-' || (c|0x20 >= 'a' && c|0x20 <= 'z')) {
			return false
		}
	}
	return true
}

// Variables returns every variable and variable family, sorted by name. The
// slice is a fresh copy; the Variables it points to are shared.
func Variables() []*Variable {
	c := data()
	return append([]*Variable(nil), c.sortedVars...)
}

// VariablesWithPrefix returns the variables and families whose name starts
// with prefix, sorted by name, for completion. Families match on their
// pattern name (so "req.ht" finds req.http.*).
func VariablesWithPrefix(prefix string) []*Variable {
	c := data()
	lo := sort.Search(len(c.sortedVars), func(i int) bool { return c.sortedVars[i].Name >= prefix })
	hi := lo
	for hi < len(c.sortedVars) && strings.HasPrefix(c.sortedVars[hi].Name, prefix) {
		hi++
	}
	return append([]*Variable(nil), c.sortedVars[lo:hi]...)
}

// ------------------------------------------------------------- functions

// LookupFunction finds a builtin function by name. The returned Function is
// shared and must not be modified. LookupFunction does not allocate.
func LookupFunction(name string) (*Function, bool) {
	f, ok := data().funcs[name]
	return f, ok
}

// Functions returns every builtin function, sorted by name.
func Functions() []*Function {
	return append([]*Function(nil), data().sortedFns...)
}

// FunctionsWithPrefix returns the functions whose name starts with prefix,
// sorted by name, for completion.
func FunctionsWithPrefix(prefix string) []*Function {
	c := data()
	lo := sort.Search(len(c.sortedFns), func(i int) bool { return c.sortedFns[i].Name >= prefix })
	hi := lo
	for hi < len(c.sortedFns) && strings.HasPrefix(c.sortedFns[hi].Name, prefix) {
		hi++
	}
	return append([]*Function(nil), c.sortedFns[lo:hi]...)
}

// ------------------------------------------------------------- subroutines

// SubInfoOf describes the built-in subroutine s, or returns nil when s is
// not one. The result is shared and must not be modified.
func SubInfoOf(s Sub) *SubInfo {
	if s >= NumSubs {
		return nil
	}
	return &data().subs[s]
}

// ValidReturn reports whether return(action) is accepted in s. Actions are
// compared without regard to case. It does not allocate.
func ValidReturn(s Sub, action string) bool {
	if s >= NumSubs {
		return false
	}
	for _, r := range data().subs[s].Returns {
		if strings.EqualFold(r, action) {
			return true
		}
	}
	return false
}

// ------------------------------------------------------------- headers

// CommonHeaders returns the names of HTTP headers that Fastly gives a
// meaning to (Fastly-Debug, Surrogate-Key, ...), sorted, for completion
// after req.http. and friends.
func CommonHeaders() []string {
	return append([]string(nil), data().headers...)
}
