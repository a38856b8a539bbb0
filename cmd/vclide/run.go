package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/interp"
	"github.com/vclide/vclide/interp/origin"
	"github.com/vclide/vclide/interp/scenario"
)

func init() {
	register(command{"run", "run requests through the simulated POP and print each route", runRun})
}

// runFlags are the options shared by `run` and `serve`.
type runFlags struct {
	includes  stringList
	originURL string
	seed      int64
	nodes     int
	noCluster bool
	// terraformPlan is the JSON of `terraform show -json` to read the
	// Fastly service from, instead of the .tf files.
	terraformPlan string
	// snippetNote is set by buildEngine when the entry is a snippet file
	// run inside the default boilerplate.
	snippetNote string
}

func (f *runFlags) register(fl *flag.FlagSet) {
	fl.Var(&f.includes, "I", "add a directory to the include path (repeatable)")
	fl.StringVar(&f.originURL, "origin", "", `send every backend's requests to this real origin (e.g. http://127.0.0.1:3000) instead of the embedded one; "declared" sends each declared backend's requests to the host and port its VCL declaration names (opt-in: never done by default)`)
	fl.Int64Var(&f.seed, "seed", 0, "seed for the delivery node choice and random functions")
	fl.IntVar(&f.nodes, "nodes", 4, "number of cache nodes in the POP")
	fl.BoolVar(&f.noCluster, "no-clustering", false, "run every subroutine on the delivery node")
	fl.StringVar(&f.terraformPlan, "terraform-plan", "", "read the Fastly service from this `terraform show -json` output instead of the workspace's .tf files")
}

func runRun(args []string, stdout, stderr io.Writer) int {
	fl := newCmdFlags("run", `vclide run [flags] [FILE.vcl]`,
		"Run requests (-r, default \"GET /\", or a --scenario) through the VCL on a simulated POP\nand print each route. FILE.vcl may be left out when the scenario names its vcl, or with\n--terraform-plan. A .tf file (or the --terraform-plan JSON) runs the Fastly service it defines.\nExit 1 when an expectation fails, 2 on errors.", stderr)
	var rf runFlags
	rf.register(fl.FlagSet)
	var reqs, headers stringList
	fl.Var(&reqs, "r", `a request to run, "METHOD URL" or "URL" (repeatable; default "GET /")`)
	fl.Var(&headers, "H", `a request header "Name: value" for every request (repeatable)`)
	scenarioPath := fl.String("scenario", "", "run the steps of a scenario file (YAML or JSON) and check its expectations")
	asJSON := fl.Bool("json", false, "print one JSON object per request per line")
	pos, exit, ok := fl.parse(args, stdout)
	if !ok {
		return exit
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "vclide run: "+format+"\n", a...)
		return 2
	}
	if len(pos) > 1 {
		return fail("name one VCL file, not %d", len(pos))
	}
	if *scenarioPath != "" && len(reqs) > 0 {
		return fail("use either -r or --scenario, not both")
	}

	// The steps: from a scenario file, or one request per -r.
	var s *scenario.Scenario
	var err error
	if *scenarioPath != "" {
		if s, err = scenario.Load(*scenarioPath); err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
	} else {
		s = &scenario.Scenario{File: "command line"}
		if len(reqs) == 0 {
			reqs = stringList{"GET /"}
		}
		for _, r := range reqs {
			req, err := parseRequestFlag(r)
			if err != nil {
				return fail("-r %q: %v", r, err)
			}
			s.Requests = append(s.Requests, &scenario.Step{Request: *req})
		}
	}
	if err := addHeaderFlags(s, headers); err != nil {
		return fail("%v", err)
	}
	if len(pos) == 1 {
		abs, err := filepath.Abs(pos[0])
		if err != nil {
			return fail("%v", err)
		}
		s.VCL = abs
	}
	if s.VCL == "" && rf.terraformPlan != "" {
		// The plan alone names the service to run (its VCL is in the JSON).
		abs, err := filepath.Abs(rf.terraformPlan)
		if err != nil {
			return fail("%v", err)
		}
		s.VCL = abs
	}
	if s.VCL == "" {
		return fail("name a VCL file (vclide run FILE.vcl), or a scenario with a vcl key")
	}
	fl.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "seed":
			s.Seed = rf.seed
		case "nodes":
			s.Nodes = rf.nodes
		case "no-clustering":
			on := !rf.noCluster
			s.Clustering = &on
		}
	})

	eng, code := buildEngine(s, &rf, "run", stderr)
	if eng == nil {
		return code
	}
	if rf.snippetNote != "" {
		// One line; with --json, stdout holds only the JSON objects.
		if *asJSON {
			fmt.Fprintln(stderr, rf.snippetNote)
		} else {
			fmt.Fprintln(stdout, rf.snippetNote)
		}
	}
	outs, runErr := s.Run(context.Background(), eng)
	if *asJSON {
		if err := writeJSONOutcomes(stdout, outs); err != nil {
			return fail("%v", err)
		}
	} else {
		writeTextOutcomes(stdout, s, outs)
	}
	if runErr != nil {
		return fail("%v", runErr)
	}
	if !scenario.Passed(outs) {
		return 1
	}
	return 0
}

