package builtin

import (
	"strings"

	"github.com/vclide/vclide/interp/value"
)

func init() {
	register("setcookie.get_value_by_name", setcookieGetValueByName)
	register("setcookie.delete_by_name", setcookieDeleteByName)
}

// setCookieName returns the cookie name of one Set-Cookie header value (the
// part before the first '=' of the first ';'-separated pair, trimmed as RFC
// 6265 section 5.2 describes) and its value; ok is false for a value without
// '=' or with an empty name, which a user agent ignores.
func setCookieName(line string) (name, val string, ok bool) {
	pair, _, _ := strings.Cut(line, ";")
	name, val, found := strings.Cut(pair, "=")
	name = strings.TrimSpace(name)
	if !found || name == "" {
		return "", "", false
	}
	return name, strings.TrimSpace(val), true
}

// setcookieGetValueByName implements setcookie.get_value_by_name(where,
// name): the value of the last Set-Cookie header for the cookie name, or not
// set.
func setcookieGetValueByName(env Env, a []value.Value) (value.Value, error) {
	h, err := objectHeaders(env, "setcookie.get_value_by_name", a, 0)
	if err != nil {
		return value.Value{}, err
	}
	want := argStr(a, 1)
	found, result := false, ""
	for _, line := range headerValues(h, "Set-Cookie") {
		if n, v, ok := setCookieName(line); ok && n == want {
			found, result = true, v
		}
	}
	if !found {
		return value.NullString(), nil
	}
	return value.String(result), nil
}

// setcookieDeleteByName implements setcookie.delete_by_name(where, name):
// it removes every Set-Cookie header for the cookie name and reports whether
// any was removed.
func setcookieDeleteByName(env Env, a []value.Value) (value.Value, error) {
	h, err := objectHeaders(env, "setcookie.delete_by_name", a, 0)
	if err != nil {
		return value.Value{}, err
	}
	want := argStr(a, 1)
	lines := headerValues(h, "Set-Cookie")
	kept := make([]string, 0, len(lines))
	for _, line := range lines {
		if n, _, ok := setCookieName(line); ok && n == want {
			continue
		}
		kept = append(kept, line)
	}
	if len(kept) == len(lines) {
		return value.Bool(false), nil
	}
	deleteHeader(h, "Set-Cookie")
	if len(kept) > 0 {
		h["Set-Cookie"] = kept
	}
	return value.Bool(true), nil
}
