package interp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/interp/builtin"
	"github.com/vclide/vclide/interp/value"
)

// This file is the engine's unit-test mode (falco's test format; the runner
// is package vcltest). A test subroutine runs outside the request state
// machine, in the scope its @scope names, with every HTTP object present;
// testing.call_subroutine runs one subroutine of the VCL under test and
// records how it ended.

// TestFuncs implements the testing.* and assert.* functions that test
// subroutines call. The engine evaluates the arguments (a bare name given
// for an ID or TABLE parameter arrives as an ID value) and passes them on.
type TestFuncs interface {
	CallTestFunc(t *TestExec, name string, args []value.Value) (value.Value, error)
}

// TestFailure is implemented by the errors of failed assertions: the
// engine reports them to the hooks as an "assertion" event (the debugger
// stops on it like on an exception) before the test ends.
type TestFailure interface {
	error
	TestFailure()
}

// testState is what a unit test adds to a request in flight.
type testState struct {
	tx        *TestExec
	state     string // how the last called subroutine ended, upper case
	restarted bool
	errored   bool
	errCode   int
	errResp   string
	calls     map[string]int
	mocks     map[*csub]*csub
	injected  map[string]value.Value
	health    map[string]bool
	tables    map[string]map[string]value.Value
	rl        *builtin.RateLimits
}

// TestExec is one unit test's interpreter state. Tests of a describe group
// share one TestExec; other tests get a fresh one.
type TestExec struct {
	x *execState
}

// NewTestExec prepares the state of a unit test: a GET / request with
// Host "localhost", over http, from 192.0.2.1; req, bereq, beresp, obj and
// resp all present; the virtual clock back at its start.
func (e *Engine) NewTestExec(ctx context.Context) *TestExec {
	e.clock.Set(e.testStart)
	x := e.newExec(ctx, Request{Method: http.MethodGet, URL: "/", Header: http.Header{"Host": {"localhost"}}})
	x.hooks = e.cfg.Hooks
	if x.hooks != nil && x.xp == nil {
		x.xp = &Exec{impl: x}
	}
	x.bereq = x.newBereq()
	x.beresp = &respObj{status: 200, response: "OK", proto: "HTTP/1.1", header: http.Header{}, cacheable: true}
	x.obj = &respObj{status: 200, response: "OK", proto: "HTTP/1.1", header: http.Header{}}
	x.resp = &respObj{status: 200, response: "OK", proto: "HTTP/1.1", header: http.Header{}}
	t := &TestExec{x: x}
	x.test = &testState{tx: t, calls: map[string]int{}}
	return t
}

// Run runs a test subroutine or describe hook in scope. The error is the
// runtime error or failed assertion that ended it (a *RuntimeError whose
// Err is what the TestFuncs returned), or nil.
func (t *TestExec) Run(sub *analysis.Sub, scope catalog.Sub) error {
	x := t.x
	cs := x.e.tests[sub]
	if cs == nil {
		return fmt.Errorf("interp: %s is not a compiled test subroutine", sub.Name)
	}
	x.sub = scope
	x.err = nil
	c := x.call(cs, nil)
	x.act, x.retVal = actNone, value.Value{}
	if c == ctlAbort {
		err := x.err
		x.err = nil
		return err
	}
	return nil
}

// Exec returns the debugger's view of the test's state.
func (t *TestExec) Exec() *Exec {
	if t.x.xp == nil {
		t.x.xp = &Exec{impl: t.x}
	}
	return t.x.xp
}

// Logs are the lines written by log statements so far.
func (t *TestExec) Logs() []string { return t.x.res.Logs }

// ResetCalls forgets which subroutines were called and how the last one
// ended (each test of a group starts with none).
func (t *TestExec) ResetCalls() {
	ts := t.x.test
	clear(ts.calls)
	ts.state, ts.restarted, ts.errored, ts.errCode, ts.errResp = "", false, false, 0, ""
}

