package dap

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/internal/loopback"
	"github.com/vclide/vclide/interp"
	"github.com/vclide/vclide/interp/origin"
	"github.com/vclide/vclide/interp/scenario"
)

// LaunchConfig is the `launch` request's arguments. Its JSON field names are
// shared with the VS Code extension and listed in launch_fields.json; a test
// keeps the two identical.
type LaunchConfig struct {
	// Program is the VCL entry file. It may be left out when Scenario names
	// one (when both are given, Program wins).
	Program string `json:"program"`
	// IncludePaths are searched for `include` after the including file's
	// directory (and after the scenario's include_paths).
	IncludePaths []string `json:"includePaths"`
	// TerraformPlan is the JSON `terraform show -json` printed; the Fastly
	// service is read from it instead of the workspace's .tf files.
	TerraformPlan string `json:"terraformPlan"`
	// Scenario is a scenario file (YAML or JSON) of package
	// interp/scenario: POP shape, backends and the requests to run.
	Scenario string `json:"scenario"`
	// Requests are the requests to run, in the scenario format (objects
	// with method, url, headers, body, at, expect, concurrent or purge), or
	// strings such as "GET /path". They replace the scenario's requests.
	Requests json.RawMessage `json:"requests"`
	// Backends maps a backend name (or "*") to a real origin ({"url": …})
	// or mock responses ({"responses": […]}), in the scenario format. They
	// are added to (and override) the scenario's backends.
	Backends json.RawMessage `json:"backends"`
	// Origin is the URL of the user's development server, which answers
	// for every backend that has no responses or URL of its own, or
	// "declared" for the hosts the VCL's backend declarations name.
	Origin string `json:"origin"`
	// Clustering turns the delivery/fetch node split on or off (default
	// on, or the scenario's setting).
	Clustering *bool `json:"clustering"`
	// Nodes is the number of cache nodes in the POP (default 4).
	Nodes int `json:"nodes"`
	// Seed drives the choice of delivery node and random functions.
	Seed *int64 `json:"seed"`
	// StopOnEntry stops at the first statement of the first request.
	StopOnEntry bool `json:"stopOnEntry"`
	// Mode is "run" (run the requests, then end), "serve" (also accept
	// real HTTP requests on Listen, each a new thread) or "test" (run the
	// unit tests of Program, see testmode.go).
	Mode string `json:"mode"`
	// Tests is a test file or glob for "mode": "test" (default: the test
	// files next to Program and in the include paths).
	Tests string `json:"tests"`
	// Filter is a glob over test names (subroutine or @suite) or test file
	// names for "mode": "test".
	Filter string `json:"filter"`
	// Listen is the loopback address of the HTTP listener in serve mode
	// (default 127.0.0.1:0, a free port, announced in the debug console).
	Listen string `json:"listen"`
}

// Launch modes.
const (
	modeRun   = "run"
	modeServe = "serve"
)

// launchExtras are standard DAP launch attributes outside LaunchConfig.
type launchExtras struct {
	NoDebug bool `json:"noDebug"`
}

// fieldError is a problem with one launch field.
type fieldError struct {
	field string
	msg   string
}

func (e *fieldError) Error() string { return fmt.Sprintf("launch: %q %s", e.field, e.msg) }

func fieldErrorf(field, format string, args ...any) error {
	return &fieldError{field: field, msg: fmt.Sprintf(format, args...)}
}

// decodeLaunch decodes and validates launch arguments. Unknown fields (VS
// Code adds type, name, request and private ones) are ignored; a field of
// the wrong type is an error that names it.
func decodeLaunch(raw json.RawMessage) (LaunchConfig, launchExtras, error) {
	var cfg LaunchConfig
	var ex launchExtras
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return cfg, ex, errors.New(`launch: no arguments: give at least "program" (the VCL file) or "scenario"`)
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return cfg, ex, jsonFieldError(err)
	}
	if err := json.Unmarshal(raw, &ex); err != nil {
		return cfg, ex, jsonFieldError(err)
	}
	return cfg, ex, cfg.validate()
}

// jsonFieldError turns a JSON decoding error into one that names the field.
func jsonFieldError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fieldErrorf(te.Field, "must be %s, not a JSON %s", describeType(te.Type.String()), te.Value)
	}
	return fmt.Errorf("launch: invalid arguments: %v", err)
}

func describeType(goType string) string {
	switch {
	case goType == "string":
		return "a string"
	case goType == "[]string":
		return "a list of strings"
	case goType == "bool" || goType == "*bool":
		return "true or false"
	case strings.Contains(goType, "int"):
		return "an integer"
	}
	return "a " + goType
}

