package scenario

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/cache"
	"github.com/vclide/vclide/interp"
	"github.com/vclide/vclide/interp/origin"
)

// fakeEngine answers every request with a canned result and records what it
// was asked, so Run can be tested without the interpreter.
type fakeEngine struct {
	clock   *cache.VirtualClock
	seen    []string // "METHOD URL @offset"
	purges  []string
	respond func(req interp.Request) *interp.Result
}

func (f *fakeEngine) note(req interp.Request) {
	f.seen = append(f.seen, req.Method+" "+req.URL+" host="+req.Header.Get("Host")+" @"+f.clock.Now().Sub(cache.Epoch).String())
}

func (f *fakeEngine) Do(_ context.Context, req interp.Request) *interp.Result {
	f.note(req)
	return f.respond(req)
}

func (f *fakeEngine) DoConcurrent(_ context.Context, reqs []interp.Request) []*interp.Result {
	out := make([]*interp.Result, len(reqs))
	for i, r := range reqs {
		f.note(r)
		out[i] = f.respond(r)
	}
	return out
}

func (f *fakeEngine) Clock() *cache.VirtualClock { return f.clock }

func (f *fakeEngine) Purge(url string, soft bool) int {
	f.purges = append(f.purges, "url "+url)
	return 1
}

func (f *fakeEngine) PurgeSurrogateKey(key string, soft bool) int {
	f.purges = append(f.purges, "key "+key)
	return 2
}

func canned(req interp.Request) *interp.Result {
	h := http.Header{}
	h.Set("X-Cache", "MISS")
	h.Set("X-Path", req.URL)
	return &interp.Result{
		Request:  req,
		Response: interp.Response{Status: 200, Header: h, Body: []byte("hello from " + req.URL)},
		State:    "MISS-CLUSTER",
		Route: []interp.RouteStep{
			{Sub: "vcl_recv"}, {Sub: "vcl_hash"}, {Sub: "vcl_miss"}, {Sub: "vcl_fetch"}, {Sub: "vcl_deliver"}, {Sub: "vcl_log"},
		},
		Logs: []string{"syslog: request " + req.URL},
	}
}

func TestRunStepsAndClock(t *testing.T) {
	s, err := Parse("s.yaml", []byte(`clock: 2024-01-01T00:01:00Z
requests:
  - url: /a
  - url: https://shop.example/b?x=1
    at: 30s
  - at: 30s
    concurrent:
      - url: /c1
      - url: /c2
        method: HEAD
  - purge: {url: /a}
  - at: 2m
    purge: {surrogate_key: k, soft: true}
  - url: /d
`))
	if err != nil {
		t.Fatal(err)
	}
	eng := &fakeEngine{clock: cache.NewVirtualClock(time.Time{}), respond: canned}
	outs, err := s.Run(context.Background(), eng)
	if err != nil {
		t.Fatal(err)
	}
	// The clock starts at the scenario's start (Epoch + 1m) and moves to
	// start+at; a later smaller `at` than the clock is not possible (it is
	// rejected when parsing), so steps without `at` keep the time.
	want := []string{
		"GET /a host= @1m0s",
		"GET /b?x=1 host=shop.example @1m30s",
		"GET /c1 host= @1m30s",
		"HEAD /c2 host= @1m30s",
		"GET /d host= @3m0s",
	}
	if strings.Join(eng.seen, "\n") != strings.Join(want, "\n") {
		t.Errorf("engine saw\n%s\nwant\n%s", strings.Join(eng.seen, "\n"), strings.Join(want, "\n"))
	}
	if strings.Join(eng.purges, ",") != "url /a,key k" {
		t.Errorf("purges = %v", eng.purges)
	}
	if len(outs) != 7 {
		t.Fatalf("%d outcomes, want 7", len(outs))
	}
	if outs[2].Step != 2 || outs[3].Index != 1 || outs[3].Group != 2 || outs[5].Purge == nil || outs[5].Purged != 2 {
		t.Errorf("outcomes indexed wrongly: %+v", outs)
	}
	if outs[1].Result.Request.TLS != true {
		t.Error("https URL did not set TLS")
	}
	if !Passed(outs) {
		t.Error("no expectations, yet not passed")
	}
}