// CallSub runs a subroutine of the VCL under test, as
// testing.call_subroutine does: a vcl_* subroutine in its own scope (its
// default code when the VCL does not define it), a custom or functional one
// with args. It records the state the subroutine moved to and returns a
// functional subroutine's value.
func (t *TestExec) CallSub(name string, args []value.Value) (value.Value, error) {
	x := t.x
	cs := x.e.subs[name]
	if cs == nil {
		cs = x.e.testByName[name]
	}
	k, isBuiltin := catalog.ParseSub(name)
	isBuiltin = isBuiltin && strings.HasPrefix(name, "vcl_")
	if cs == nil && !isBuiltin {
		return value.Value{}, fmt.Errorf("testing.call_subroutine: no subroutine %s in the VCL under test", name)
	}
	saved := x.sub
	if isBuiltin {
		x.sub = k
	}
	defer func() { x.sub = saved }()
	act := actNone
	if isBuiltin {
		act = parseAction(catalog.SubInfoOf(k).DefaultReturn)
	}
	x.retVal = value.Value{}
	if cs == nil {
		x.macro(k.String())
	} else {
		cs = x.callee(cs)
		if cs.retType != catalog.TypeUnknown {
			x.retVal = zeroValue(cs.retType)
		}
		switch x.call(cs, args) {
		case ctlAbort:
			return value.Value{}, x.err
		case ctlReturn:
			if x.act != actNone {
				act = x.act
			}
		}
	}
	x.act = actNone
	ts := x.test
	if act != actNone {
		ts.state = strings.ToUpper(act.String())
	}
	switch act {
	case actError:
		ts.errored, ts.errCode, ts.errResp = true, x.errCode, x.errResp
		x.obj.status, x.obj.response = x.errCode, x.errResp
	case actRestart:
		ts.restarted = true
	}
	v := x.retVal
	x.retVal = value.Value{}
	if cs != nil && cs.retType != catalog.TypeUnknown {
		return convertFor(v, cs.retType)
	}
	if v.T == catalog.TypeUnknown {
		return value.NullString(), nil
	}
	return v, nil
}

// State is how the last called subroutine ended, upper case ("LOOKUP",
// "ERROR"), "" before any call.
func (t *TestExec) State() string { return t.x.test.state }

// Restarted reports whether a called subroutine ran restart.
func (t *TestExec) Restarted() bool { return t.x.test.restarted }

// ErrorCalled reports whether a called subroutine ran an error statement,
// with its status and response text.
func (t *TestExec) ErrorCalled() (bool, int, string) {
	ts := t.x.test
	return ts.errored, ts.errCode, ts.errResp
}

// Calls is how many times the named subroutine was called.
func (t *TestExec) Calls(name string) int { return t.x.test.calls[name] }

// SyntheticBody is the body set by synthetic or synthetic.base64.
func (t *TestExec) SyntheticBody() string { return string(t.x.obj.body) }

// Inspect reads any predefined variable, whatever the scope.
func (t *TestExec) Inspect(name string) (value.Value, error) { return t.x.Variable(name) }

// Inject makes a predefined variable return v for the rest of the test.
func (t *TestExec) Inject(name string, v value.Value) {
	ts := t.x.test
	if ts.injected == nil {
		ts.injected = map[string]value.Value{}
	}
	if cv := bindVar(name); cv.typ() != catalog.TypeUnknown && cv.typ() != v.T {
		if c, err := convertFor(v, cv.typ()); err == nil {
			v = c
		}
	}
	if name == "req.body" {
		t.x.req.body = []byte(v.String())
	}
	ts.injected[name] = v
}

// CheckInjection reports why a test may not set the predefined variable
// name to text (nil when it may): the name must be a header or a variable
// the catalogue knows, and text must convert to the variable's type.
func CheckInjection(name, text string) error {
	if _, ok := lookupHeaderVar(name); ok {
		return nil
	}
	v, ok := catalog.LookupVariable(name)
	if !ok {
		return fmt.Errorf("%s is not a VCL variable", name)
	}
	if _, err := convertFor(value.String(text), v.Type); err != nil {
		return fmt.Errorf("%q is not %s for %s", text, catalog.WithArticle(v.Type.String()), name)
	}
	return nil
}

