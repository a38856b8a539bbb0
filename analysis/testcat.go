package analysis

import (
	"sort"
	"strings"

	"github.com/vclide/vclide/analysis/catalog"
)

// The testing catalogue: the functions and variables that unit-test files
// (falco's format, see IsTestFile) may use on top of Fastly's catalogue.
// Everywhere else these names are errors.

var (
	tString  = catalog.TypeString
	tAny     = catalog.TypeAny
	tVoid    = catalog.TypeVoid
	tID      = catalog.TypeID
	tInteger = catalog.TypeInteger
)

func tparam(name string, t catalog.Type) catalog.Param { return catalog.Param{Name: name, Type: t} }
func topt(name string, t catalog.Type) catalog.Param {
	return catalog.Param{Name: name, Type: t, Optional: true}
}

func testFn(name, doc string, ret catalog.Type, params ...catalog.Param) *catalog.Function {
	return &catalog.Function{Name: name, Description: doc, Category: "testing", Subs: catalog.AllSubs,
		Overloads: []catalog.Signature{{Params: params, Return: ret}}}
}

var tMsg = topt("message", tString)

var testFunctions = func() map[string]*catalog.Function {
	list := []*catalog.Function{
		testFn("testing.call_subroutine", "Runs a subroutine of the VCL under test (a vcl_* one in its scope, or a custom one). For a functional subroutine, extra arguments are passed to it and its return value is the result.", tAny,
			tparam("subroutine", tString), catalog.Param{Name: "args", Type: tAny, Optional: true, Variadic: true}),
		testFn("testing.fixed_time", "Freezes `now` for the rest of the test at the given time: unix seconds (INTEGER), a TIME, or a \"YYYY-mm-dd HH:MM:SS\" STRING.", tVoid, tparam("time", tAny)),
		testFn("testing.override_host", "Makes the request's Host header the given value for this test (the default is \"localhost\").", tVoid, tparam("host", tString)),
		testFn("testing.inject_variable", "Makes a predefined variable (server.region, client.geo.country_code, req.protocol, req.body, …) return the given value for this test.", tVoid, tparam("name", tString), tparam("value", tAny)),
		testFn("testing.inspect", "Reads any predefined variable, whatever the current scope (for example obj.status after an error in vcl_recv).", tAny, tparam("name", tString)),
		testFn("testing.table_set", "Sets a key of a table of the VCL under test for this test.", tVoid, tparam("table", catalog.TypeTable), tparam("key", tString), tparam("value", tAny)),
		testFn("testing.table_merge", "Copies every entry of a table declared in the test file into a table of the VCL under test.", tVoid, tparam("base", catalog.TypeTable), tparam("merge", catalog.TypeTable)),
		testFn("testing.mock", "Replaces a custom subroutine of the VCL under test by a subroutine of the test file (vcl_* subroutines cannot be mocked).", tVoid, tparam("from", tString), tparam("to", tString)),
		testFn("testing.restore_mock", "Undoes testing.mock for one subroutine.", tVoid, tparam("from", tString)),
		testFn("testing.restore_all_mocks", "Undoes every testing.mock.", tVoid),
		testFn("testing.get_env", "Returns an environment variable of the machine running the tests (not set when absent).", tString, tparam("name", tString)),
		testFn("testing.fixed_access_rate", "Fixes the access rate that ratecounter variables and ratelimit functions see.", tVoid, tparam("rate", catalog.TypeFloat)),
		testFn("testing.set_backend_health", "Marks a backend healthy or unhealthy for this test (backend.NAME.healthy, directors).", tVoid, tparam("backend", catalog.TypeBackend), tparam("healthy", catalog.TypeBool)),
		testFn("assert", "Asserts that the expression is truthy: BOOL true or a set, non-empty STRING.", tVoid, tparam("expr", tAny), tMsg),
		testFn("assert.true", "Asserts that the value is the BOOL true.", tVoid, tparam("actual", tAny), tMsg),
		testFn("assert.false", "Asserts that the value is the BOOL false.", tVoid, tparam("actual", tAny), tMsg),
		testFn("assert.is_json", "Asserts that the string is valid JSON.", tVoid, tparam("actual", tString), tMsg),
		testFn("assert.is_notset", "Asserts that the value is not set (NotSet, not the empty string).", tVoid, tparam("actual", tAny), tMsg),
		testFn("assert.equal", "Asserts that actual equals expected (same as assert.strict_equal: the types must match too).", tVoid, tparam("actual", tAny), tparam("expect", tAny), tMsg),
		testFn("assert.not_equal", "Asserts that actual does not equal expected (same as assert.not_strict_equal).", tVoid, tparam("actual", tAny), tparam("expect", tAny), tMsg),
		testFn("assert.strict_equal", "Asserts that actual equals expected, with the same type.", tVoid, tparam("actual", tAny), tparam("expect", tAny), tMsg),
		testFn("assert.not_strict_equal", "Asserts that actual and expected differ in value or type.", tVoid, tparam("actual", tAny), tparam("expect", tAny), tMsg),
		testFn("assert.equal_fold", "Asserts that two strings are equal ignoring case.", tVoid, tparam("actual", tString), tparam("expect", tString), tMsg),
		testFn("assert.match", "Asserts that the string matches the regular expression.", tVoid, tparam("actual", tString), tparam("expect", tString), tMsg),
		testFn("assert.not_match", "Asserts that the string does not match the regular expression.", tVoid, tparam("actual", tString), tparam("expect", tString), tMsg),
		testFn("assert.contains", "Asserts that the string contains the expected string.", tVoid, tparam("actual", tString), tparam("expect", tString), tMsg),
		testFn("assert.not_contains", "Asserts that the string does not contain the expected string.", tVoid, tparam("actual", tString), tparam("expect", tString), tMsg),
		testFn("assert.starts_with", "Asserts that the string starts with the expected string.", tVoid, tparam("actual", tString), tparam("expect", tString), tMsg),
		testFn("assert.ends_with", "Asserts that the string ends with the expected string.", tVoid, tparam("actual", tString), tparam("expect", tString), tMsg),
		testFn("assert.subroutine_called", "Asserts that the subroutine was called during this test (exactly `times` times when given).", tVoid, tparam("name", tString), topt("times", tInteger), tMsg),
		testFn("assert.not_subroutine_called", "Asserts that the subroutine was not called during this test.", tVoid, tparam("name", tString), tMsg),
		testFn("assert.restart", "Asserts that a restart statement ran.", tVoid, tMsg),
		testFn("assert.not_restart", "Asserts that no restart statement ran.", tVoid, tMsg),
		testFn("assert.state", "Asserts the state the last called subroutine moved to (lookup, pass, error, deliver, …).", tVoid, tparam("state", tID), tMsg),
		testFn("assert.not_state", "Asserts that the last called subroutine did not move to this state.", tVoid, tparam("state", tID), tMsg),
		testFn("assert.error", "Asserts that an error statement ran with this status (and response text when given).", tVoid, tparam("status", tInteger), topt("response", tString), tMsg),
		testFn("assert.not_error", "Asserts that no error statement ran.", tVoid, tMsg),
	}
	out := make(map[string]*catalog.Function, len(list))
	for _, f := range list {
		out[f.Name] = f
	}
	return out
}()