// buildEngine loads the scenario's VCL, refuses it when it has errors
// (printing them as lint does), and builds the engine. On failure it
// returns a nil engine and the exit code.
func buildEngine(s *scenario.Scenario, rf *runFlags, cmd string, stderr io.Writer) (*interp.Engine, int) {
	if rf.nodes < 1 || rf.nodes > 256 {
		fmt.Fprintf(stderr, "vclide %s: --nodes must be between 1 and 256\n", cmd)
		return nil, 2
	}
	prog, note, tfWarnings, err := loadRunProgram(s, rf.includes, rf.terraformPlan)
	rf.snippetNote = note
	// What could not be read from Terraform (a syntax error, a value that is
	// not static, a --terraform-plan that is not terraform show JSON) is left
	// out of the service: say so rather than run a different service silently.
	printDiagnostics(stderr, tfWarnings)
	if err != nil {
		fmt.Fprintf(stderr, "vclide %s: %v\n", cmd, err)
		return nil, 2
	}
	if blocking := analysis.Blocking(prog); len(blocking) > 0 {
		printDiagnostics(stderr, blocking)
		fmt.Fprintf(stderr, "vclide %s: %s has %d error(s); fix them before running it\n", cmd, s.VCL, len(blocking))
		return nil, 2
	}
	var so scenario.Options
	if rf.originURL != "" {
		h, err := origin.Parse(rf.originURL)
		if err != nil {
			fmt.Fprintf(stderr, "vclide %s: --origin: %v\n", cmd, err)
			return nil, 2
		}
		so.Origin = h
	}
	eng, err := s.Engine(prog, so)
	if err != nil {
		fmt.Fprintf(stderr, "vclide %s: %v\n", cmd, err)
		return nil, 2
	}
	return eng, 0
}

// loadRunProgram loads the scenario's VCL through its workspace, with the
// scenario's include paths first, then the -I ones, then the configured.
// A snippet file runs inside the default boilerplate; note says so.
// tfWarnings are the workspace's Terraform warnings.
func loadRunProgram(s *scenario.Scenario, flagIncludes []string, terraformPlan string) (prog *analysis.Program, note string, tfWarnings []*analysis.Diagnostic, err error) {
	entry := s.Resolve(s.VCL)
	var inc []string
	for _, p := range s.IncludePaths {
		inc = append(inc, s.Resolve(p))
	}
	ws, err := runWorkspace(entry, append(inc, absPaths(flagIncludes)...), terraformPlan)
	if err != nil {
		return nil, "", nil, err
	}
	prog, note, err = ws.LoadRunnable(entry, nil)
	return prog, note, ws.TerraformDiagnostics(nil), err
}

// parseRequestFlag reads -r "METHOD URL" or -r "URL".
func parseRequestFlag(v string) (*scenario.Request, error) {
	f := strings.Fields(v)
	var r scenario.Request
	switch len(f) {
	case 1:
		r.Method, r.URL = "GET", f[0]
	case 2:
		r.Method, r.URL = strings.ToUpper(f[0]), f[1]
	default:
		return nil, fmt.Errorf(`want "METHOD URL" or "URL"`)
	}
	if _, err := r.Interp(); err != nil {
		return nil, err
	}
	return &r, nil
}

