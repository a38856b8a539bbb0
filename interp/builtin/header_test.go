package builtin

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/vclide/vclide/interp/value"
)

func TestHeaderGetSetUnset(t *testing.T) {
	env := newEnv()
	req := env.headers["req"]
	req.Set("User-Agent", "curl/8")
	req["x-lower"] = []string{"raw"} // a non-canonical key still matches

	get := func(name string) value.Value {
		t.Helper()
		v, err := call(t, env, "header.get", idv("req"), vs(name))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := get("user-agent"); v.Str != "curl/8" || v.NotSet {
		t.Fatalf("get user-agent = %+v", v)
	}
	if v := get("X-LOWER"); v.Str != "raw" {
		t.Fatalf("get X-LOWER = %+v", v)
	}
	if v := get("absent"); !v.NotSet {
		t.Fatalf("absent header = %+v, want not set", v)
	}
	if v := get("bad name"); !v.NotSet {
		t.Fatalf("invalid name = %+v, want not set", v)
	}

	// header.set(req, "abc", "xyz") is set req.http.abc = "xyz" (documented).
	callOK(t, env, "header.set", idv("req"), vs("abc"), vs("xyz"))
	if req.Get("Abc") != "xyz" {
		t.Fatalf("after set: %v", req)
	}
	callOK(t, env, "header.set", idv("req"), vs("ABC"), vs("again"))
	if got := headerValues(req, "abc"); !reflect.DeepEqual(got, []string{"again"}) {
		t.Fatalf("set replaces: %v", got)
	}
	// A name only header.set can produce (documented "hello!").
	callOK(t, env, "header.set", idv("resp"), vs("hello!"), vs("abc"))
	if got := headerValues(env.headers["resp"], "hello!"); !reflect.DeepEqual(got, []string{"abc"}) {
		t.Fatalf("hello! = %v", got)
	}
	// Protected headers and invalid names are left alone.
	callOK(t, env, "header.set", idv("req"), vs("Content-Length"), vs("5"))
	callOK(t, env, "header.set", idv("req"), vs(" spaced"), vs("5"))
	callOK(t, env, "header.set", idv("req"), vs(string(make([]byte, 127))), vs("5"))
	if req.Get("Content-Length") != "" || len(req) != 3 {
		t.Fatalf("protected or invalid header set: %v", req)
	}

	callOK(t, env, "header.unset", idv("req"), vs("user-agent"))
	if req.Get("User-Agent") != "" {
		t.Fatalf("unset left %v", req)
	}
	req.Set("Upgrade", "h2c")
	callOK(t, env, "header.unset", idv("req"), vs("upgrade"))
	if req.Get("Upgrade") != "h2c" {
		t.Fatal("protected header unset")
	}
}

func TestHeaderFilters(t *testing.T) {
	fill := func() (*fakeEnv, http.Header) {
		env := newEnv()
		h := env.headers["resp"]
		for _, k := range []string{"Server", "X-Powered-By", "Content-MD5", "Content-Type", "Content-Length", "Accept"} {
			h.Set(k, "v")
		}
		return env, h
	}
	keys := func(h http.Header) []string {
		var out []string
		for _, k := range []string{"Server", "X-Powered-By", "Content-Md5", "Content-Type", "Content-Length", "Accept"} {
			if _, ok := h[k]; ok {
				out = append(out, k)
			}
		}
		return out
	}

	// Documented: header.filter(resp, "Server", "X-Powered-By", "Content-MD5").
	env, h := fill()
	callOK(t, env, "header.filter", idv("resp"), vs("server"), vs("X-Powered-By"), vs("Content-MD5"), vs("Absent"))
	if got := keys(h); !reflect.DeepEqual(got, []string{"Content-Type", "Content-Length", "Accept"}) {
		t.Fatalf("filter kept %v", got)
	}

	env, h = fill()
	callOK(t, env, "header.filter_except", idv("resp"), vs("accept"), vs("Content-Type"))
	if got := keys(h); !reflect.DeepEqual(got, []string{"Content-Type", "Content-Length", "Accept"}) {
		t.Fatalf("filter_except kept %v (Content-Length is protected)", got)
	}
}

func TestHeaderObjects(t *testing.T) {
	env := newEnv()
	delete(env.headers, "beresp")
	if _, err := call(t, env, "header.get", idv("beresp"), vs("x")); err == nil {
		t.Error("unavailable object accepted")
	}
	if _, err := call(t, env, "header.get", idv("client"), vs("x")); err == nil {
		t.Error("unknown object accepted")
	}
}

// callOK runs a builtin and fails the test on error.
func callOK(t *testing.T, env Env, name string, args ...value.Value) value.Value {
	t.Helper()
	v, err := call(t, env, name, args...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}
