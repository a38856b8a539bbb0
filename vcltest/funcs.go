package vcltest

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/pcre"
	"github.com/vclide/vclide/interp"
	"github.com/vclide/vclide/interp/value"
)

// AssertionError is a failed assertion: which function, why, and the
// values compared.
type AssertionError struct {
	Func     string // "assert.equal"
	Message  string // the test's own message, or a description
	Expected string // rendered values ("" when not applicable)
	Actual   string
}

// Error renders the failure on one line.
func (e *AssertionError) Error() string {
	s := e.Func + ": " + e.Message
	if e.Expected != "" || e.Actual != "" {
		s += " (expected " + e.Expected + ", actual " + e.Actual + ")"
	}
	return s
}

// TestFailure marks the error as a failed assertion for the engine's hooks
// (interp.TestFailure).
func (e *AssertionError) TestFailure() {}

// funcs implements interp.TestFuncs for one run and counts assertions.
type funcs struct {
	assertions int
}

// render shows a value with its type for failure messages. A STRING that
// is not set is (null), as in falco's reports.
func render(v value.Value) string {
	switch v.T {
	case catalog.TypeString:
		if v.NotSet {
			return "(null)"
		}
		return strconv.Quote(v.Str)
	case catalog.TypeBool:
		return strconv.FormatBool(v.Bool) + " (BOOL)"
	case catalog.TypeUnknown:
		return "(no value)"
	}
	return v.String() + " (" + v.T.String() + ")"
}

// text is a value's string form for string assertions (NotSet: "(null)").
func text(v value.Value) string {
	if v.T == catalog.TypeString && v.NotSet {
		return "(null)"
	}
	return v.String()
}

func isNum(t catalog.Type) bool { return t == catalog.TypeInteger || t == catalog.TypeFloat }

func isName(t catalog.Type) bool {
	return t == catalog.TypeBackend || t == catalog.TypeID || t == catalog.TypeACL
}

// equalValues compares for assert.equal (strict false) and
// assert.strict_equal (strict true). Values of the same type compare by
// value (a not-set STRING reads "(null)"); names (backends, IDs) compare by
// name. assert.equal also compares INTEGER with FLOAT numerically and a
// STRING with a backend or ID name. Anything else is a type mismatch.
func equalValues(a, b value.Value, strict bool) (eq bool, mismatch bool) {
	switch {
	case a.T == b.T:
		switch a.T {
		case catalog.TypeString:
			return text(a) == text(b), false
		case catalog.TypeInteger:
			return a.Int == b.Int, false
		case catalog.TypeFloat:
			return a.Float == b.Float, false
		case catalog.TypeBool:
			return a.Bool == b.Bool, false
		case catalog.TypeRTime:
			return a.Dur == b.Dur, false
		case catalog.TypeTime:
			return a.Time.Equal(b.Time), false
		}
		return a.String() == b.String(), false
	case isName(a.T) && isName(b.T):
		return a.Str == b.Str, false
	case strict:
		return false, true
	case isNum(a.T) && isNum(b.T):
		x, _ := value.ToFloat(a)
		y, _ := value.ToFloat(b)
		return x == y, false
	case isName(a.T) && b.T == catalog.TypeString, isName(b.T) && a.T == catalog.TypeString:
		return a.String() == b.String(), false
	}
	return false, true
}