// addHeaderFlags adds each -H "Name: value" to every request of s that does
// not set that header itself.
func addHeaderFlags(s *scenario.Scenario, headers []string) error {
	if len(headers) == 0 {
		return nil
	}
	add := func(r *scenario.Request, name, value string) {
		for k := range r.Headers {
			if strings.EqualFold(k, name) {
				return
			}
		}
		if r.Headers == nil {
			r.Headers = scenario.Headers{}
		}
		r.Headers[name] = []string{value}
	}
	for _, h := range headers {
		name, value, ok := strings.Cut(h, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || strings.ContainsAny(name, " \t") {
			return fmt.Errorf(`-H %q: want "Name: value"`, h)
		}
		for _, st := range s.Requests {
			switch {
			case st == nil || st.Purge != nil:
			case st.Concurrent != nil:
				for _, r := range st.Concurrent {
					add(r, name, value)
				}
			default:
				add(&st.Request, name, value)
			}
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// JSON output

type jsonRunRequest struct {
	Method  string              `json:"method"`
	URL     string              `json:"url"`
	Headers map[string][]string `json:"headers"`
}

type jsonRunResponse struct {
	Status  int                 `json:"status"`
	Reason  string              `json:"reason"`
	Headers map[string][]string `json:"headers"`
	Body    string              `json:"body"`
}

type jsonRouteStep struct {
	Sub    string `json:"sub"`
	Node   string `json:"node"`
	Return string `json:"return"`
}

type jsonBackendCall struct {
	Backend string `json:"backend"`
	Method  string `json:"method"`
	URL     string `json:"url"`
	Status  int    `json:"status"`
	Error   string `json:"error,omitempty"`
}

// jsonRunOutcome is one line of `vclide run --json`.
type jsonRunOutcome struct {
	Request         jsonRunRequest        `json:"request"`
	Response        jsonRunResponse       `json:"response"`
	State           string                `json:"state"`
	Restarts        int                   `json:"restarts"`
	Route           []jsonRouteStep       `json:"route"`
	Logs            []string              `json:"logs"`
	BackendRequests []jsonBackendCall     `json:"backend_requests"`
	Cache           []interp.CacheEvent   `json:"cache"`
	Cluster         []interp.ClusterEvent `json:"cluster"`
	Notes           []string              `json:"notes"`
	Background      []jsonBackground      `json:"background_requests"`
	ESI             []jsonESI             `json:"esi_requests"`
	Expect          *scenario.Verdict     `json:"expect,omitempty"`
}

// jsonESI is one <esi:include> subrequest (nested ones under it).
type jsonESI struct {
	Src             string              `json:"src"`
	Level           int                 `json:"level"`
	URL             string              `json:"url,omitempty"`
	State           string              `json:"state,omitempty"`
	Status          int                 `json:"status,omitempty"`
	Route           []jsonRouteStep     `json:"route"`
	Cache           []interp.CacheEvent `json:"cache"`
	BackendRequests []jsonBackendCall   `json:"backend_requests"`
	Logs            []string            `json:"logs"`
	Skipped         string              `json:"skipped,omitempty"`
	Error           string              `json:"error,omitempty"`
	ESI             []jsonESI           `json:"esi_requests"`
}

func jsonESIs(incs []*interp.ESIInclude) []jsonESI {
	out := []jsonESI{}
	for _, inc := range incs {
		j := jsonESI{Src: inc.Src, Level: inc.Level, Skipped: inc.Skipped, Route: []jsonRouteStep{}, Cache: []interp.CacheEvent{},
			BackendRequests: []jsonBackendCall{}, Logs: []string{}, ESI: []jsonESI{}}
		if r := inc.Result; r != nil {
			j.URL, j.State, j.Status = r.Request.URL, r.State, r.Response.Status
			j.Route, j.BackendRequests = jsonRoute(r.Route), jsonBackendCalls(r.BackendRequests)
			j.Cache = append(j.Cache, r.Cache...)
			j.Logs = append(j.Logs, r.Logs...)
			j.ESI = jsonESIs(r.ESI)
			if r.Err != nil {
				j.Error = r.Err.Error()
			}
		}
		out = append(out, j)
	}
	return out
}

// jsonBackground is one background fetch the request started (a
// stale-while-revalidate hit starts one).
type jsonBackground struct {
	Label           string              `json:"label"`
	Method          string              `json:"method"`
	URL             string              `json:"url"`
	Node            string              `json:"node"`
	Route           []jsonRouteStep     `json:"route"`
	Cache           []interp.CacheEvent `json:"cache"`
	BackendRequests []jsonBackendCall   `json:"backend_requests"`
	Logs            []string            `json:"logs"`
	Error           string              `json:"error,omitempty"`
}

func headerMap(h http.Header) map[string][]string {
	out := map[string][]string{}
	for k, v := range h {
		out[k] = append([]string{}, v...)
	}
	return out
}

// writeJSONOutcomes prints one JSON object per request (purges are not
// requests and are left out).
func writeJSONOutcomes(w io.Writer, outs []scenario.Outcome) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, o := range outs {
		if o.Result == nil {
			continue
		}
		res := o.Result
		req, _ := o.Request.Interp()
		line := jsonRunOutcome{
			Request:    jsonRunRequest{Method: req.Method, URL: o.Request.URL, Headers: headerMap(req.Header)},
			Response:   jsonRunResponse{Status: res.Response.Status, Reason: reasonPhrase(res.Response), Headers: headerMap(res.Response.Header), Body: string(res.Response.Body)},
			State:      res.State,
			Restarts:   res.Restarts,
			Logs:       append([]string{}, res.Logs...),
			Cache:      append([]interp.CacheEvent{}, res.Cache...),
			Cluster:    append([]interp.ClusterEvent{}, res.Cluster...),
			Notes:      append([]string{}, res.Notes...),
			Background: []jsonBackground{},
			ESI:        jsonESIs(res.ESI),
			Expect:     o.Expect,
		}
		for _, b := range res.Background {
			jb := jsonBackground{
				Label: b.Label(), Method: b.Method, URL: b.URL, Node: b.Node,
				Route: jsonRoute(b.Route), Cache: append([]interp.CacheEvent{}, b.Cache...),
				BackendRequests: jsonBackendCalls(b.BackendRequests), Logs: append([]string{}, b.Logs...),
			}
			if b.Err != nil {
				jb.Error = b.Err.Error()
			}
			line.Background = append(line.Background, jb)
		}
		line.Route = jsonRoute(res.Route)
		line.BackendRequests = jsonBackendCalls(res.BackendRequests)
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	return nil
}

func jsonRoute(route []interp.RouteStep) []jsonRouteStep {
	out := []jsonRouteStep{}
	for _, r := range route {
		out = append(out, jsonRouteStep{Sub: r.Sub, Node: r.Node, Return: r.Return})
	}
	return out
}

func jsonBackendCalls(calls []interp.BackendCall) []jsonBackendCall {
	out := []jsonBackendCall{}
	for _, b := range calls {
		out = append(out, jsonBackendCall{Backend: b.Backend, Method: b.Method, URL: b.URL, Status: b.Status, Error: b.Error})
	}
	return out
}

// ---------------------------------------------------------------------------
// Text output

// bodyPreview is how much of a response body the text output shows.
const bodyPreview = 200

// writeTextOutcomes prints each step: the request, where it went, what it
// did to the cache and backends, and the response, with expectations.
func writeTextOutcomes(w io.Writer, s *scenario.Scenario, outs []scenario.Outcome) {
	start := s.Start()
	checks, failed := 0, 0
	for i, o := range outs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		at := ""
		if d := o.At.Sub(start); d != 0 {
			at = "  (at +" + d.String() + ")"
		}
		if o.Purge != nil {
			target := o.Purge.URL
			if o.Purge.SurrogateKey != "" {
				target = "surrogate key " + o.Purge.SurrogateKey
			}
			kind := "PURGE"
			if o.Purge.Soft {
				kind = "SOFT PURGE"
			}
			fmt.Fprintf(w, "== %s %s%s: %d object(s)\n", kind, target, at, o.Purged)
			continue
		}
		group := ""
		if o.Group > 1 {
			group = fmt.Sprintf("  [concurrent %d/%d]", o.Index+1, o.Group)
		}
		method := o.Request.Method
		if method == "" {
			method = "GET"
		}
		fmt.Fprintf(w, "== %s %s%s%s\n", method, o.Request.URL, group, at)
		writeResult(w, o.Result)
		if v := o.Expect; v != nil {
			fmt.Fprintln(w, "  expect:")
			for _, c := range v.Checks {
				checks++
				if c.OK {
					fmt.Fprintf(w, "    ✓ %s\n", c.What)
				} else {
					failed++
					fmt.Fprintf(w, "    ✗ %s: %s\n", c.What, c.Reason)
				}
			}
		}
	}
	if checks > 0 {
		fmt.Fprintln(w)
		if failed == 0 {
			fmt.Fprintf(w, "✓ all %d expectation(s) passed\n", checks)
		} else {
			fmt.Fprintf(w, "✗ %d of %d expectation(s) failed\n", failed, checks)
		}
	}
}

func writeResult(w io.Writer, res *interp.Result) {
	fmt.Fprintln(w, "  route:")
	writeRoute(w, "    ", res.Route)
	for _, b := range res.Background {
		fmt.Fprintf(w, "    %s (after the response):\n", b.Label())
		writeRoute(w, "      ", b.Route)
	}
	if len(res.ESI) > 0 {
		fmt.Fprintln(w, "  esi:")
		writeESI(w, "    ", res.ESI)
	}
	if len(res.Cluster) > 0 {
		fmt.Fprintln(w, "  cluster:")
		for _, c := range res.Cluster {
			var line string
			if c.Kind == "off" {
				line = "clustering off"
				if c.Reason != "" {
					line = c.Reason
					if !strings.HasPrefix(strings.ToLower(c.Reason), "clustering") {
						line = "clustering off: " + c.Reason
					}
				}
			} else {
				line = fmt.Sprintf("%s %s → %s", c.Kind, c.From, c.To)
				if c.Reason != "" {
					line += " (" + c.Reason + ")"
				}
			}
			if len(c.Lost) > 0 {
				line += "; dropped " + strings.Join(c.Lost, ", ")
			}
			fmt.Fprintln(w, "    "+line)
		}
	}
	if len(res.Cache) > 0 || len(res.Background) > 0 {
		fmt.Fprintln(w, "  cache:")
		writeCacheEvents(w, "    ", res.Cache)
		for _, b := range res.Background {
			fmt.Fprintf(w, "    %s:\n", b.Label())
			writeCacheEvents(w, "      ", b.Cache)
		}
	}
	for _, n := range res.Notes {
		fmt.Fprintln(w, "  note: "+printable(n))
	}
	if len(res.BackendRequests) > 0 || len(res.Background) > 0 {
		fmt.Fprintln(w, "  backend:")
		writeBackendCalls(w, "    ", res.BackendRequests)
		for _, b := range res.Background {
			fmt.Fprintf(w, "    %s:\n", b.Label())
			writeBackendCalls(w, "      ", b.BackendRequests)
		}
	}
	if len(res.Logs) > 0 {
		fmt.Fprintln(w, "  log:")
		for _, l := range res.Logs {
			fmt.Fprintln(w, "    "+printable(l))
		}
	}
	for _, b := range res.Background {
		if b.Err != nil {
			fmt.Fprintf(w, "  %s error: %v\n", b.Label(), b.Err)
		}
		if len(b.Logs) > 0 {
			fmt.Fprintf(w, "  log (%s):\n", b.Label())
			for _, l := range b.Logs {
				fmt.Fprintln(w, "    "+printable(l))
			}
		}
	}
	fmt.Fprintf(w, "  restarts: %d\n", res.Restarts)
	fmt.Fprintf(w, "  state: %s\n", res.State)
	if res.Err != nil {
		fmt.Fprintf(w, "  error: %v\n", res.Err)
	}
	resp := res.Response
	fmt.Fprintf(w, "  response: %d %s\n", resp.Status, printable(reasonPhrase(resp)))
	names := make([]string, 0, len(resp.Header))
	for k := range resp.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range resp.Header[k] {
			fmt.Fprintf(w, "    %s: %s\n", k, printable(v))
		}
	}
	writeBody(w, resp.Body)
}

// reasonPhrase is the reason phrase the client gets: the one the VCL set,
// else the standard one for the status.
func reasonPhrase(r interp.Response) string {
	if r.Reason != "" {
		return r.Reason
	}
	return http.StatusText(r.Status)
}

// writeESI prints the ESI subrequests of a response, nested ones indented
// under the include that made them.
func writeESI(w io.Writer, indent string, incs []*interp.ESIInclude) {
	for _, inc := range incs {
		if inc.Result == nil {
			fmt.Fprintf(w, "%s<esi:include src=%s> (level %d) not made: %s\n", indent, strconv.Quote(inc.Src), inc.Level, inc.Skipped)
			continue
		}
		r := inc.Result
		subs := make([]string, len(r.Route))
		for i, s := range r.Route {
			subs[i] = strings.TrimPrefix(s.Sub, "vcl_")
		}
		fmt.Fprintf(w, "%s%s (level %d): %s %d, route %s\n", indent, inc.Label(), inc.Level, r.State, r.Response.Status, strings.Join(subs, " → "))
		writeBackendCalls(w, indent+"  backend ", r.BackendRequests)
		if r.Err != nil {
			fmt.Fprintf(w, "%s  error: %v\n", indent, r.Err)
		}
		writeESI(w, indent+"  ", r.ESI)
	}
}

// writeRoute prints route steps, one per line, aligned.
func writeRoute(w io.Writer, indent string, route []interp.RouteStep) {
	subW, nodeW, idW := 0, 0, 0
	for _, r := range route {
		subW, nodeW, idW = max(subW, len(r.Sub)), max(nodeW, len(r.Node)), max(idW, len(r.NodeID))
	}
	for _, r := range route {
		line := fmt.Sprintf("%s%-*s  %-*s  %-*s", indent, subW, r.Sub, nodeW, r.Node, idW, r.NodeID)
		if r.Return != "" {
			line += "  → " + r.Return
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
}

// writeCacheEvents prints cache events, one per line.
func writeCacheEvents(w io.Writer, indent string, events []interp.CacheEvent) {
	for _, c := range events {
		line := fmt.Sprintf("%s%s on %s, key %s", indent, c.Kind, c.Node, strconv.Quote(c.Key))
		if c.Detail != "" {
			line += " (" + c.Detail + ")"
		}
		fmt.Fprintln(w, line)
	}
}

// writeBackendCalls prints backend requests and their outcome.
func writeBackendCalls(w io.Writer, indent string, calls []interp.BackendCall) {
	for _, b := range calls {
		outcome := strconv.Itoa(b.Status)
		if b.Status == 0 || b.Error != "" {
			outcome = "failed"
			if b.Error != "" {
				outcome += ": " + b.Error
			}
		}
		fmt.Fprintf(w, "%s%s %s %s → %s\n", indent, b.Backend, b.Method, b.URL, outcome)
	}
}

// writeBody prints up to bodyPreview bytes of body, indented.
func writeBody(w io.Writer, body []byte) {
	if len(body) == 0 {
		fmt.Fprintln(w, "  body: (empty)")
		return
	}
	fmt.Fprintf(w, "  body: (%d bytes)\n", len(body))
	shown := body
	if len(shown) > bodyPreview {
		n := bodyPreview
		for n > 0 && !utf8.RuneStart(shown[n]) {
			n--
		}
		shown = shown[:n]
	}
	text := strings.TrimRight(string(shown), "\n")
	for _, l := range strings.Split(text, "\n") {
		fmt.Fprintln(w, "    "+printable(l))
	}
	if rest := len(body) - len(shown); rest > 0 {
		fmt.Fprintf(w, "    … (%d more bytes)\n", rest)
	}
}

// printable escapes control characters and invalid UTF-8 so that output
// stays on its line and the terminal is not disturbed.
func printable(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t':
			b.WriteString("    ")
		case r < ' ' || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
