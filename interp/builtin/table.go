package builtin

import (
	"fmt"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/value"
)

// This file implements the table.* builtins over the tables (and edge
// dictionaries) the interpreter exposes through Env.Table.

// unsatisfiableRegex is the source of the REGEX table.lookup_regex returns
// for an absent key: a negative look-ahead of the empty string, which no
// input can match.
const unsatisfiableRegex = "(?!)"

// tableEntry looks up key in the table named by the ID argument 0. A table
// the program does not declare is an error (Fastly rejects it at compile
// time); so is a table whose values are not of type want.
func tableEntry(env Env, fn string, args []value.Value, want catalog.Type) (value.Value, bool, error) {
	name := argStr(args, 0)
	t, ok := env.Table(name)
	if !ok {
		return value.Value{}, false, fmt.Errorf("%s: no table named %q", fn, name)
	}
	v, found := t[argStr(args, 1)]
	if !found {
		return value.Value{}, false, nil
	}
	if want != catalog.TypeUnknown && v.T != want {
		return value.Value{}, false, fmt.Errorf("%s: table %s holds %s values, not %s", fn, name, v.T, want)
	}
	return v, true, nil
}

// tableLookup implements table.lookup(id, key [, default]): the STRING
// value, else the default when given, else not set.
func tableLookup(env Env, a []value.Value) (value.Value, error) {
	v, found, err := tableEntry(env, "table.lookup", a, catalog.TypeString)
	if err != nil || found {
		return v, err
	}
	if len(a) > 2 {
		return a[2], nil
	}
	return value.NullString(), nil
}

// tableTypedLookup builds table.lookup_<type>(id, key, default) for tables whose
// values have type t; the default is required and returned for an absent
// key.
func tableTypedLookup(fn string, t catalog.Type) Func {
	return func(env Env, a []value.Value) (value.Value, error) {
		if len(a) < 3 {
			return value.Value{}, argError(fn, 2, "default value missing")
		}
		v, found, err := tableEntry(env, fn, a, t)
		if err != nil || found {
			return v, err
		}
		return a[2], nil
	}
}

// tableLookupRegex implements table.lookup_regex(id, key): the REGEX value,
// or a regex that matches nothing for an absent key.
func tableLookupRegex(env Env, a []value.Value) (value.Value, error) {
	v, found, err := tableEntry(env, "table.lookup_regex", a, catalog.TypeRegex)
	if err != nil || found {
		return v, err
	}
	return value.Value{T: catalog.TypeRegex, Str: unsatisfiableRegex}, nil
}

// tableContains implements table.contains(id, key) for a table of any
// value type.
func tableContains(env Env, a []value.Value) (value.Value, error) {
	_, found, err := tableEntry(env, "table.contains", a, catalog.TypeUnknown)
	if err != nil {
		return value.Value{}, err
	}
	return value.Bool(found), nil
}

func init() {
	register("table.lookup", tableLookup)
	register("table.lookup_acl", tableTypedLookup("table.lookup_acl", catalog.TypeACL))
	register("table.lookup_backend", tableTypedLookup("table.lookup_backend", catalog.TypeBackend))
	register("table.lookup_bool", tableTypedLookup("table.lookup_bool", catalog.TypeBool))
	register("table.lookup_float", tableTypedLookup("table.lookup_float", catalog.TypeFloat))
	register("table.lookup_integer", tableTypedLookup("table.lookup_integer", catalog.TypeInteger))
	register("table.lookup_ip", tableTypedLookup("table.lookup_ip", catalog.TypeIP))
	register("table.lookup_rtime", tableTypedLookup("table.lookup_rtime", catalog.TypeRTime))
	register("table.lookup_regex", tableLookupRegex)
	register("table.contains", tableContains)
}
