package catalog

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// catalog_data.go holds the catalogue as Go tables that the compiler lays
// out as static data. internal/gen writes it from the reference tables in
// ../shared (when present) and notes.yaml; the generator leaves the
// committed file alone when the tables are missing.
//
//go:generate go run ./internal/gen

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

// catalog holds the indexes built over the generated tables: what the
// tables cannot give without a search (lookups by name, the wildcard
// families).
type catalog struct {
	vars       map[string]*Variable
	headerPats []*Variable // req.http.*, bereq.http.*, ...: prefix is Name minus "*"
	otherPats  []pattern   // backend.*.healthy, re.group.*, ...
	funcs      map[string]*Function
}

// pattern is a non-header wildcard family split around its "*".
type pattern struct {
	prefix, suffix string
	digits         bool // the variable part must be a number (re.group.N)
	v              *Variable
}

// The indexes are built on first use. No package init builds them (the
// package has no init at all; TestCatalogHasNoInit in cmd/vclide checks
// it): commands that never look a name up (version, fmt) do not pay for
// them.
var (
	loadOnce sync.Once
	loaded   *catalog
	loads    atomic.Int32 // builds of the indexes (at most one)
)

// data returns the catalogue's indexes, building them on the first call.
func data() *catalog {
	loadOnce.Do(load)
	return loaded
}

func load() {
	loads.Add(1)
	c, err := build(variableTable[:], functionTable[:], &subroutineTable)
	if err != nil {
		panic("catalog: generated tables: " + err.Error())
	}
	loaded = c
}

// Decoded reports whether this process has loaded the catalogue (built its
// indexes) yet. Tests use it to prove that a code path (vclide version,
// vclide fmt) never needs the catalogue.
func Decoded() bool { return loads.Load() > 0 }

// build indexes the tables. vars and fns must be sorted by name without
// duplicates and every built-in subroutine described; the generator makes
// them so, and build checks it rather than trusting a hand edit.
func build(vars []Variable, fns []Function, subs *[NumSubs]SubInfo) (*catalog, error) {
	c := &catalog{
		vars:  make(map[string]*Variable, len(vars)),
		funcs: make(map[string]*Function, len(fns)),
	}
	for i := range vars {
		v := &vars[i]
		if i > 0 && vars[i-1].Name >= v.Name {
			return nil, fmt.Errorf("variable %s: not sorted after %s, or listed twice", v.Name, vars[i-1].Name)
		}
		if v.Type == TypeUnknown {
			return nil, fmt.Errorf("variable %s has no type", v.Name)
		}
		c.vars[v.Name] = v
		if !v.Pattern {
			continue
		}
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
	for i := range fns {
		f := &fns[i]
		if i > 0 && fns[i-1].Name >= f.Name {
			return nil, fmt.Errorf("function %s: not sorted after %s, or listed twice", f.Name, fns[i-1].Name)
		}
		if len(f.Overloads) == 0 {
			return nil, fmt.Errorf("function %s has no signature", f.Name)
		}
		c.funcs[f.Name] = f
	}
	for s := range subs {
		if subs[s].Sub != Sub(s) || len(subs[s].Returns) == 0 {
			return nil, fmt.Errorf("subroutine %s is not described", Sub(s).VCLName())
		}
	}
	return c, nil
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
	return pointers(variableTable[:])
}

// VariablesWithPrefix returns the variables and families whose name starts
// with prefix, sorted by name, for completion. Families match on their
// pattern name (so "req.ht" finds req.http.*).
func VariablesWithPrefix(prefix string) []*Variable {
	t := variableTable[:]
	lo := sort.Search(len(t), func(i int) bool { return t[i].Name >= prefix })
	hi := lo
	for hi < len(t) && strings.HasPrefix(t[hi].Name, prefix) {
		hi++
	}
	return pointers(t[lo:hi])
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
	return pointers(functionTable[:])
}

// FunctionsWithPrefix returns the functions whose name starts with prefix,
// sorted by name, for completion.
func FunctionsWithPrefix(prefix string) []*Function {
	t := functionTable[:]
	lo := sort.Search(len(t), func(i int) bool { return t[i].Name >= prefix })
	hi := lo
	for hi < len(t) && strings.HasPrefix(t[hi].Name, prefix) {
		hi++
	}
	return pointers(t[lo:hi])
}

// ------------------------------------------------------------- subroutines

// SubInfoOf describes the built-in subroutine s, or returns nil when s is
// not one. The result is shared and must not be modified.
func SubInfoOf(s Sub) *SubInfo {
	if s >= NumSubs {
		return nil
	}
	return &subroutineTable[s]
}

// ValidReturn reports whether return(action) is accepted in s. Actions are
// compared without regard to case. It does not allocate.
func ValidReturn(s Sub, action string) bool {
	if s >= NumSubs {
		return false
	}
	for _, r := range subroutineTable[s].Returns {
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
	return append([]string(nil), commonHeaders[:]...)
}

// pointers returns a fresh slice pointing at each element of table, which
// the caller shares and must not modify.
func pointers[T any](table []T) []*T {
	out := make([]*T, len(table))
	for i := range table {
		out[i] = &table[i]
	}
	return out
}