// CallTestFunc runs one testing.* or assert.* function.
func (f *funcs) CallTestFunc(t *interp.TestExec, name string, args []value.Value) (value.Value, error) {
	if name == "assert" || strings.HasPrefix(name, "assert.") {
		f.assertions++
		return value.Void(), f.assert(t, name, args)
	}
	arg := func(i int) value.Value {
		if i < len(args) {
			return args[i]
		}
		return value.NullString()
	}
	switch name {
	case "testing.call_subroutine":
		return t.CallSub(arg(0).String(), args[1:])
	case "testing.fixed_time":
		tm, err := fixedTime(arg(0))
		if err != nil {
			return value.Void(), err
		}
		t.FixTime(tm)
	case "testing.override_host":
		t.OverrideHost(arg(0).String())
	case "testing.inject_variable":
		t.Inject(arg(0).String(), arg(1))
	case "testing.inspect":
		return t.Inspect(arg(0).String())
	case "testing.table_set":
		return value.Void(), t.TableSet(arg(0).Str, arg(1).String(), arg(2))
	case "testing.table_merge":
		return value.Void(), t.TableMerge(arg(0).Str, arg(1).Str)
	case "testing.mock":
		return value.Void(), t.Mock(arg(0).String(), arg(1).String())
	case "testing.restore_mock":
		t.RestoreMock(arg(0).String())
	case "testing.restore_all_mocks":
		t.RestoreAllMocks()
	case "testing.get_env":
		if v, ok := os.LookupEnv(arg(0).String()); ok {
			return value.String(v), nil
		}
		return value.NullString(), nil
	case "testing.fixed_access_rate":
		r, err := value.ToFloat(arg(0))
		if err != nil {
			return value.Void(), fmt.Errorf("testing.fixed_access_rate: %v", err)
		}
		t.FixAccessRate(r)
	case "testing.set_backend_health":
		b, err := value.ToBool(arg(1))
		if err != nil {
			return value.Void(), fmt.Errorf("testing.set_backend_health: %v", err)
		}
		t.SetBackendHealth(arg(0).Str, b)
	default:
		return value.Void(), fmt.Errorf("unknown testing function %s", name)
	}
	return value.Void(), nil
}

// fixedTime reads testing.fixed_time's argument: unix seconds, a TIME, or
// "YYYY-mm-dd HH:MM:SS" (UTC).
func fixedTime(v value.Value) (time.Time, error) {
	switch v.T {
	case catalog.TypeInteger:
		return time.Unix(v.Int, 0).UTC(), nil
	case catalog.TypeTime:
		return v.Time, nil
	case catalog.TypeString:
		tm, err := time.ParseInLocation(time.DateTime, v.Str, time.UTC)
		if err != nil {
			return time.Time{}, fmt.Errorf("testing.fixed_time: %q is not \"YYYY-mm-dd HH:MM:SS\"", v.Str)
		}
		return tm, nil
	}
	return time.Time{}, fmt.Errorf("testing.fixed_time takes INTEGER, TIME or STRING, not %s", v.T)
}