// OverrideHost sets the request's Host header.
func (t *TestExec) OverrideHost(host string) { t.x.req.header["Host"] = []string{host} }

// FixTime freezes the virtual clock at tm.
func (t *TestExec) FixTime(tm time.Time) { t.x.e.clock.Set(tm) }

// Mock makes calls of from run to instead (a subroutine of the VCL or of
// the test file).
func (t *TestExec) Mock(from, to string) error {
	x := t.x
	src := x.e.subs[from]
	if src == nil {
		return fmt.Errorf("testing.mock: no subroutine %s in the VCL under test", from)
	}
	if src.builtin {
		return fmt.Errorf("testing.mock: %s is a vcl_* subroutine; only custom subroutines can be mocked", from)
	}
	dst := x.e.testByName[to]
	if dst == nil {
		dst = x.e.subs[to]
	}
	if dst == nil {
		return fmt.Errorf("testing.mock: no subroutine %s in the test file", to)
	}
	if x.test.mocks == nil {
		x.test.mocks = map[*csub]*csub{}
	}
	x.test.mocks[src] = dst
	return nil
}

// RestoreMock undoes Mock for one subroutine.
func (t *TestExec) RestoreMock(from string) {
	if src := t.x.e.subs[from]; src != nil {
		delete(t.x.test.mocks, src)
	}
}

// RestoreAllMocks undoes every Mock.
func (t *TestExec) RestoreAllMocks() { clear(t.x.test.mocks) }

// TableSet sets key in a table for the rest of the test.
func (t *TestExec) TableSet(table, key string, v value.Value) error {
	m, err := t.tableCopy(table)
	if err != nil {
		return err
	}
	m[key] = v
	return nil
}

// TableMerge copies every entry of table merge into table base.
func (t *TestExec) TableMerge(base, merge string) error {
	m, err := t.tableCopy(base)
	if err != nil {
		return err
	}
	src, _ := t.x.Table(merge)
	for k, v := range src {
		m[k] = v
	}
	return nil
}

func (t *TestExec) tableCopy(name string) (map[string]value.Value, error) {
	ts := t.x.test
	if m, ok := ts.tables[name]; ok {
		return m, nil
	}
	orig, ok := t.x.e.tables[name]
	if !ok {
		// A dictionary of the Fastly service (declared in .vclide.yaml)
		// starts empty.
		if sym := t.x.e.prog.Globals[name]; sym == nil || sym.Kind != analysis.SymTable {
			return nil, fmt.Errorf("no table %s in the VCL under test", name)
		}
	}
	m := make(map[string]value.Value, len(orig))
	for k, v := range orig {
		m[k] = v
	}
	if ts.tables == nil {
		ts.tables = map[string]map[string]value.Value{}
	}
	ts.tables[name] = m
	return m, nil
}

// SetBackendHealth marks a backend or director healthy or not.
func (t *TestExec) SetBackendHealth(name string, healthy bool) {
	ts := t.x.test
	if ts.health == nil {
		ts.health = map[string]bool{}
	}
	ts.health[name] = healthy
}

// FixAccessRate makes ratecounters see a steady rate of rate requests per
// second besides the test's own increments.
func (t *TestExec) FixAccessRate(rate float64) {
	rl := builtin.NewRateLimits()
	rl.SetFixedRate(rate)
	t.x.test.rl = rl
}

// OriginHostHeader is the Host header the selected backend would receive:
// its .host_header, its .host when .always_use_host_header is true, else
// the request's Host.
func (t *TestExec) OriginHostHeader() string {
	x := t.x
	host, _ := headerGet(x.req.header, "Host")
	sym := x.e.prog.Globals[x.req.backend]
	if sym == nil {
		return host
	}
	bd, ok := sym.Decl.(*syntax.BackendDecl)
	if !ok || bd.Body == nil {
		return host
	}
	props := map[string]string{}
	for _, p := range bd.Body.Props {
		if p.Name != nil && p.Value != nil {
			if v, err := constValue(p.Value, 0); err == nil {
				props[p.Name.Name] = v.String()
			} else if id, ok := p.Value.(*syntax.Ident); ok {
				props[p.Name.Name] = id.Name
			}
		}
	}
	if h := props["host_header"]; h != "" {
		return h
	}
	if props["always_use_host_header"] == "true" || props["always_use_host_header"] == "1" {
		return props["host"]
	}
	return host
}

