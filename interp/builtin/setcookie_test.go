package builtin

import (
	"reflect"
	"testing"

	"github.com/vclide/vclide/interp/value"
)

// Fastly's documented Set-Cookie examples.
func TestSetCookie(t *testing.T) {
	env := newEnv()
	resp := env.headers["resp"]
	resp["Set-Cookie"] = []string{"one=a; httponly; secure", "two=b or not to b; httponly", "one=last; path=/", "malformed"}
	get := func(name string) value.Value {
		t.Helper()
		return callOK(t, env, "setcookie.get_value_by_name", idv("resp"), vs(name))
	}
	if v := get("two"); v.Str != "b or not to b" {
		t.Fatalf("two = %+v", v)
	}
	if v := get("one"); v.Str != "last" {
		t.Fatalf("one = %+v, want the last cookie's value", v)
	}
	if v := get("three"); !v.NotSet {
		t.Fatalf("three = %+v, want not set", v)
	}

	if !callOK(t, env, "setcookie.delete_by_name", idv("resp"), vs("one")).Bool {
		t.Fatal("delete one = false")
	}
	if want := []string{"two=b or not to b; httponly", "malformed"}; !reflect.DeepEqual(resp["Set-Cookie"], want) {
		t.Fatalf("after delete: %q", resp["Set-Cookie"])
	}
	if callOK(t, env, "setcookie.delete_by_name", idv("resp"), vs("one")).Bool {
		t.Fatal("second delete = true")
	}

	// Documented: set beresp.http.Set-Cookie = "foo=bar"; delete → true.
	env.headers["beresp"].Set("Set-Cookie", "foo=bar")
	if !callOK(t, env, "setcookie.delete_by_name", idv("beresp"), vs("foo")).Bool {
		t.Fatal("delete foo = false")
	}
	if _, ok := env.headers["beresp"]["Set-Cookie"]; ok {
		t.Fatal("empty Set-Cookie header left behind")
	}
}