var testVariables = map[string]*catalog.Variable{
	"testing.state": {Name: "testing.state", Type: tString, Read: catalog.AllSubs, Category: "testing",
		Description: "The state the last called subroutine moved to, upper case (\"LOOKUP\", \"PASS\", \"ERROR\", …)."},
	"testing.synthetic_body": {Name: "testing.synthetic_body", Type: tString, Read: catalog.AllSubs, Category: "testing",
		Description: "The body set by synthetic or synthetic.base64."},
	"testing.origin_host_header": {Name: "testing.origin_host_header", Type: tString, Read: catalog.AllSubs, Category: "testing",
		Description: "The Host header that would be sent to the selected backend."},
}

// TestFunction returns a function of the testing catalogue (testing.* and
// assert.*), available only in test files.
func TestFunction(name string) (*catalog.Function, bool) {
	f, ok := testFunctions[name]
	return f, ok
}

// TestVariable returns a variable of the testing catalogue (testing.state,
// testing.synthetic_body, testing.origin_host_header).
func TestVariable(name string) (*catalog.Variable, bool) {
	v, ok := testVariables[name]
	return v, ok
}

// TestFunctions lists the testing catalogue's functions by name.
func TestFunctions() []*catalog.Function {
	out := make([]*catalog.Function, 0, len(testFunctions))
	for _, f := range testFunctions {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// TestVariables lists the testing catalogue's variables by name.
func TestVariables() []*catalog.Variable {
	out := make([]*catalog.Variable, 0, len(testVariables))
	for _, v := range testVariables {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// isTestingName reports whether a name belongs to the testing namespace,
// so that using it outside a test file gets a clear message.
func isTestingName(name string) bool {
	return name == "assert" || strings.HasPrefix(name, "assert.") || strings.HasPrefix(name, "testing.")
}
