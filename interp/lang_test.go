package interp

import (
	"errors"
	"strings"
	"testing"
)

// runRecv runs body inside vcl_recv (clustering off) and returns the
// response headers set by `set resp.http.*` in vcl_deliver from req.http.*
// copies: the body should set req.http.R-<name> headers.
func runRecv(t *testing.T, decls, body string, kv ...string) *Result {
	t.Helper()
	vcl := decls + `
		sub vcl_recv { ` + body + ` }
		sub vcl_deliver {
			set resp.http.R-A = req.http.R-A;
			set resp.http.R-B = req.http.R-B;
			set resp.http.R-C = req.http.R-C;
		}`
	e := newEngine(t, vcl, engineOpts{origin: fixed(200, "x")})
	r := do(e, "GET", "/path/to/file.html?a=1&b=2", kv...)
	return r
}

// TestStatements checks statements and expressions through req headers.
func TestStatements(t *testing.T) {
	tests := []struct {
		name    string
		decls   string
		body    string
		headers []string
		a, b, c string
	}{
		{name: "goto skips forward", body: `
			set req.http.R-A = "a";
			goto skip;
			set req.http.R-A = req.http.R-A "b";
			skip:
			set req.http.R-A = req.http.R-A "c";`, a: "ac"},
		{name: "goto into a nested block", body: `
			set req.http.R-A = "1";
			goto inner;
			set req.http.R-A = "never";
			if (req.http.Nope) {
				set req.http.R-A = "never either";
				inner:
				set req.http.R-A = req.http.R-A "2";
			}
			set req.http.R-A = req.http.R-A "3";`, a: "123"},
		{name: "goto out of a nested block", body: `
			if (true) { goto out; }
			set req.http.R-A = "skipped";
			out:
			set req.http.R-B = "after";`, b: "after"},
		{name: "regex captures", body: `
			if (req.url ~ "^/(\w+)/(\w+)/") {
				set req.http.R-A = re.group.1;
				set req.http.R-B = re.group.2;
				set req.http.R-C = re.group.0;
			}`, a: "path", b: "to", c: "/path/to/"},
		{name: "captures survive a failed match", body: `
			if (req.url ~ "^/(p)") { }
			if (req.url ~ "^/(zzz)") { }
			set req.http.R-A = re.group.1;`, a: "p"},
		{name: "no match and !~", body: `
			if (req.url !~ "^/nomatch") { set req.http.R-A = "yes"; }`, a: "yes"},
		{name: "cookie subfield read", headers: []string{"Cookie", "a=1; session=abc; flag"}, body: `
			set req.http.R-A = req.http.Cookie:session;
			set req.http.R-B = if(req.http.Cookie:flag, "set", "unset");
			set req.http.R-C = if(req.http.Cookie:missing, "set", "unset");`, a: "abc", b: "set", c: "unset"},
		{name: "subfield write", headers: []string{"Cache-Control", "max-age=10, public"}, body: `
			set req.http.Cache-Control:max-age = "60";
			set req.http.Cache-Control:s-maxage = "5";
			set req.http.R-A = req.http.Cache-Control;
			unset req.http.Cache-Control:public;
			set req.http.R-B = req.http.Cache-Control;`, a: "max-age=60, public, s-maxage=5", b: "max-age=60, s-maxage=5"},
		{name: "header names are case-insensitive", headers: []string{"x-lower", "v"}, body: `
			set req.http.R-A = req.http.X-LOWER;
			set req.http.r-b = "lower";`, a: "v", b: "lower"},
		{name: "unset versus empty", body: `
			set req.http.Empty = "";
			set req.http.R-A = if(req.http.Empty, "set", "unset");
			unset req.http.Empty;
			set req.http.R-B = if(req.http.Empty, "set", "unset");
			set req.http.R-C = "[" req.http.Missing "]";`, a: "set", b: "unset", c: "[]"},
		{name: "assigning not set removes the header", headers: []string{"X-Has", "1"}, body: `
			set req.http.X-Has = req.http.Missing;
			set req.http.R-A = if(req.http.X-Has, "set", "unset");`, a: "unset"},
		{name: "compound assignment", body: `
			declare local var.i INTEGER;
			declare local var.s STRING;
			declare local var.d RTIME;
			set var.i = 5;
			set var.i += 3;
			set var.i *= 2;
			set var.i -= 1;
			set var.i %= 4;
			set var.s += "x";
			set var.s += var.i;
			set var.d = 1m;
			set var.d += 30s;
			set req.http.R-A = var.i;
			set req.http.R-B = var.s;
			set req.http.R-C = var.d;`, a: "3", b: "x3", c: "90.000"},
		{name: "local defaults", body: `
			declare local var.s STRING;
			declare local var.i INTEGER;
			declare local var.b BOOL;
			set req.http.R-A = if(var.s, "set", "unset");
			set req.http.R-B = var.i;
			set req.http.R-C = var.b;`, a: "unset", b: "0", c: "0"},
		{name: "ACL match with negation", decls: `acl internal { "192.0.2.0"/24; !"192.0.2.1"; "10.0.0.0"/8; }`, body: `
			set req.http.R-A = if(client.ip ~ internal, "in", "out");
			if (std.str2ip("10.1.2.3", "0.0.0.0") ~ internal) { set req.http.R-B = "in"; }
			if (std.str2ip("192.0.2.7", "0.0.0.0") ~ internal) { set req.http.R-C = "in"; }`, a: "out", b: "in", c: "in"},
		{name: "table lookup", decls: `table redirects { "/old": "/new" }`, body: `
			set req.http.R-A = table.lookup(redirects, "/old");
			set req.http.R-B = table.lookup(redirects, "/none", "default");`, a: "/new", b: "default"},
		{name: "builtin functions", body: `
			set req.http.R-A = std.toupper(regsub(req.url, "^/path/(\w+).*$", "\1"));
			set req.http.R-B = regsuball("a-b-c", "-", "+");
			set req.http.R-C = std.strlen(req.url.path) " " req.url.ext " " req.url.qs;`, a: "TO", b: "a+b+c", c: "18 html a=1&b=2"},
		{name: "ternary and comparisons", body: `
			set req.http.R-A = if(req.restarts == 0 && req.method == "GET", "first", "later");
			set req.http.R-B = if(3 > 2 || false, "gt", "le");
			set req.http.R-C = if(!(req.http.Nope), "negated", "plain");`, a: "first", b: "gt", c: "negated"},
		{name: "add appends header lines", body: `
			add req.http.X-Multi = "one";
			add req.http.X-Multi = "two";
			set req.http.R-B = req.http.X-Multi;
			std.collect(req.http.X-Multi);
			set req.http.R-A = req.http.X-Multi;`, a: "one, two", b: "one"},
		{name: "typed subroutines", decls: `
			sub double(INTEGER var.n) INTEGER {
				declare local var.r INTEGER;
				set var.r = var.n;
				set var.r *= 2;
				return var.r;
			}
			sub is_html() BOOL {
				if (req.url.ext == "html") { return true; }
				return false;
			}
			sub greet(STRING var.who) STRING { return "hello " var.who; }`, body: `
			set req.http.R-A = double(21);
			set req.http.R-B = if(is_html(), "html", "other");
			set req.http.R-C = greet("vcl");`, a: "42", b: "html", c: "hello vcl"},
		{name: "call with return action", decls: `
			sub set_and_pass { set req.http.R-A = "called"; return(pass); }`, body: `
			call set_and_pass;
			set req.http.R-A = "not reached";`, a: "called"},
		{name: "bare return in a custom sub returns to the caller", decls: `
			sub early { set req.http.R-A = "1"; return; }`, body: `
			call early;
			set req.http.R-B = "2";`, a: "1", b: "2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runRecv(t, tc.decls, tc.body, tc.headers...)
			if r.Err != nil {
				t.Fatal(r.Err)
			}
			for _, c := range []struct{ name, want string }{{"R-A", tc.a}, {"R-B", tc.b}, {"R-C", tc.c}} {
				if got := hdr(r, c.name); got != c.want {
					t.Errorf("%s = %q, want %q", c.name, got, c.want)
				}
			}
		})
	}
}

