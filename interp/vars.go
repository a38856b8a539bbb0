package interp

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/value"
)

// cvar is a variable bound at compile time: a local, a header, a
// predefined variable, a regex group, or one the simulator does not model.
type cvar interface {
	get(x *execState) (value.Value, error)
	set(x *execState, v value.Value) error
	unset(x *execState) error
	typ() catalog.Type
	name() string
}

// errNotSimulated is wrapped by errors about variables and functions the
// simulator does not model.
var errNotSimulated = errors.New("not simulated")

// objKind names the five HTTP objects VCL reaches.
type objKind uint8

const (
	kReq objKind = iota
	kBereq
	kBeresp
	kObj
	kResp
)

var objNames = [...]string{"req", "bereq", "beresp", "obj", "resp"}

func parseObjKind(s string) (objKind, bool) {
	for i, n := range objNames {
		if n == s {
			return objKind(i), true
		}
	}
	return 0, false
}

// ---------------------------------------------------------------------------
// Locals

// localVar is a `declare local` variable or a subroutine parameter, stored
// in the current frame's slot.
type localVar struct {
	slot int
	t    catalog.Type
	n    string
}

func (l *localVar) get(x *execState) (value.Value, error) { return x.slab[x.base+l.slot], nil }

func (l *localVar) set(x *execState, v value.Value) error {
	x.slab[x.base+l.slot] = v
	return nil
}

func (l *localVar) unset(x *execState) error {
	x.slab[x.base+l.slot] = zeroValue(l.t)
	return nil
}

func (l *localVar) typ() catalog.Type { return l.t }
func (l *localVar) name() string      { return l.n }

// zeroValue is the value a local has when declared: not set for STRING
// and IP, zero for numbers and durations, false, the epoch for TIME.
func zeroValue(t catalog.Type) value.Value {
	switch t {
	case catalog.TypeString:
		return value.NullString()
	case catalog.TypeInteger:
		return value.Integer(0)
	case catalog.TypeFloat:
		return value.Float(0)
	case catalog.TypeBool:
		return value.Bool(false)
	case catalog.TypeRTime:
		return value.RTime(0)
	case catalog.TypeTime:
		return value.Time(epoch)
	case catalog.TypeIP:
		return value.Value{T: catalog.TypeIP, NotSet: true}
	case catalog.TypeBackend:
		return value.Value{T: catalog.TypeBackend}
	}
	return value.Value{T: t}
}

// ---------------------------------------------------------------------------
// Headers

// headerVar is OBJ.http.NAME, or OBJ.http.NAME:FIELD for a subfield.
type headerVar struct {
	obj   objKind
	key   string // canonical header name
	field string // subfield name, "" for the whole header
	n     string
}

func newHeaderVar(obj objKind, rest, full string) *headerVar {
	h := &headerVar{obj: obj, n: full}
	if i := strings.IndexByte(rest, ':'); i > 0 {
		h.field = rest[i+1:]
		rest = rest[:i]
	}
	h.key = http.CanonicalHeaderKey(rest)
	return h
}

func (h *headerVar) get(x *execState) (value.Value, error) {
	m, err := x.headerMap(h.obj)
	if err != nil {
		return value.Value{}, err
	}
	v, ok := headerGet(m, h.key)
	if !ok {
		return value.NullString(), nil
	}
	if h.field != "" {
		f, ok := subfieldGet(v, h.field, subfieldSep(h.key))
		if !ok {
			return value.NullString(), nil
		}
		return value.String(f), nil
	}
	return value.String(v), nil
}

func (h *headerVar) set(x *execState, v value.Value) error {
	m, err := x.headerMap(h.obj)
	if err != nil {
		return err
	}
	if h.field != "" {
		cur, _ := headerGet(m, h.key)
		nv := subfieldSet(cur, h.field, v.String(), subfieldSep(h.key), v.NotSet)
		if nv == "" {
			headerDel(m, h.key)
			return nil
		}
		headerSet(m, h.key, nv)
		return nil
	}
	if v.NotSet {
		headerDel(m, h.key)
		return nil
	}
	headerSet(m, h.key, v.Str)
	return nil
}

// add appends one more header line (the add statement).
func (h *headerVar) add(x *execState, v value.Value) error {
	if h.field != "" {
		return h.set(x, v)
	}
	m, err := x.headerMap(h.obj)
	if err != nil {
		return err
	}
	if v.NotSet {
		return nil
	}
	m[h.key] = append(m[h.key], v.Str)
	return nil
}

func (h *headerVar) unset(x *execState) error {
	if h.field != "" {
		return h.set(x, value.NullString())
	}
	m, err := x.headerMap(h.obj)
	if err != nil {
		return err
	}
	headerDel(m, h.key)
	return nil
}

func (h *headerVar) typ() catalog.Type { return catalog.TypeString }
func (h *headerVar) name() string      { return h.n }

// ---------------------------------------------------------------------------
// Predefined variables

