package dap

import (
	"encoding/json"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// TestLaunchFieldsMatchExtension keeps LaunchConfig's JSON field names and
// launch_fields.json (shared with the VS Code extension) identical.
func TestLaunchFieldsMatchExtension(t *testing.T) {
	data, err := os.ReadFile("launch_fields.json")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatalf("launch_fields.json: %v", err)
	}
	var got []string
	typ := reflect.TypeOf(LaunchConfig{})
	for i := 0; i < typ.NumField(); i++ {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if name == "" || name == "-" {
			t.Errorf("field %s has no JSON name", typ.Field(i).Name)
			continue
		}
		got = append(got, name)
	}
	sort.Strings(got)
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("LaunchConfig fields %v\nlaunch_fields.json   %v", got, want)
	}
}

func TestLaunchErrors(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	tests := []struct {
		name string
		args map[string]any
		want []string // substrings of the error message
	}{
		{"no program", map[string]any{}, []string{`"program" is required`}},
		{"missing file", map[string]any{"program": "/nonexistent/x.vcl"}, []string{`"program"`, "cannot be read"}},
		{"directory", map[string]any{"program": testdata(t, "")}, []string{`"program"`, "directory"}},
		{"wrong type", map[string]any{"program": vcl, "nodes": "four"}, []string{`"nodes"`, "integer"}},
		{"nodes range", map[string]any{"program": vcl, "nodes": 999}, []string{`"nodes"`, "between 1 and 256"}},
		{"bad mode", map[string]any{"program": vcl, "mode": "attach"}, []string{`"mode"`, `"run", "serve" or "test"`}},
		{"listen without serve", map[string]any{"program": vcl, "listen": "127.0.0.1:0"}, []string{`"listen"`, "serve"}},
		{"listen not loopback", map[string]any{"program": vcl, "mode": "serve", "listen": "0.0.0.0:8080"}, []string{`"listen"`, "loopback"}},
		{"listen malformed", map[string]any{"program": vcl, "mode": "serve", "listen": "nowhere"}, []string{`"listen"`, "host:port"}},
		{"origin", map[string]any{"program": vcl, "origin": "ftp://x"}, []string{`"origin"`, "http://"}},
		{"include path", map[string]any{"program": vcl, "includePaths": []string{"/nonexistent"}}, []string{`"includePaths"`, "not a directory"}},
		{"stopOnEntry type", map[string]any{"program": vcl, "stopOnEntry": "yes"}, []string{`"stopOnEntry"`, "true or false"}},
		{"requests type", map[string]any{"program": vcl, "requests": "GET /"}, []string{`"requests"`, "list"}},
		{"request entry", map[string]any{"program": vcl, "requests": []any{map[string]any{"url": "no-slash"}}}, []string{`"requests"`, "entry 1", "must start with /"}},
		{"request key", map[string]any{"program": vcl, "requests": []any{map[string]any{"url": "/", "methd": "GET"}}}, []string{`"requests"`, "methd"}},
		{"backend", map[string]any{"program": vcl, "backends": map[string]any{"F_origin": map[string]any{"url": "nope"}}}, []string{`"backends"`, "F_origin", "http://"}},
		{"undeclared backend", map[string]any{"program": vcl, "backends": map[string]any{"F_other": map[string]any{"url": "http://127.0.0.1:1"}}}, []string{"F_other", "not used by the VCL"}},
		{"scenario missing", map[string]any{"scenario": "/nonexistent.yaml"}, []string{`"scenario"`}},
		{"does not compile", map[string]any{"program": testdata(t, "broken.vcl")}, []string{"does not compile", "broken.vcl:3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t)
			c.call("initialize", map[string]any{"adapterID": "vcl"})
			msg := c.callErr("launch", tc.args)
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not mention %q", msg, w)
				}
			}
			// The session is still usable: a second launch can succeed.
			c.call("launch", map[string]any{"program": vcl})
		})
	}
}

func TestLaunchInline(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	tests := []struct {
		name string
		args map[string]any
		code int // exited.exitCode
		out  []string
	}{
		{"default request", map[string]any{"program": vcl}, 0, []string{"GET / → 200"}},
		{"string requests", map[string]any{"program": vcl, "requests": []any{"/x", "HEAD /y"}}, 0, []string{"GET /x → 200", "HEAD /y → 200"}},
		{"mock backend", map[string]any{"program": vcl, "requests": []any{"/m"},
			"backends": map[string]any{"F_origin": map[string]any{"responses": []any{map[string]any{"status": 404, "body": "nope"}}}}}, 0, []string{"GET /m → 404", "nope"}},
		{"error path", map[string]any{"program": vcl, "requests": []any{"/boom"}}, 0, []string{"GET /boom → 600"}},
		{"expectations", map[string]any{"program": vcl, "requests": []any{map[string]any{"url": "/e", "expect": map[string]any{"status": 201}}}}, 1, []string{"expectation failed: status 201"}},
		{"runtime error", map[string]any{"program": vcl, "requests": []any{"/bad"}}, 1, []string{"GET /bad → 503", "runtime error"}},
		{"no clustering", map[string]any{"program": vcl, "clustering": false, "seed": 3, "nodes": 2, "requests": []any{"/c"}}, 0, []string{"(MISS)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newTestClient(t)
			c.start(tc.args, nil)
			ex := c.runToEnd(0)
			if ex.Body.ExitCode != tc.code {
				t.Errorf("exit code %d, want %d", ex.Body.ExitCode, tc.code)
			}
			for _, o := range tc.out {
				if !strings.Contains(c.outputText(), o) {
					t.Errorf("output lacks %q:\n%s", o, c.outputText())
				}
			}
		})
	}
}

func TestNoDebugIgnoresBreakpoints(t *testing.T) {
	vcl := testdata(t, "main.vcl")
	c := newTestClient(t)
	c.start(map[string]any{"program": vcl, "noDebug": true, "stopOnEntry": true}, func() {
		c.setBreakpoints(vcl, bp(lineOf(t, vcl, "recv-first")))
	})
	c.runToEnd(0)
	if c.stops != 0 {
		t.Fatalf("stopped %d time(s) with noDebug", c.stops)
	}
}
