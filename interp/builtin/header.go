package builtin

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/vclide/vclide/interp/value"
)

// This file implements the header.* builtins, which reach the headers of
// req, resp, obj, bereq or beresp by a name computed at run time.

// protectedHeaders are the headers Fastly does not let VCL modify; the
// header.* functions leave them alone.
var protectedHeaders = map[string]bool{
	"content-length":      true,
	"content-range":       true,
	"expect":              true,
	"fastly-ff":           true,
	"proxy-authenticate":  true,
	"proxy-authorization": true,
	"te":                  true,
	"trailer":             true,
	"transfer-encoding":   true,
	"upgrade":             true,
}

// validHeaderName reports whether name is a header name header.set
// accepts: 1 to 126 characters from ! # $ % & ' * + - . 0-9 A-Z ^ _ ` a-z | ~.
func validHeaderName(name string) bool {
	if name == "" || len(name) > 126 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// modifiableHeader reports whether header.set, header.unset and the filters
// may change the header called name.
func modifiableHeader(name string) bool {
	return validHeaderName(name) && !protectedHeaders[strings.ToLower(name)]
}

// headerGet implements header.get(where, name): the header's first value,
// or not set when it is absent or the name is invalid.
func headerGet(env Env, a []value.Value) (value.Value, error) {
	h, err := objectHeaders(env, "header.get", a, 0)
	if err != nil {
		return value.Value{}, err
	}
	name := argStr(a, 1)
	if !validHeaderName(name) {
		return value.NullString(), nil
	}
	if v := headerValues(h, name); len(v) > 0 {
		return value.String(v[0]), nil
	}
	return value.NullString(), nil
}

// headerSet implements header.set(where, name, value), like
// `set where.http.name = value`. Protected headers and invalid names are
// left unchanged, as Fastly documents; a not-set value removes the header,
// as assigning not set to a header does.
func headerSet(env Env, args []value.Value) (value.Value, error) {
	h, err := objectHeaders(env, "header.set", args, 0)
	if err != nil {
		return value.Value{}, err
	}
	name := argStr(args, 1)
	if argNotSet(args, 1) || !modifiableHeader(name) {
		return value.Void(), nil
	}
	deleteHeader(h, name)
	if !argNotSet(args, 2) {
		h.Set(name, argStr(args, 2))
	}
	return value.Void(), nil
}

// headerUnset implements header.unset(where, name), like
// `unset where.http.name`, leaving protected headers and invalid names
// alone.
func headerUnset(env Env, a []value.Value) (value.Value, error) {
	h, err := objectHeaders(env, "header.unset", a, 0)
	if err != nil {
		return value.Value{}, err
	}
	if name := argStr(a, 1); modifiableHeader(name) {
		deleteHeader(h, name)
	}
	return value.Void(), nil
}

// headerFilterFunc builds header.filter (remove the listed headers) and
// header.filter_except (remove all but the listed headers); names are
// compared case-insensitively and protected headers always stay.
func headerFilterFunc(fn string, except bool) Func {
	return func(env Env, a []value.Value) (value.Value, error) {
		h, err := objectHeaders(env, fn, a, 0)
		if err != nil {
			return value.Value{}, err
		}
		listed := map[string]bool{}
		for i := 1; i < len(a); i++ {
			listed[strings.ToLower(argStr(a, i))] = true
		}
		for k := range h {
			lk := strings.ToLower(k)
			if listed[lk] != except && !protectedHeaders[lk] {
				delete(h, k)
			}
		}
		return value.Void(), nil
	}
}

func init() {
	register("header.get", headerGet)
	register("header.set", headerSet)
	register("header.unset", headerUnset)
	register("header.filter", headerFilterFunc("header.filter", false))
	register("header.filter_except", headerFilterFunc("header.filter_except", true))
}

// objectHeaders returns the live header map of the object named by an ID
// argument ("req", "resp", "obj", "bereq" or "beresp").
func objectHeaders(env Env, fn string, args []value.Value, i int) (http.Header, error) {
	where := argStr(args, i)
	switch where {
	case "req", "resp", "obj", "bereq", "beresp":
	default:
		return nil, argError(fn, i, "%q is not one of req, resp, obj, bereq, beresp", where)
	}
	h := env.Headers(where)
	if h == nil {
		return nil, fmt.Errorf("%s: %s is not available in this subroutine", fn, where)
	}
	return h, nil
}

// headerValues returns the values of the header called name in h, matching
// the name case-insensitively whatever the map's key spelling.
func headerValues(h http.Header, name string) []string {
	if v, ok := h[http.CanonicalHeaderKey(name)]; ok {
		return v
	}
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// deleteHeader removes every spelling of the header called name from h.
func deleteHeader(h http.Header, name string) {
	for k := range h {
		if strings.EqualFold(k, name) {
			delete(h, k)
		}
	}
}