// varSpec is how one predefined variable reads and writes request state.
// A nil set or unset means the variable cannot be assigned or unset.
type varSpec struct {
	t     catalog.Type
	get   func(x *execState) (value.Value, error)
	set   func(x *execState, v value.Value) error
	unset func(x *execState) error
}

// specVar binds a name to its varSpec.
type specVar struct {
	spec *varSpec
	n    string
}

func (s *specVar) get(x *execState) (value.Value, error) {
	if x.test != nil && x.test.injected != nil {
		if v, ok := x.test.injected[s.n]; ok {
			return v, nil
		}
	}
	return s.spec.get(x)
}

func (s *specVar) set(x *execState, v value.Value) error {
	if s.spec.set == nil {
		return fmt.Errorf("%s is read-only", s.n)
	}
	return s.spec.set(x, v)
}

func (s *specVar) unset(x *execState) error {
	if s.spec.unset == nil {
		return fmt.Errorf("%s cannot be unset", s.n)
	}
	return s.spec.unset(x)
}

func (s *specVar) typ() catalog.Type { return s.spec.t }
func (s *specVar) name() string      { return s.n }

// reGroupVar is re.group.N, the captures of the last successful match.
type reGroupVar struct {
	n int
	s string
}

func (r *reGroupVar) get(x *execState) (value.Value, error) {
	if r.n < len(x.reGroups) {
		return value.String(x.reGroups[r.n]), nil
	}
	return value.NullString(), nil
}

func (r *reGroupVar) set(*execState, value.Value) error { return fmt.Errorf("%s is read-only", r.s) }
func (r *reGroupVar) unset(*execState) error            { return fmt.Errorf("%s cannot be unset", r.s) }
func (r *reGroupVar) typ() catalog.Type                 { return catalog.TypeString }
func (r *reGroupVar) name() string                      { return r.s }

// constVar is a read-only variable with a fixed value (backend health,
// which the simulator always reports as healthy).
type constVar struct {
	v value.Value
	n string
}

func (c *constVar) get(*execState) (value.Value, error) { return c.v, nil }
func (c *constVar) set(*execState, value.Value) error   { return fmt.Errorf("%s is read-only", c.n) }
func (c *constVar) unset(*execState) error              { return fmt.Errorf("%s cannot be unset", c.n) }
func (c *constVar) typ() catalog.Type                   { return c.v.T }
func (c *constVar) name() string                        { return c.n }

func boolConst(n string, b bool) *constVar { return &constVar{v: value.Bool(b), n: n} }

// unsupportedVar is a variable the simulator does not model: any use is a
// runtime error that ends the request with a 503.
type unsupportedVar struct {
	n   string
	t   catalog.Type
	msg string // a different reason (an unknown local)
}

func (u *unsupportedVar) err() error {
	if u.msg != "" {
		return errors.New(u.msg)
	}
	return fmt.Errorf("variable %s is %w", u.n, errNotSimulated)
}

func (u *unsupportedVar) get(x *execState) (value.Value, error) {
	if x.test != nil && x.test.injected != nil {
		if v, ok := x.test.injected[u.n]; ok {
			return v, nil
		}
	}
	return value.Value{}, u.err()
}
func (u *unsupportedVar) set(*execState, value.Value) error { return u.err() }
func (u *unsupportedVar) unset(*execState) error            { return u.err() }
func (u *unsupportedVar) typ() catalog.Type                 { return u.t }
func (u *unsupportedVar) name() string                      { return u.n }

// ---------------------------------------------------------------------------
// Binding names

// bindVar returns the variable a (non-local) name denotes.
func bindVar(name string) cvar {
	if v, ok := lookupHeaderVar(name); ok {
		return v
	}
	if s, ok := varTable[name]; ok {
		return &specVar{spec: s, n: name}
	}
	if strings.HasPrefix(name, "re.group.") {
		if n, err := strconv.Atoi(name[len("re.group."):]); err == nil && n >= 0 {
			return &reGroupVar{n: n, s: name}
		}
	}
	for _, fam := range []string{"backend.", "director."} {
		if strings.HasPrefix(name, fam) && strings.HasSuffix(name, ".healthy") {
			return &healthVar{n: name, backend: strings.TrimSuffix(strings.TrimPrefix(name, fam), ".healthy")}
		}
	}
	if strings.HasPrefix(name, "testing.") {
		return &testVar{n: name}
	}
	t := catalog.TypeUnknown
	if v, ok := catalog.LookupVariable(name); ok {
		t = v.Type
	}
	return &unsupportedVar{n: name, t: t}
}

// lookupHeaderVar recognises OBJ.http.NAME[:FIELD].
func lookupHeaderVar(name string) (*headerVar, bool) {
	i := strings.Index(name, ".http.")
	if i <= 0 || len(name) == i+6 {
		return nil, false
	}
	k, ok := parseObjKind(name[:i])
	if !ok {
		return nil, false
	}
	return newHeaderVar(k, name[i+6:], name), true
}
