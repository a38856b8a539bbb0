package vcltest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// project writes a main VCL and a test file into a temporary directory and
// runs the tests.
func project(t *testing.T, mainVCL, testVCL string, mod func(*Options)) *Report {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.vcl"), []byte(mainVCL), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.test.vcl"), []byte(testVCL), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{Main: filepath.Join(dir, "main.vcl")}
	if mod != nil {
		mod(&opts)
	}
	rep, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

const assertMain = `
backend F_a { .host = "a.example"; .always_use_host_header = true; }
backend F_b { .host = "b.example"; }
table dict { "k": "v" }
table extra { "x": "1" }
ratecounter rc {}
penaltybox pb {}
sub helper { set req.http.Helper = "1"; }
sub helper_func STRING { return "real"; }
sub restarts { restart; }
sub errors { error 418 "teapot"; }
sub fetchy { set beresp.ttl = 5s; }
sub typed(STRING var.a, INTEGER var.b) STRING { return var.a + var.b; }
sub vcl_recv {
#FASTLY recv
  call helper;
  set req.http.Func = helper_func();
  set req.http.Region = server.region;
  set req.http.Dict = table.lookup(dict, "k", "none");
  set req.http.Now = now.sec;
  if (ratelimit.check_rate(client.ip, rc, 1, 10, 100, pb, 10s)) {
    set req.http.Limited = "1";
  }
  log "recv ran";
  return(pass);
}
sub vcl_error {
#FASTLY error
  synthetic "body!";
  return(deliver);
}
`

const mockFile = `
sub mock_helper { set req.http.Mocked = "1"; }
sub mock_func STRING { return "mocked"; }
`