// callee applies a test's mocks to a call.
func (x *execState) callee(cs *csub) *csub {
	if x.test != nil && x.test.mocks != nil {
		if m := x.test.mocks[cs]; m != nil {
			return m
		}
	}
	return cs
}

// testVar is testing.state, testing.synthetic_body or
// testing.origin_host_header.
type testVar struct{ n string }

func (v *testVar) get(x *execState) (value.Value, error) {
	if x.test == nil {
		return value.Value{}, fmt.Errorf("%s is only available when running unit tests", v.n)
	}
	switch v.n {
	case "testing.state":
		return value.String(x.test.state), nil
	case "testing.synthetic_body":
		return value.String(string(x.obj.body)), nil
	case "testing.origin_host_header":
		return value.String(x.test.tx.OriginHostHeader()), nil
	}
	return value.Value{}, fmt.Errorf("unknown testing variable %s", v.n)
}
func (v *testVar) set(*execState, value.Value) error { return fmt.Errorf("%s is read-only", v.n) }
func (v *testVar) unset(*execState) error            { return fmt.Errorf("%s cannot be unset", v.n) }
func (v *testVar) typ() catalog.Type                 { return catalog.TypeString }
func (v *testVar) name() string                      { return v.n }

// healthVar is backend.NAME.healthy or director.NAME.healthy: true unless
// a test marked it unhealthy.
type healthVar struct{ n, backend string }

func (h *healthVar) get(x *execState) (value.Value, error) {
	if x.test != nil {
		if ok, set := x.test.health[h.backend]; set {
			return value.Bool(ok), nil
		}
	}
	return value.Bool(true), nil
}
func (h *healthVar) set(*execState, value.Value) error { return fmt.Errorf("%s is read-only", h.n) }
func (h *healthVar) unset(*execState) error            { return fmt.Errorf("%s cannot be unset", h.n) }
func (h *healthVar) typ() catalog.Type                 { return catalog.TypeBool }
func (h *healthVar) name() string                      { return h.n }

// testCallExpr is a call of a testing.* or assert.* function.
type testCallExpr struct {
	name string
	args []cexpr
}

func (e *testCallExpr) eval(x *execState) (value.Value, error) {
	if x.test == nil || x.e.cfg.Tests == nil {
		return value.Value{}, fmt.Errorf("%s is only available when running unit tests", e.name)
	}
	args := make([]value.Value, len(e.args))
	for i, a := range e.args {
		v, err := a.eval(x)
		if err != nil {
			return value.Value{}, err
		}
		args[i] = v
	}
	v, err := x.e.cfg.Tests.CallTestFunc(x.test.tx, e.name, args)
	var tf TestFailure
	if err != nil && x.hooks != nil && errors.As(err, &tf) {
		x.event("assertion", tf.Error())
	}
	return v, err
}

// testCall compiles a testing.* or assert.* call: a bare name for an ID,
// TABLE or BACKEND parameter is passed as its name.
func (c *compiler) testCall(e *syntax.CallExpr, fn *catalog.Function) cexpr {
	out := &testCallExpr{name: e.Fn.Name, args: make([]cexpr, len(e.Args))}
	sig := &fn.Overloads[0]
	for i, a := range e.Args {
		p, _ := sig.ParamAt(i)
		if id, ok := a.(*syntax.Ident); ok && !strings.Contains(id.Name, ".") {
			switch p.Type {
			case catalog.TypeID, catalog.TypeTable:
				out.args[i] = &constExpr{v: value.ID(id.Name)}
				continue
			case catalog.TypeBackend:
				out.args[i] = &constExpr{v: value.Backend(id.Name)}
				continue
			}
		}
		out.args[i] = c.expr(a)
	}
	return out
}