func TestVerify(t *testing.T) {
	str := func(s string) *string { return &s }
	res := canned(interp.Request{Method: "GET", URL: "/x"})
	tests := []struct {
		name     string
		expect   Expect
		failures []string
		checks   int
	}{
		{"all pass", Expect{
			Status: 200, State: "MISS-CLUSTER", Body: str("hello"),
			Headers: map[string]*string{"x-cache": str("MISS"), "Set-Cookie": nil},
			Route:   []string{"vcl_recv", "vcl_hash", "vcl_miss", "vcl_fetch", "vcl_deliver", "vcl_log"},
			Logs:    []string{"request /x"},
		}, nil, 7},
		{"status and state", Expect{Status: 503, State: "HIT"}, []string{
			"status 503: got 200",
			`state HIT: got "MISS-CLUSTER"`,
		}, 2},
		{"headers", Expect{Headers: map[string]*string{
			"X-Cache": str("HIT"), "X-Path": nil, "Age": str("0"),
		}}, []string{
			`header Age = "0": absent`,
			`header X-Cache = "HIT": got "MISS"`,
			`header X-Path absent: got "/x"`,
		}, 3},
		{"body route logs", Expect{
			Body:  str("goodbye"),
			Route: []string{"vcl_recv", "vcl_hash", "vcl_hit", "vcl_deliver", "vcl_log"},
			Logs:  []string{"nope"},
		}, []string{
			`body contains "goodbye": body is "hello from /x"`,
			"route vcl_recv → vcl_hash → vcl_hit → vcl_deliver → vcl_log: got vcl_recv → vcl_hash → vcl_miss → vcl_fetch → vcl_deliver → vcl_log",
			`log "nope": no log line contains it`,
		}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Verify(&tt.expect, res)
			if v.Passed != (len(tt.failures) == 0) || len(v.Checks) != tt.checks {
				t.Errorf("passed=%v checks=%d", v.Passed, len(v.Checks))
			}
			if strings.Join(v.Failures, "\n") != strings.Join(tt.failures, "\n") {
				t.Errorf("failures\n%s\nwant\n%s", strings.Join(v.Failures, "\n"), strings.Join(tt.failures, "\n"))
			}
		})
	}
	if Verify(nil, res) != nil {
		t.Error("Verify(nil) should be nil")
	}
}