// assert runs one assertion; a failure is an *AssertionError.
func (f *funcs) assert(t *interp.TestExec, name string, args []value.Value) error {
	fn, _ := analysis.TestFunction(name)
	// The optional message is the parameter named "message".
	var custom string
	for i, p := range fn.Overloads[0].Params {
		if p.Name == "message" && i < len(args) {
			custom = args[i].String()
			args = args[:i]
		}
	}
	fail := func(msg, expected, actual string) error {
		if custom != "" {
			msg = custom
		}
		return &AssertionError{Func: name, Message: msg, Expected: expected, Actual: actual}
	}
	arg := func(i int) value.Value {
		if i < len(args) {
			return args[i]
		}
		return value.NullString()
	}
	a, b := arg(0), arg(1)
	needString := func() error {
		if a.T != catalog.TypeString {
			return fail("the actual value must be a STRING, not "+a.T.String(), "a STRING", render(a))
		}
		return nil
	}
	switch name {
	case "assert":
		switch a.T {
		case catalog.TypeBool:
			if !a.Bool {
				return fail("expression is false", "true", "false")
			}
		case catalog.TypeString:
			if a.NotSet || a.Str == "" {
				return fail("expression is not truthy", "a non-empty STRING", render(a))
			}
		default:
			return fail("type mismatch: the expression must be BOOL or STRING, not "+a.T.String(), "BOOL or STRING", render(a))
		}
	case "assert.true", "assert.false":
		want := name == "assert.true"
		if a.T != catalog.TypeBool || a.Bool != want {
			return fail("value is not "+strconv.FormatBool(want), strconv.FormatBool(want)+" (BOOL)", render(a))
		}
	case "assert.is_json":
		if err := needString(); err != nil {
			return err
		}
		if !json.Valid([]byte(a.Str)) {
			return fail("value is not valid JSON", "valid JSON", render(a))
		}
	case "assert.is_notset":
		if !a.NotSet {
			return fail("value is set", "(null)", render(a))
		}
	case "assert.equal", "assert.strict_equal", "assert.not_equal", "assert.not_strict_equal":
		strict := strings.Contains(name, "strict")
		eq, mismatch := equalValues(a, b, strict)
		negate := strings.Contains(name, "not_")
		switch {
		case negate && eq:
			return fail("values are equal", "not "+render(b), render(a))
		case !negate && mismatch:
			return fail("type mismatch: "+a.T.String()+" and "+b.T.String(), render(b), render(a))
		case !negate && !eq:
			return fail("values are not equal", render(b), render(a))
		}
	case "assert.equal_fold":
		if err := needString(); err != nil {
			return err
		}
		if !strings.EqualFold(a.Str, text(b)) {
			return fail("values are not equal ignoring case", render(b), render(a))
		}
	case "assert.match", "assert.not_match":
		if err := needString(); err != nil {
			return err
		}
		re, err := pcre.Compile(b.String())
		if err != nil {
			return fmt.Errorf("%s: invalid regular expression %q: %v", name, b.String(), err)
		}
		m, err := re.TryMatchString(a.Str)
		if err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		if want := name == "assert.match"; m != want {
			verb := "does not match"
			if m {
				verb = "matches"
			}
			return fail("value "+verb+" /"+b.String()+"/", "/"+b.String()+"/", render(a))
		}
	case "assert.contains", "assert.not_contains", "assert.starts_with", "assert.ends_with":
		if err := needString(); err != nil {
			return err
		}
		s, sub := text(a), text(b)
		var ok bool
		var what string
		switch name {
		case "assert.contains":
			ok, what = strings.Contains(s, sub), "contains "
		case "assert.not_contains":
			ok, what = !strings.Contains(s, sub), "does not contain "
		case "assert.starts_with":
			ok, what = strings.HasPrefix(s, sub), "starts with "
		default:
			ok, what = strings.HasSuffix(s, sub), "ends with "
		}
		if !ok {
			return fail("value is expected to be a string that "+what+render(b), what+render(b), render(a))
		}
	case "assert.subroutine_called":
		n := t.Calls(a.String())
		if len(args) > 1 {
			times, _ := value.ToInteger(b)
			if int64(n) != times {
				return fail("subroutine "+a.String()+" was called "+strconv.Itoa(n)+" times", strconv.FormatInt(times, 10)+" calls", strconv.Itoa(n)+" calls")
			}
		} else if n == 0 {
			return fail("subroutine "+a.String()+" was not called", "at least 1 call", "0 calls")
		}
	case "assert.not_subroutine_called":
		if n := t.Calls(a.String()); n > 0 {
			return fail("subroutine "+a.String()+" was called", "0 calls", strconv.Itoa(n)+" calls")
		}
	case "assert.restart":
		if !t.Restarted() {
			return fail("restart was not called", "restart", "no restart")
		}
	case "assert.not_restart":
		if t.Restarted() {
			return fail("restart was called", "no restart", "restart")
		}
	case "assert.state", "assert.not_state":
		got := t.State()
		want := strings.ToUpper(a.Str)
		if a.T == catalog.TypeString {
			want = strings.ToUpper(a.String())
		}
		if same := got == want; same != (name == "assert.state") {
			if same {
				return fail("state is "+want, "not "+want, got)
			}
			return fail("state is not "+want, want, stateText(got))
		}
	case "assert.error":
		called, code, resp := t.ErrorCalled()
		want, _ := value.ToInteger(a)
		if !called {
			return fail("error was not called", "error "+strconv.FormatInt(want, 10), "no error")
		}
		if int64(code) != want {
			return fail("error status differs", strconv.FormatInt(want, 10), strconv.Itoa(code))
		}
		if len(args) > 1 && resp != b.String() {
			return fail("error response differs", strconv.Quote(b.String()), strconv.Quote(resp))
		}
	case "assert.not_error":
		if called, code, _ := t.ErrorCalled(); called {
			return fail("error was called", "no error", "error "+strconv.Itoa(code))
		}
	default:
		return fmt.Errorf("unknown assertion %s", name)
	}
	return nil
}

func stateText(s string) string {
	if s == "" {
		return "(no state: no subroutine returned an action)"
	}
	return s
}