// validate checks the fields that need no file system access beyond
// existence checks.
func (c *LaunchConfig) validate() error {
	if c.Program == "" && c.Scenario == "" {
		return errors.New(`launch: "program" is required (the VCL file to debug), or give a "scenario"`)
	}
	switch c.Mode {
	case "":
		c.Mode = modeRun
	case modeRun, modeServe, modeTest:
	default:
		return fieldErrorf("mode", "must be %q, %q or %q, not %q", modeRun, modeServe, modeTest, c.Mode)
	}
	if err := c.validateTestMode(); err != nil {
		return err
	}
	if c.Listen != "" && c.Mode != modeServe {
		return fieldErrorf("listen", `is only used with "mode": "serve"`)
	}
	if c.Mode == modeServe {
		if c.Listen == "" {
			c.Listen = "127.0.0.1:0"
		}
		if err := CheckLoopback(c.Listen); err != nil {
			return fieldErrorf("listen", "%v", err)
		}
	}
	if c.Nodes < 0 || c.Nodes > 256 {
		return fieldErrorf("nodes", "must be between 1 and 256, not %d", c.Nodes)
	}
	if c.Origin != "" && c.Origin != origin.DeclaredSpec {
		u, err := url.Parse(c.Origin)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fieldErrorf("origin", "must be an http:// or https:// URL, or %q, not %q", origin.DeclaredSpec, c.Origin)
		}
	}
	for i, p := range c.IncludePaths {
		if st, err := os.Stat(p); err != nil || !st.IsDir() {
			return fieldErrorf("includePaths", "entry %d (%q) is not a directory", i+1, p)
		}
	}
	if c.Program != "" {
		if st, err := os.Stat(c.Program); err != nil {
			return fieldErrorf("program", "cannot be read: %v", err)
		} else if st.IsDir() {
			return fieldErrorf("program", "is a directory (%s); name the VCL entry file", c.Program)
		}
		if err := analysis.CheckReadable(c.Program, maxFileSizeFor(c.Program)); err != nil {
			return fieldErrorf("program", "cannot be read: %v", err)
		}
	}
	if c.Scenario != "" {
		if _, err := os.Stat(c.Scenario); err != nil {
			return fieldErrorf("scenario", "cannot be read: %v", err)
		}
		// A FIFO would hang the session and a device would never end.
		if err := analysis.CheckReadable(c.Scenario, maxFileSizeFor(c.Scenario)); err != nil {
			return fieldErrorf("scenario", "cannot be read: %v", err)
		}
	}
	return nil
}

// maxFileSizeFor is the size cap of the workspace a file belongs to
// (max_file_size in its .vclide.yaml, else the default).
func maxFileSizeFor(path string) int64 {
	ws, _ := analysis.OpenWorkspace(analysis.WorkspaceSpec{Start: path})
	return ws.MaxFileSize()
}

// CheckLoopback accepts host:port addresses on the loopback interface
// (127.0.0.0/8, ::1 or localhost) and rejects every other address.
func CheckLoopback(addr string) error { return loopback.Check(addr) }

// job is one step the driver runs: a client request or a purge.
type job struct {
	// thread is the DAP thread id of a request (1-based, in run order).
	thread int
	// at is the step's offset from the scenario's start (nil: now).
	at     *time.Duration
	label  string // "GET /path"
	req    interp.Request
	expect *scenario.Expect
	purge  *scenario.Purge
	// reply receives the result of a request that came in over HTTP (serve
	// mode); nil for scenario requests.
	reply   chan *interp.Result
	replied bool
	// group numbers the requests of one concurrent step (0: not in one).
	group int
	// restarts is the request's restart count at the last stop (guarded by
	// the session's mutex).
	restarts int
	// child marks the thread of a subrequest (a background fetch): it is
	// named by its label alone.
	child bool
}

// target is a loaded debuggee: the checked program, the scenario that
// configures the POP and backends, and the initial jobs.
type target struct {
	cfg     LaunchConfig
	noDebug bool
	prog    *analysis.Program
	note    string // one line when a snippet runs inside the boilerplate
	scen    *scenario.Scenario
	origin  interp.Origin
	jobs    []*job
	// spelling maps canonical header names to the spelling the VCL uses.
	spelling map[string]string
	// tests is set for "mode": "test".
	tests *testTarget
	// newEngine makes a fresh engine for the program with hooks installed;
	// each call starts from the same state (seed, clock, mock sequences).
	newEngine func(h hookSink) (engine, error)
}

// close releases the target's real origin connections.
func (t *target) close() {
	if h, ok := t.origin.(interface{ Close() }); ok {
		h.Close()
	}
}