// TestAssertions runs every assertion and testing function, passing and
// failing: each row is one test subroutine and its expected outcome.
func TestAssertions(t *testing.T) {
	rows := []struct {
		name, body string
		scope      string
		want       string // "pass", or a substring of the failure
	}{
		{"assert pass", `assert(req.url == "/");`, "recv", "pass"},
		{"assert truthy string", `set req.http.A = "x"; assert(req.http.A);`, "recv", "pass"},
		{"assert false", `assert(req.url == "/x");`, "recv", "expression is false"},
		{"assert type mismatch", `assert(1);`, "recv", "type mismatch"},
		{"assert message", `assert(false, "custom words");`, "recv", "custom words"},
		{"true", `assert.true(true);`, "recv", "pass"},
		{"true on string", `set req.http.A = "1"; assert.true(req.http.A);`, "recv", "value is not true"},
		{"false", `assert.false(false);`, "recv", "pass"},
		{"false fails", `assert.false(true);`, "recv", "value is not false"},
		{"is_json", `assert.is_json("[1,2,3]");`, "recv", "pass"},
		{"is_json fails", `assert.is_json("[1,2,3,]");`, "recv", "not valid JSON"},
		{"is_notset", `assert.is_notset(req.http.Nope);`, "recv", "pass"},
		{"is_notset fails on empty", `set req.http.A = ""; assert.is_notset(req.http.A);`, "recv", "value is set"},
		{"equal", `assert.equal(req.url, "/");`, "recv", "pass"},
		{"equal fails", `assert.equal(req.url, "/x");`, "recv", `expected "/x", actual "/"`},
		{"equal INTEGER with FLOAT", `assert.equal(1, 1.0);`, "recv", "pass"},
		{"strict_equal INTEGER with FLOAT", `assert.strict_equal(1, 1.0);`, "recv", "type mismatch"},
		{"equal type mismatch", `assert.equal(req.url, 1);`, "recv", "type mismatch"},
		{"equal backend", `set req.backend = F_b; assert.equal(req.backend, F_b);`, "recv", "pass"},
		{"equal not set reads (null)", `declare local var.s STRING; assert.equal(var.s, "(null)");`, "recv", "pass"},
		{"not_equal", `assert.not_equal(req.url, "/x");`, "recv", "pass"},
		{"not_equal fails", `assert.not_equal(req.url, "/");`, "recv", "values are equal"},
		{"not_strict_equal", `assert.not_strict_equal("a", "b");`, "recv", "pass"},
		{"equal_fold", `assert.equal_fold("ABC", "abc");`, "recv", "pass"},
		{"equal_fold fails", `assert.equal_fold("ABC", "abd");`, "recv", "ignoring case"},
		{"match", `assert.match("foobarbaz", ".+bar.+");`, "recv", "pass"},
		{"match fails", `assert.match("foobarbaz", "^bar");`, "recv", "does not match"},
		{"match needs a string", `assert.match(client.ip, "10");`, "recv", "must be a STRING"},
		{"not_match", `assert.not_match("foobarbaz", "other");`, "recv", "pass"},
		{"not_match fails", `assert.not_match("foobarbaz", "^foo");`, "recv", "value matches"},
		{"contains", `assert.contains("foobarbaz", "baz");`, "recv", "pass"},
		{"contains fails", `assert.contains("foobarbaz", "other");`, "recv", "contains"},
		{"not_contains", `assert.not_contains("foobarbaz", "other");`, "recv", "pass"},
		{"not_contains fails", `assert.not_contains("foobarbaz", "baz");`, "recv", "does not contain"},
		{"starts_with", `assert.starts_with("foobarbaz", "foo");`, "recv", "pass"},
		{"starts_with fails", `assert.starts_with("foobarbaz", "bar");`, "recv", "starts with"},
		{"ends_with", `assert.ends_with("foobarbaz", "baz");`, "recv", "pass"},
		{"ends_with fails", `assert.ends_with("foobarbaz", "bar");`, "recv", "ends with"},
		{"subroutine_called", `testing.call_subroutine("vcl_recv"); assert.subroutine_called("helper"); assert.subroutine_called("helper", 1);`, "recv", "pass"},
		{"subroutine_called times", `testing.call_subroutine("vcl_recv"); assert.subroutine_called("helper", 2);`, "recv", "called 1 times"},
		{"subroutine_called fails", `assert.subroutine_called("helper");`, "recv", "was not called"},
		{"not_subroutine_called", `assert.not_subroutine_called("helper");`, "recv", "pass"},
		{"not_subroutine_called fails", `testing.call_subroutine("vcl_recv"); assert.not_subroutine_called("helper");`, "recv", "was called"},
		{"restart", `testing.call_subroutine("restarts"); assert.restart();`, "recv", "pass"},
		{"restart fails", `assert.restart();`, "recv", "restart was not called"},
		{"not_restart", `testing.call_subroutine("helper"); assert.not_restart();`, "recv", "pass"},
		{"not_restart fails", `testing.call_subroutine("restarts"); assert.not_restart();`, "recv", "restart was called"},
		{"state", `testing.call_subroutine("vcl_recv"); assert.state(pass); assert.equal(testing.state, "PASS");`, "recv", "pass"},
		{"state fails", `testing.call_subroutine("vcl_recv"); assert.state(lookup);`, "recv", "state is not LOOKUP"},
		{"not_state", `testing.call_subroutine("vcl_recv"); assert.not_state(lookup);`, "recv", "pass"},
		{"not_state fails", `testing.call_subroutine("vcl_recv"); assert.not_state(pass);`, "recv", "state is PASS"},
		{"error", `testing.call_subroutine("errors"); assert.error(418); assert.error(418, "teapot"); assert.equal(testing.inspect("obj.status"), 418);`, "recv", "pass"},
		{"error status differs", `testing.call_subroutine("errors"); assert.error(500);`, "recv", "status differs"},
		{"error response differs", `testing.call_subroutine("errors"); assert.error(418, "x");`, "recv", "response differs"},
		{"not_error", `testing.call_subroutine("helper"); assert.not_error();`, "recv", "pass"},
		{"not_error fails", `testing.call_subroutine("errors"); assert.not_error();`, "recv", "error was called"},
		{"call_subroutine functional", `declare local var.r STRING; set var.r = testing.call_subroutine("typed", "a", 1); assert.equal(var.r, "a1");`, "recv", "pass"},
		{"call_subroutine fetch scope", `testing.call_subroutine("fetchy"); assert.equal(beresp.ttl, 5s);`, "fetch", "pass"},
		{"synthetic_body", `testing.call_subroutine("vcl_error"); assert.equal(testing.synthetic_body, "body!");`, "error", "pass"},
		{"origin_host_header", `set req.backend = F_a; assert.equal(testing.origin_host_header, "a.example"); set req.backend = F_b; assert.equal(testing.origin_host_header, "localhost");`, "recv", "pass"},
		{"fixed_time integer", `testing.fixed_time(1694159940); assert.equal(now.sec, "1694159940");`, "recv", "pass"},
		{"fixed_time string", `testing.fixed_time("2023-09-08 07:59:00"); assert.equal(now.sec, "1694159940");`, "recv", "pass"},
		{"fixed_time time", `testing.fixed_time(std.integer2time(1694159940)); assert.equal(now.sec, "1694159940");`, "recv", "pass"},
		{"override_host", `testing.override_host("example.com"); assert.equal(req.http.Host, "example.com");`, "recv", "pass"},
		{"default host", `assert.equal(req.http.Host, "localhost");`, "recv", "pass"},
		{"inject_variable", `testing.inject_variable("server.region", "Asia"); testing.call_subroutine("vcl_recv"); assert.equal(req.http.Region, "Asia");`, "recv", "pass"},
		{"inject req.body", `testing.inject_variable("req.body", "bodytext"); assert.equal(req.body, "bodytext");`, "recv", "pass"},
		{"inspect", `assert.equal(testing.inspect("obj.status"), 200);`, "recv", "pass"},
		{"table_set", `testing.table_set(dict, "k", "w"); testing.call_subroutine("vcl_recv"); assert.equal(req.http.Dict, "w");`, "recv", "pass"},
		{"table_merge", `testing.table_merge(dict, extra); assert.equal(table.lookup(dict, "x", ""), "1"); assert.equal(table.lookup(dict, "k", ""), "v");`, "recv", "pass"},
		{"table is per test", `assert.equal(table.lookup(dict, "k", ""), "v");`, "recv", "pass"},
		{"mock", `testing.mock("helper", "mock_helper"); testing.mock("helper_func", "mock_func"); testing.call_subroutine("vcl_recv"); assert.equal(req.http.Mocked, "1"); assert.is_notset(req.http.Helper); assert.equal(req.http.Func, "mocked");`, "recv", "pass"},
		{"restore_mock", `testing.mock("helper", "mock_helper"); testing.restore_mock("helper"); testing.call_subroutine("vcl_recv"); assert.equal(req.http.Helper, "1");`, "recv", "pass"},
		{"restore_all_mocks", `testing.mock("helper", "mock_helper"); testing.restore_all_mocks(); testing.call_subroutine("vcl_recv"); assert.is_notset(req.http.Mocked);`, "recv", "pass"},
		{"get_env", `assert.equal(testing.get_env("VCLTEST_ENV"), "on"); assert.is_notset(testing.get_env("VCLTEST_NOPE"));`, "recv", "pass"},
		{"fixed_access_rate", `testing.fixed_access_rate(100); testing.call_subroutine("vcl_recv"); assert.equal(req.http.Limited, "1");`, "recv", "pass"},
		{"no fixed rate", `testing.call_subroutine("vcl_recv"); assert.is_notset(req.http.Limited);`, "recv", "pass"},
		{"set_backend_health", `assert.true(backend.F_a.healthy); testing.set_backend_health(F_a, false); assert.false(backend.F_a.healthy); assert.true(backend.F_b.healthy);`, "recv", "pass"},
		{"logs", `testing.call_subroutine("vcl_recv"); assert.true(false);`, "recv", "value is not true"},
	}
	t.Setenv("VCLTEST_ENV", "on")
	var b strings.Builder
	b.WriteString(mockFile)
	for i, r := range rows {
		b.WriteString("// @scope: " + r.scope + "\n// @suite: " + r.name + "\nsub t" + itoa(i) + " {\n  " + r.body + "\n}\n")
	}
	rep := project(t, assertMain, b.String(), nil)
	if n := len(rep.Tests[0].Suites); n != len(rows)+1 { // mock_helper is a test too
		t.Fatalf("%d suites ran, want %d", n, len(rows)+1)
	}
	if os.Getenv("VCLTEST_DUMP") != "" {
		WriteText(os.Stdout, rep, "")
	}
	got := map[string]*Suite{}
	for _, s := range rep.Tests[0].Suites {
		got[s.Name] = s
	}
	for _, r := range rows {
		s := got[r.name]
		if s == nil {
			t.Errorf("%s: did not run", r.name)
			continue
		}
		switch {
		case r.want == "pass" && s.Error != "":
			t.Errorf("%s: failed: %s", r.name, s.Error)
		case r.want != "pass" && !strings.Contains(s.Error, r.want):
			t.Errorf("%s: error %q, want it to contain %q", r.name, s.Error, r.want)
		}
	}
	if s := got["logs"]; s == nil || len(s.Logs) != 1 || s.Logs[0] != "recv ran" {
		t.Errorf("logs of a failed test: %+v", s)
	}
	if rep.Summaries.Assertions < len(rows) {
		t.Errorf("assertions = %d", rep.Summaries.Assertions)
	}
}

