package builtin

import (
	"errors"
	"fmt"
	"math/rand"
	"net/http"
	"testing"
	"time"

	"github.com/vclide/vclide/interp/value"
)

// fakeNow is the fixed time of every fakeEnv's clock:
// Tue, 04 Jun 2024 12:34:56 UTC (Unix 1717504496).
var fakeNow = time.Date(2024, time.June, 4, 12, 34, 56, 0, time.UTC)

// fakeEnv is a deterministic Env for tests: a fixed clock, a seeded random
// source, header maps per object, tables and a flat variable store.
type fakeEnv struct {
	now     time.Time
	rnd     *rand.Rand
	headers map[string]http.Header
	tables  map[string]map[string]value.Value
	vars    map[string]value.Value
	// readOnly lists variables whose assignment fails (to test error paths).
	readOnly map[string]bool
}

// newEnv returns a fakeEnv with the clock at fakeNow, the random source seeded
// with 1, empty header maps for req, bereq, beresp, obj and resp, and no
// tables or variables.
func newEnv() *fakeEnv {
	return &fakeEnv{
		now: fakeNow,
		rnd: rand.New(rand.NewSource(1)),
		headers: map[string]http.Header{
			"req": {}, "bereq": {}, "beresp": {}, "obj": {}, "resp": {},
		},
		tables:   map[string]map[string]value.Value{},
		vars:     map[string]value.Value{},
		readOnly: map[string]bool{},
	}
}

func (e *fakeEnv) Now() time.Time { return e.now }

func (e *fakeEnv) Rand() *rand.Rand { return e.rnd }

func (e *fakeEnv) Headers(object string) http.Header { return e.headers[object] }

func (e *fakeEnv) Table(name string) (map[string]value.Value, bool) {
	t, ok := e.tables[name]
	return t, ok
}

func (e *fakeEnv) SetVariable(name string, v value.Value) error {
	if e.readOnly[name] {
		return fmt.Errorf("variable %s is read-only", name)
	}
	e.vars[name] = v
	return nil
}

func (e *fakeEnv) Variable(name string) (value.Value, error) {
	v, ok := e.vars[name]
	if !ok {
		return value.Value{}, errors.New("unknown variable " + name)
	}
	return v, nil
}

// call runs the registered builtin name with args against env, failing the
// test when the function is not registered.
func call(t *testing.T, env Env, name string, args ...value.Value) (value.Value, error) {
	t.Helper()
	f, ok := Lookup(name)
	if !ok {
		t.Fatalf("builtin %s is not registered", name)
	}
	return f(env, args)
}

// Short value constructors for test tables.
var (
	vs = value.String
	vi = value.Integer
	vf = value.Float
	vb = value.Bool
)

func TestFakeEnv(t *testing.T) {
	e := newEnv()
	if !e.Now().Equal(fakeNow) {
		t.Fatalf("Now = %v", e.Now())
	}
	a := e.Rand().Int63()
	if b := newEnv().Rand().Int63(); a != b {
		t.Fatalf("seeded rand differs: %d vs %d", a, b)
	}
	e.Headers("req").Set("X", "1")
	if e.Headers("req").Get("X") != "1" || e.Headers("nope") != nil {
		t.Fatal("headers")
	}
	if err := e.SetVariable("fastly.error", vs("EDOM")); err != nil {
		t.Fatal(err)
	}
	if v, err := e.Variable("fastly.error"); err != nil || v.Str != "EDOM" {
		t.Fatalf("Variable = %v, %v", v, err)
	}
	e.readOnly["client.ip"] = true
	if e.SetVariable("client.ip", vs("x")) == nil {
		t.Fatal("read-only assignment succeeded")
	}
	if _, ok := e.Table("t"); ok {
		t.Fatal("table exists")
	}
}
