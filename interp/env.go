package interp

import (
	"math/rand"
	"net/http"
	"strings"
	"time"

	"github.com/vclide/vclide/interp/builtin"
	"github.com/vclide/vclide/interp/value"
)

// The running request is the builtins' environment (builtin.Env).
var (
	_ builtin.Env            = (*execState)(nil)
	_ builtin.RateLimitStore = (*execState)(nil)
)

// Now is the virtual clock's current time.
func (x *execState) Now() time.Time { return x.now() }

// Rand is the request's deterministic random source.
func (x *execState) Rand() *rand.Rand { return x.rand() }

// Headers returns the live header map of req, bereq, beresp, obj or resp,
// nil where the object does not exist.
func (x *execState) Headers(object string) http.Header {
	k, ok := parseObjKind(strings.ToLower(object))
	if !ok {
		return nil
	}
	h, err := x.headerMap(k)
	if err != nil {
		return nil
	}
	return h
}

// Table returns a table's entries. A table the VCL does not declare (an
// edge dictionary living in the Fastly service, which the checker warns
// about) is empty.
func (x *execState) Table(name string) (map[string]value.Value, bool) {
	if x.test != nil {
		if t, ok := x.test.tables[name]; ok {
			return t, true
		}
	}
	if t, ok := x.e.tables[name]; ok {
		return t, true
	}
	return emptyTable, true
}

var emptyTable = map[string]value.Value{}

// SetVariable assigns a variable by name, as `set` does.
func (x *execState) SetVariable(name string, v value.Value) error {
	cv := x.lookupName(name)
	c, err := convertFor(v, cv.typ())
	if err != nil {
		return err
	}
	return cv.set(x, c)
}

// Variable reads a variable by name.
func (x *execState) Variable(name string) (value.Value, error) {
	return x.lookupName(name).get(x)
}

// RateLimits is the engine's ratecounter and penaltybox state.
func (x *execState) RateLimits() *builtin.RateLimits {
	if x.test != nil && x.test.rl != nil {
		return x.test.rl
	}
	return x.e.rateLimits
}

// lookupName binds a variable name at run time: a local of the current
// frame, or a predefined variable (cached per engine).
func (x *execState) lookupName(name string) cvar {
	if strings.HasPrefix(name, "var.") {
		if n := len(x.frames); n > 0 {
			cs := x.frames[n-1].sub
			for i, s := range cs.slotNames {
				if s == name {
					return &localVar{slot: i, t: cs.slotTypes[i], n: name}
				}
			}
		}
		return &unsupportedVar{n: name, msg: "no local variable " + name + " in the running subroutine"}
	}
	if v, ok := x.e.names.Load(name); ok {
		return v.(cvar)
	}
	v := bindVar(name)
	if strings.HasPrefix(name, "re.group.") {
		x.e.usesGroups = true
	}
	x.e.names.Store(name, v)
	return v
}