// loadTarget reads the scenario, inline requests and backends, loads and
// checks the program, and prepares the engine factory. Every error names
// the field or file it is about.
func loadTarget(cfg LaunchConfig) (*target, error) {
	if cfg.Mode == modeTest {
		return loadTestTarget(cfg)
	}
	sc := &scenario.Scenario{}
	if cfg.Scenario != "" {
		s, err := scenario.Load(cfg.Scenario)
		if err != nil {
			return nil, fmt.Errorf("launch: scenario %s:\n%v", cfg.Scenario, err)
		}
		sc = s
	}
	if cfg.Program != "" {
		abs, err := filepath.Abs(cfg.Program)
		if err != nil {
			return nil, fieldErrorf("program", "%v", err)
		}
		sc.VCL = abs
	} else if sc.VCL == "" {
		return nil, fmt.Errorf(`launch: the scenario %s names no vcl file; set "program"`, cfg.Scenario)
	}
	if cfg.Requests != nil {
		steps, err := decodeRequests(cfg.Requests)
		if err != nil {
			return nil, err
		}
		sc.Requests = steps
	}
	if cfg.Backends != nil {
		backends, err := decodeBackends(cfg.Backends)
		if err != nil {
			return nil, err
		}
		if sc.Backends == nil {
			sc.Backends = map[string]*scenario.Backend{}
		}
		for name, b := range backends {
			sc.Backends[name] = b
		}
	}
	if cfg.Clustering != nil {
		sc.Clustering = cfg.Clustering
	}
	if cfg.Nodes > 0 {
		sc.Nodes = cfg.Nodes
	}
	if cfg.Seed != nil {
		sc.Seed = *cfg.Seed
	}
	if len(sc.Requests) == 0 && cfg.Mode == modeRun {
		// Nothing to run: debug one plain request.
		sc.Requests = []*scenario.Step{{Request: scenario.Request{Method: "GET", URL: "/"}}}
	}

	t := &target{cfg: cfg, scen: sc}
	if cfg.Origin != "" {
		o, err := origin.Parse(cfg.Origin)
		if err != nil {
			return nil, fieldErrorf("origin", "%v", err)
		}
		t.origin = o
	}
	vcl, err := filepath.Abs(sc.Resolve(sc.VCL))
	if err != nil {
		return nil, fieldErrorf("program", "%v", err)
	}
	prog, note, err := loadProgram(vcl, includePaths(sc, cfg), cfg.TerraformPlan)
	if err != nil {
		return nil, err
	}
	t.prog = prog
	t.spelling = headerSpellings(prog)
	t.note = note
	jobs, err := jobsFromSteps(sc.Requests)
	if err != nil {
		return nil, err
	}
	t.jobs = jobs
	// Build one engine now so that configuration problems (a backend the
	// VCL does not declare, a bad ACL) fail the launch, not the first
	// request.
	t.newEngine = t.realEngine
	if _, err := t.newEngine(nil); err != nil {
		return nil, fmt.Errorf("launch: %v", err)
	}
	return t, nil
}

// includePaths are the scenario's include paths (resolved against it)
// followed by the launch configuration's.
func includePaths(sc *scenario.Scenario, cfg LaunchConfig) []string {
	var out []string
	for _, p := range sc.IncludePaths {
		p = sc.Resolve(p)
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		out = append(out, p)
	}
	for _, p := range cfg.IncludePaths {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		out = append(out, p)
	}
	return out
}

// loadProgram loads and checks the VCL through its workspace (the same
// one vclide run opens: .vclide.yaml, sibling files, the include paths);
// diagnostics that block running fail the launch with their text. A
// snippet file runs inside the default boilerplate; note says so.
func loadProgram(path string, include []string, terraformPlan string) (*analysis.Program, string, error) {
	ws, err := analysis.OpenWorkspace(analysis.WorkspaceSpec{
		Start:         path,
		Dirs:          []string{filepath.Dir(path)},
		IncludePaths:  include,
		TerraformPlan: terraformPlan,
	})
	if err != nil {
		return nil, "", fmt.Errorf("launch: %v", err)
	}
	prog, note, err := ws.LoadRunnable(path, nil)
	if err != nil {
		return nil, "", fieldErrorf("program", "cannot be loaded: %v", err)
	}
	if blocking := analysis.Blocking(prog); len(blocking) > 0 {
		return nil, "", compileError(blocking)
	}
	return prog, note, nil
}

// maxLaunchErrors is how many compile errors a failed launch lists; the
// rest are counted (a generated file can have hundreds of thousands, which
// made a 10 MB message, sent twice).
const maxLaunchErrors = 50