// TestIncludeSnippet: an include inside a subroutine runs the included
// file's statements inline.
func TestIncludeSnippet(t *testing.T) {
	files := map[string]string{"snippet.vcl": `set req.http.X-From-Snippet = "yes";`}
	vcl := `
		sub vcl_recv { include "snippet.vcl"; }
		sub vcl_deliver { set resp.http.X-From-Snippet = req.http.X-From-Snippet; }`
	e := newEngine(t, vcl, engineOpts{origin: fixed(200, "x"), extraFiles: files})
	r := do(e, "GET", "/")
	if hdr(r, "X-From-Snippet") != "yes" {
		t.Errorf("got %q (err %v)", hdr(r, "X-From-Snippet"), r.Err)
	}
}

// TestRuntimeErrors: a runtime error ends the request with a 503 and a
// RuntimeError in Result.Err that names the statement.
func TestRuntimeErrors(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		want      string
		simulated bool // the error is about something the simulator lacks
	}{
		{"unsupported variable", `set req.http.X = quic.rtt.latest;`, "variable quic.rtt.latest is not simulated", true},
		{"unsupported builtin case", `set req.http.X = std.count(req.http.Cookie);`, "not supported by the simulator", true},
		{"bad conversion", `error req.http.Code;`, "error status", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t, `sub vcl_recv { `+tc.body+` }`, engineOpts{origin: fixed(200, "x")})
			r := do(e, "GET", "/", "Code", "abc")
			if r.Err == nil || r.Response.Status != 503 || !strings.Contains(r.Err.Error(), tc.want) {
				t.Fatalf("got %d %v", r.Response.Status, r.Err)
			}
			if errors.Is(r.Err, errNotSimulated) != tc.simulated {
				t.Errorf("errors.Is(errNotSimulated) = %v", !tc.simulated)
			}
			var re *RuntimeError
			if !errors.As(r.Err, &re) || re.Line != 2 || re.Sub != "vcl_recv" {
				t.Errorf("position: %+v", re)
			}
			if r.State != "ERROR" || route(r) != "recv" {
				t.Errorf("state %s route %s", r.State, route(r))
			}
		})
	}
}

// TestLog: log statements are captured in order, vcl_log runs last.
func TestLog(t *testing.T) {
	vcl := `
		sub vcl_recv { log "recv " req.url; }
		sub vcl_deliver { log "deliver " resp.status; }
		sub vcl_log { log "log " fastly_info.state; set resp.http.X-Too-Late = "1"; }`
	e := newEngine(t, vcl, engineOpts{origin: fixed(200, "x")})
	r := do(e, "GET", "/l")
	want := []string{"recv /l", "deliver 200", "log MISS"}
	if strings.Join(r.Logs, "|") != strings.Join(want, "|") {
		t.Errorf("logs %q", r.Logs)
	}
	if hdr(r, "X-Too-Late") != "" {
		t.Error("a header set in vcl_log reached the client")
	}
}