func TestConfig(t *testing.T) {
	dir := t.TempDir()
	vcl := `backend F_a { .host = "a.example"; }
backend F_b { .host = "b.example"; }
sub vcl_recv {
#FASTLY recv
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.vcl"), []byte(vcl), 0o644); err != nil {
		t.Fatal(err)
	}
	parse := func(src string) *Scenario {
		t.Helper()
		s, err := Parse(filepath.Join(dir, "s.yaml"), []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := parse(`vcl: main.vcl
nodes: 6
seed: 9
clustering: false
clock: 2024-02-02T00:00:00Z
backends:
  F_a: {responses: [{status: 201}]}
  F_b: {url: "http://127.0.0.1:1"}
  "*": {responses: [{status: 418}]}
requests: [{url: /}]
`)
	prog, err := s.Program(analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := s.Config(prog, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Nodes != 6 || cfg.Seed != 9 || !cfg.DisableClustering || !cfg.Clock.Now().Equal(time.Date(2024, 2, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("config = %+v", cfg)
	}
	if _, ok := cfg.Backends["F_a"].(*origin.Mock); !ok {
		t.Errorf("F_a = %T, want a mock", cfg.Backends["F_a"])
	}
	if _, ok := cfg.Backends["F_b"].(*origin.HTTP); !ok {
		t.Errorf("F_b = %T, want an HTTP origin", cfg.Backends["F_b"])
	}
	resp, _ := cfg.Fallback.RoundTrip(context.Background(), &interp.BackendRequest{Method: "GET", URL: "/"})
	if resp == nil || resp.Status != 418 {
		t.Errorf("fallback answered %+v, want the * mock", resp)
	}
	// An explicit origin overrides "*".
	cfg, _ = s.Config(prog, Options{Origin: origin.Embedded{}})
	if _, ok := cfg.Fallback.(origin.Embedded); !ok {
		t.Errorf("fallback = %T, want the explicit origin", cfg.Fallback)
	}

	// Defaults: 4 nodes, clustering on, embedded fallback, Epoch.
	cfg, err = parse("vcl: main.vcl\nrequests: [{url: /}]\n").Config(prog, Options{})
	if err != nil || cfg.Nodes != 4 || cfg.DisableClustering || !cfg.Clock.Now().Equal(cache.Epoch) {
		t.Errorf("defaults: %v %+v", err, cfg)
	}
	if _, ok := cfg.Fallback.(origin.Embedded); !ok {
		t.Errorf("default fallback = %T", cfg.Fallback)
	}

	// keep_expired: how long expired objects with validators stay for
	// revalidation; 0 keeps none (interp takes a negative value for that),
	// unset leaves interp's default.
	for src, want := range map[string]time.Duration{"": 0, "keep_expired: 30m\n": 30 * time.Minute, "keep_expired: 0\n": -1} {
		cfg, err = parse("vcl: main.vcl\n"+src+"requests: [{url: /}]\n").Config(prog, Options{})
		if err != nil || cfg.KeepExpired != want {
			t.Errorf("%q: KeepExpired %v (%v), want %v", src, cfg.KeepExpired, err, want)
		}
	}

	// Unknown backend names are reported at their position.
	_, err = parse("vcl: main.vcl\nbackends:\n  F_c: {responses: []}\nrequests: [{url: /}]\n").Config(prog, Options{})
	if err == nil || !strings.Contains(err.Error(), `s.yaml:3:8: backend "F_c" is not used by the VCL (declared: F_a, F_b; service backends: none); did you mean "F_a"?; use "*" for every backend`) {
		t.Errorf("err = %v", err)
	}
	if len(prog.Diagnostics) > 0 {
		for _, d := range prog.Diagnostics {
			if d.Severity == analysis.SeverityError {
				t.Errorf("test VCL has an error: %s", d)
			}
		}
	}
}

// TestExamples checks that the bundled example scenarios decode, that their
// VCL has no errors and that their backends exist in it.
func TestExamples(t *testing.T) {
	files, err := filepath.Glob("../../examples/*.scenario.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example scenarios: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			s, err := Load(f)
			if err != nil {
				t.Fatal(err)
			}
			prog, err := s.Program(analysis.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range prog.Diagnostics {
				if d.Severity == analysis.SeverityError {
					t.Errorf("%s", d)
				}
			}
			if _, err := s.Config(prog, Options{}); err != nil {
				t.Error(err)
			}
			expectations := 0
			for _, st := range s.Requests {
				if st.Expect != nil {
					expectations++
				}
			}
			if expectations == 0 {
				t.Error("an example scenario should check something")
			}
		})
	}
}

// TestConfigServiceBackends checks which backend names a scenario may
// configure for service VCL (backends the VCL references without declaring
// them, or lists in .vclide.yaml), and the `url: declared` opt-in.
func TestConfigServiceBackends(t *testing.T) {
	dir := t.TempDir()
	vcl := `backend F_local { .host = "127.0.0.1"; .port = "9"; }
sub vcl_recv {
#FASTLY recv
  if (req.url ~ "^/api/") { set req.backend = F_Heroku; }
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.vcl"), []byte(vcl), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		backends string
		listed   []string
		wantErr  string
	}{
		{"a mock for a referenced service backend", `F_Heroku: {responses: [{status: 201}]}`, nil, ""},
		{"a url for a listed service backend", `F_S3: {url: "http://127.0.0.1:1"}`, []string{"F_S3"}, ""},
		{"star answers everything", `"*": {responses: [{status: 418}]}`, nil, ""},
		{"url: declared for a declared backend", `F_local: {url: declared}`, nil, ""},
		{"url: declared for a service backend", `F_Heroku: {url: declared}`, nil, `url: declared needs a backend declared in the VCL`},
		{"a name the VCL never uses", `F_Herok: {responses: []}`, nil, `backend "F_Herok" is not used by the VCL (declared: F_local; service backends: F_Heroku); did you mean "F_Heroku"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(filepath.Join(dir, "s.yaml"), []byte("vcl: main.vcl\nbackends:\n  "+tt.backends+"\nrequests: [{url: /}]\n"))
			if err != nil {
				t.Fatal(err)
			}
			prog, err := s.Program(analysis.Options{External: analysis.External{Backends: tt.listed}})
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := s.Config(prog, Options{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, err := interp.New(cfg); err != nil {
				t.Fatal(err)
			}
		})
	}
}