// compileError lists the first maxLaunchErrors errors and counts the rest.
func compileError(blocking []*analysis.Diagnostic) error {
	var b strings.Builder
	fmt.Fprintf(&b, "the VCL does not compile (%d error(s)):", len(blocking))
	for _, d := range blocking[:min(len(blocking), maxLaunchErrors)] {
		pos := d.File.Position(d.Range.Start)
		fmt.Fprintf(&b, "\n%s:%d:%d: %s", d.File.Name, pos.Line, pos.Col, d.Message)
	}
	if more := len(blocking) - maxLaunchErrors; more > 0 {
		fmt.Fprintf(&b, "\n… and %d more error(s) (vclide lint lists them all)", more)
	}
	return errors.New(b.String())
}

// decodeRequests decodes the inline `requests` list. Each entry is checked
// on its own so that an error names its index.
func decodeRequests(raw json.RawMessage) ([]*scenario.Step, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fieldErrorf("requests", "must be a list of requests (objects, or strings such as \"GET /path\")")
	}
	steps := make([]*scenario.Step, 0, len(items))
	for i, item := range items {
		var short string
		if json.Unmarshal(item, &short) == nil {
			method, u, ok := strings.Cut(strings.TrimSpace(short), " ")
			if !ok {
				method, u = "GET", short
			}
			obj, _ := json.Marshal(map[string]string{"method": method, "url": strings.TrimSpace(u)})
			item = obj
		}
		doc, err := json.Marshal(map[string]any{"vcl": "x.vcl", "requests": []json.RawMessage{item}})
		if err != nil {
			return nil, fieldErrorf("requests", "entry %d: %v", i+1, err)
		}
		s, err := scenario.ParseJSON("launch.json", doc)
		if err != nil {
			return nil, fieldErrorf("requests", "entry %d: %s", i+1, scenarioMessages(err))
		}
		steps = append(steps, s.Requests[0])
	}
	var last time.Duration
	for i, st := range steps {
		if st.At != nil {
			if st.At.D < last {
				return nil, fieldErrorf("requests", "entry %d: at %s goes back in time (an earlier request is at %s)", i+1, st.At.D, last)
			}
			last = st.At.D
		}
	}
	return steps, nil
}

// decodeBackends decodes the inline `backends` map, one backend at a time.
func decodeBackends(raw json.RawMessage) (map[string]*scenario.Backend, error) {
	var items map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fieldErrorf("backends", `must map backend names to {"url": …} or {"responses": […]}`)
	}
	names := make([]string, 0, len(items))
	for n := range items {
		names = append(names, n)
	}
	sort.Strings(names)
	out := map[string]*scenario.Backend{}
	for _, name := range names {
		doc, err := json.Marshal(map[string]any{
			"vcl":      "x.vcl",
			"requests": []any{map[string]any{"url": "/"}},
			"backends": map[string]json.RawMessage{name: items[name]},
		})
		if err != nil {
			return nil, fieldErrorf("backends", "%s: %v", name, err)
		}
		s, err := scenario.ParseJSON("launch.json", doc)
		if err != nil {
			return nil, fieldErrorf("backends", "%s: %s", name, scenarioMessages(err))
		}
		out[name] = s.Backends[name]
	}
	return out, nil
}

// scenarioMessages drops the positions (inside a synthesized document) from
// scenario errors.
func scenarioMessages(err error) string {
	var list scenario.ErrorList
	if errors.As(err, &list) {
		msgs := make([]string, len(list))
		for i, e := range list {
			msgs[i] = e.Msg
		}
		return strings.Join(msgs, "; ")
	}
	return err.Error()
}

// jobsFromSteps turns scenario steps into jobs; the requests of a
// concurrent step become one job each, in one group, run together.
func jobsFromSteps(steps []*scenario.Step) ([]*job, error) {
	var jobs []*job
	thread := 0
	group := 0
	add := func(at *scenario.Duration, r *scenario.Request, g int) error {
		ir, err := r.Interp()
		if err != nil {
			return fmt.Errorf("launch: request %q: %v", r.String(), err)
		}
		thread++
		j := &job{thread: thread, label: ir.Method + " " + ir.URL, req: ir, expect: r.Expect, group: g}
		if at != nil {
			d := at.D
			j.at = &d
		}
		jobs = append(jobs, j)
		return nil
	}
	for _, st := range steps {
		if st == nil {
			continue
		}
		switch st.Kind() {
		case "purge":
			j := &job{purge: st.Purge, label: "purge"}
			if st.At != nil {
				d := st.At.D
				j.at = &d
			}
			jobs = append(jobs, j)
		case "concurrent":
			group++
			for _, r := range st.Concurrent {
				if err := add(st.At, r, group); err != nil {
					return nil, err
				}
			}
		default:
			if err := add(st.At, &st.Request, 0); err != nil {
				return nil, err
			}
		}
	}
	return jobs, nil
}
