// Package builtin implements Fastly's builtin VCL functions for the
// interpreter. Each function is registered under its VCL name and receives
// already-evaluated arguments; functions that need request state (headers,
// tables, the clock, randomness) reach it through Env.
package builtin

import (
	"errors"
	"fmt"
	"math/rand"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/value"
)

// Env is what a builtin may ask of the running request. The interpreter
// implements it; tests use a fake.
type Env interface {
	// Now is the virtual clock's current time.
	Now() time.Time
	// Rand is the request's deterministic random source.
	Rand() *rand.Rand
	// Headers returns the live header map of "req", "bereq", "beresp",
	// "obj" or "resp" (nil when that object is not available here).
	// Changes made to the returned map are visible to VCL.
	Headers(object string) http.Header
	// Table returns the entries of a VCL table (or edge dictionary).
	Table(name string) (map[string]value.Value, bool)
	// SetVariable assigns a predefined variable by name (used by the few
	// functions with side effects on request state).
	SetVariable(name string, v value.Value) error
	// Variable reads a predefined variable by name.
	Variable(name string) (value.Value, error)
}

// Func is a builtin's implementation. Arguments arrive evaluated and
// converted to the catalogue parameter types; a parameter that names a
// variable or header rather than its value (for example std.collect's
// argument, or header.get's first argument `req`) arrives as value.ID holding
// the full name as written ("req.http.Cookie", "req").
type Func func(env Env, args []value.Value) (value.Value, error)

var registry = map[string]Func{}

// register adds f under name; called from init functions in this package.
// The number of arguments is checked here, once, against the catalogue's
// signatures, so implementations index their arguments without checking.
func register(name string, f Func) {
	if _, dup := registry[name]; dup {
		panic("builtin registered twice: " + name)
	}
	registry[name] = withArity(name, f)
}

// withArity wraps f with the check that a call passes as many arguments as
// one of the catalogue's signatures for name accepts. The bounds are read
// from the catalogue on the first call, so registering decodes nothing;
// names the catalogue does not know run unchecked.
func withArity(name string, f Func) Func {
	bounds := sync.OnceValues(func() (lo, hi int) { return arity(name) })
	return func(env Env, args []value.Value) (value.Value, error) {
		lo, hi := bounds()
		if len(args) < lo || hi >= 0 && len(args) > hi {
			return value.Value{}, arityError(name, len(args), lo, hi)
		}
		return f(env, args)
	}
}

// arity is the fewest and most arguments (-1: no limit) the catalogue's
// signatures for name accept; 0 and -1 for a name it does not know.
func arity(name string) (lo, hi int) {
	fn, ok := catalog.LookupFunction(name)
	if !ok || len(fn.Overloads) == 0 {
		return 0, -1
	}
	lo, hi = fn.Overloads[0].MinArgs(), fn.Overloads[0].MaxArgs()
	for _, sig := range fn.Overloads[1:] {
		lo = min(lo, sig.MinArgs())
		if m := sig.MaxArgs(); hi >= 0 && (m < 0 || m > hi) {
			hi = m
		}
	}
	return lo, hi
}

// arityError reports a call with a number of arguments no signature takes.
func arityError(fn string, got, lo, hi int) error {
	switch {
	case lo == hi:
		return fmt.Errorf("%s: want %d arguments, got %d", fn, lo, got)
	case hi < 0:
		return fmt.Errorf("%s: want at least %d arguments, got %d", fn, lo, got)
	}
	return fmt.Errorf("%s: want %d to %d arguments, got %d", fn, lo, hi, got)
}

// Lookup returns the implementation of the named function.
func Lookup(name string) (Func, bool) {
	f, ok := registry[name]
	return f, ok
}

// Names lists every implemented function, sorted.
func Names() []string {
	out := make([]string, 0, len(registry))
	for n := range registry {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ErrNotSupported is returned (wrapped) by functions the simulator cannot
// perform faithfully.
var ErrNotSupported = errors.New("not supported by the simulator")

// argError reports a bad argument to a builtin.
func argError(fn string, i int, format string, a ...any) error {
	return fmt.Errorf("%s: argument %d: %s", fn, i+1, fmt.Sprintf(format, a...))
}
