package builtin_test

import (
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/builtin"
	"github.com/vclide/vclide/interp/value"
)

// interpreterImplemented lists catalogue functions that the interpreter
// evaluates itself rather than through a registered builtin, each with the
// reason. It is empty: every catalogue function is a builtin today. Add an
// entry only together with the interpreter code that handles the function.
var interpreterImplemented = map[string]string{}

// TestCatalogueFunctionsImplemented fails when a function in the catalogue
// has no implementation, so that adding a function to the catalogue without
// implementing it (or dropping an implementation) is caught.
func TestCatalogueFunctionsImplemented(t *testing.T) {
	fns := catalog.Functions()
	if len(fns) == 0 {
		t.Fatal("catalogue lists no functions")
	}
	for _, f := range fns {
		_, registered := builtin.Lookup(f.Name)
		reason, byInterpreter := interpreterImplemented[f.Name]
		switch {
		case byInterpreter && registered:
			t.Errorf("%s is registered as a builtin but listed as implemented by the interpreter (%s)", f.Name, reason)
		case !byInterpreter && !registered:
			t.Errorf("catalogue function %s has no implementation", f.Name)
		}
	}
	// Every exception must name a real catalogue function.
	for name := range interpreterImplemented {
		if _, ok := catalog.LookupFunction(name); !ok {
			t.Errorf("interpreterImplemented lists %s, which is not in the catalogue", name)
		}
	}
}

// TestBuiltinsAreCatalogued fails when a builtin is registered under a name
// the catalogue does not know (a misspelt registration would otherwise leave
// the real function unimplemented and the analyser unaware of it).
func TestBuiltinsAreCatalogued(t *testing.T) {
	for _, name := range builtin.Names() {
		if _, ok := catalog.LookupFunction(name); !ok {
			t.Errorf("builtin %s is not in the catalogue", name)
		}
	}
}

// TestArityCheckedAtRegistration: every builtin refuses, with an error and
// without running, a call with fewer or more arguments than the catalogue's
// signatures accept, so implementations need no argument-count prologue.
func TestArityCheckedAtRegistration(t *testing.T) {
	for _, name := range builtin.Names() {
		fn, _ := catalog.LookupFunction(name)
		lo, hi := fn.Overloads[0].MinArgs(), fn.Overloads[0].MaxArgs()
		for _, sig := range fn.Overloads[1:] {
			lo = min(lo, sig.MinArgs())
			if m := sig.MaxArgs(); hi >= 0 && (m < 0 || m > hi) {
				hi = m
			}
		}
		f, _ := builtin.Lookup(name)
		var bad []int
		if lo > 0 {
			bad = append(bad, lo-1)
		}
		if hi >= 0 {
			bad = append(bad, hi+1)
		}
		for _, n := range bad {
			args := make([]value.Value, n)
			for i := range args {
				args[i] = value.String("1")
			}
			_, err := f(nil, args) // a nil Env: the check must come first
			if err == nil || !strings.Contains(err.Error(), name+": want ") {
				t.Errorf("%s with %d arguments: err = %v, want an argument-count error", name, n, err)
			}
		}
	}
}