func itoa(i int) string {
	return strings.TrimLeft(string(rune('0'+i/100%10))+string(rune('0'+i/10%10))+string(rune('0'+i%10)), "")
}

// TestTableSetOnServiceDictionary: a dictionary that lives in the Fastly
// service (declared in .vclide.yaml) can be filled by testing.table_set, so
// falco's inject_dictionary example passes once the dictionary is given.
func TestTableSetOnServiceDictionary(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".vclide.yaml"), []byte("declarations:\n  dictionaries: [injected_dictionary]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "main.vcl"), []byte(`sub vcl_recv {
#FASTLY recv
  if (table.lookup(injected_dictionary, "is_maintenance") == "1") {
    return(pass);
  }
  return(lookup);
}
`), 0o644)
	os.WriteFile(filepath.Join(dir, "main.test.vcl"), []byte(`// @scope: RECV
sub test_return_pass {
  testing.table_set(injected_dictionary, "is_maintenance", "1");
  testing.call_subroutine("vcl_recv");
  assert.state(pass);
}
`), 0o644)
	rep, err := Run(context.Background(), Options{Main: filepath.Join(dir, "main.vcl")})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summaries.Passes != 1 {
		t.Errorf("%+v %+v", rep.Summaries, rep.Tests[0].Suites[0])
	}
}
