package scenario

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/cache"
	"github.com/vclide/vclide/interp"
	"github.com/vclide/vclide/interp/origin"
)

// Engine is what Run needs from the interpreter (*interp.Engine has it).
type Engine interface {
	Do(ctx context.Context, req interp.Request) *interp.Result
	DoConcurrent(ctx context.Context, reqs []interp.Request) []*interp.Result
	Clock() *cache.VirtualClock
	// Purge purges the object a URL hashes to (soft: mark it stale) and
	// returns how many objects it touched.
	Purge(url string, soft bool) int
	// PurgeSurrogateKey purges every object tagged with key.
	PurgeSurrogateKey(key string, soft bool) int
}

// Options adjust how a scenario becomes an engine configuration.
type Options struct {
	// Origin, when set, answers for every backend the scenario does not
	// give its own responses or URL (it takes precedence over a "*"
	// backend in the file).
	Origin interp.Origin
	// Hooks observe execution.
	Hooks interp.Hooks
}

// Program loads and checks the scenario's VCL with base's options; the
// scenario's include_paths come before base.IncludePaths. The caller decides
// what to do with error diagnostics.
func (s *Scenario) Program(base analysis.Options) (*analysis.Program, error) {
	if s.VCL == "" {
		return nil, fmt.Errorf("%s: the scenario names no vcl file", s.File)
	}
	var inc []string
	for _, p := range s.IncludePaths {
		inc = append(inc, s.Resolve(p))
	}
	base.IncludePaths = append(inc, base.IncludePaths...)
	return analysis.Load(s.Resolve(s.VCL), base)
}

// Config builds the engine configuration: POP shape, seed, clock and one
// origin per backend (a real HTTP origin for `url`, a Mock for
// `responses`), with the embedded origin for the rest. When prog is not nil
// the backend names are checked against the backends it declares.
func (s *Scenario) Config(prog *analysis.Program, o Options) (interp.Config, error) {
	d := &decoder{file: s.File}
	cfg := interp.Config{
		Program:  prog,
		Nodes:    s.Nodes,
		Seed:     s.Seed,
		Clock:    cache.NewVirtualClock(s.Start()),
		Backends: map[string]interp.Origin{},
		Fallback: origin.Embedded{},
		Hooks:    o.Hooks,
	}
	if cfg.Nodes == 0 {
		cfg.Nodes = 4
	}
	if s.Clustering != nil && !*s.Clustering {
		cfg.DisableClustering = true
	}
	if k := s.KeepExpired; k != nil {
		cfg.KeepExpired = k.D
		if k.D == 0 {
			cfg.KeepExpired = -1 // interp: negative keeps nothing
		}
	}
	known := knownBackends(prog)
	for _, name := range s.sortedBackends() {
		b := s.Backends[name]
		if b == nil {
			continue
		}
		if name != FallbackBackend && known != nil && !known.has(name) {
			d.errorAt(b.Pos, "%s", known.unknown(name))
			continue
		}
		if b.URL == origin.DeclaredSpec && name != FallbackBackend && known != nil && !known.declared[name] {
			d.errorAt(b.Pos.Key("url"), "backend %q: url: declared needs a backend declared in the VCL with a .host; %s is a service backend (the Fastly service defines it), so give it a url or responses", name, name)
			continue
		}
		og, err := b.origin()
		if err != nil {
			d.errorAt(b.Pos, "backend %q: %v", name, err)
			continue
		}
		if name == FallbackBackend {
			cfg.Fallback = og
		} else {
			cfg.Backends[name] = og
		}
	}
	if o.Origin != nil {
		cfg.Fallback = o.Origin
	}
	if err := d.err(); err != nil {
		return interp.Config{}, err
	}
	return cfg, nil
}

// backendSet is what a scenario may name under backends: the backends the
// VCL declares and the service backends (listed under
// declarations.backends, or referenced without a declaration; the implicit
// F_default when the VCL names no backend at all).
type backendSet struct {
	declared map[string]bool
	service  []string
}

// knownBackends collects the backend names of prog (nil: no program).
func knownBackends(prog *analysis.Program) *backendSet {
	if prog == nil {
		return nil
	}
	k := &backendSet{declared: map[string]bool{}}
	var listed []string
	for name, sym := range prog.Globals {
		if sym.Kind != analysis.SymBackend {
			continue
		}
		if sym.Decl != nil {
			k.declared[name] = true
		} else {
			listed = append(listed, name)
		}
	}
	sort.Strings(listed)
	k.service = append(k.service, listed...)
	for _, name := range interp.ReferencedBackends(prog) {
		if !k.declared[name] && !slices.Contains(k.service, name) && prog.Globals[name] == nil {
			k.service = append(k.service, name)
		}
	}
	if len(k.declared) == 0 && len(k.service) == 0 {
		k.service = []string{interp.ImplicitDefaultBackend}
	}
	return k
}

func (k *backendSet) has(name string) bool {
	return k.declared[name] || slices.Contains(k.service, name)
}

// unknown explains why name cannot be configured, with the names that can.
func (k *backendSet) unknown(name string) string {
	all := append(sortedKeys(k.declared), k.service...)
	msg := fmt.Sprintf("backend %q is not used by the VCL (declared: %s; service backends: %s)",
		name, strings.Join(namesOrNone(sortedKeys(k.declared)), ", "), strings.Join(namesOrNone(k.service), ", "))
	if near := suggest(name, all); near != "" {
		msg += fmt.Sprintf("; did you mean %q?", near)
	}
	return msg + fmt.Sprintf("; use %q for every backend", FallbackBackend)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func namesOrNone(s []string) []string {
	if len(s) == 0 {
		return []string{"none"}
	}
	return s
}

// origin builds the backend's origin.
func (b *Backend) origin() (interp.Origin, error) {
	if b.URL != "" {
		return origin.Parse(b.URL)
	}
	rules := make([]origin.Rule, 0, len(b.Responses))
	for _, r := range b.Responses {
		if r == nil {
			continue
		}
		rule := origin.Rule{Path: r.Path, Method: r.Method, Response: r.Reply.response()}
		for _, q := range r.Sequence {
			if q != nil {
				rule.Sequence = append(rule.Sequence, q.response())
			}
		}
		rules = append(rules, rule)
	}
	return origin.NewMock(rules)
}

func (r *Reply) response() origin.Response {
	return origin.Response{
		Status: r.Status,
		Header: r.Headers.HTTP(),
		Body:   []byte(r.Body),
		Delay:  r.Delay.D,
		Fail:   r.Fail,
	}
}

// HTTP converts the headers to an http.Header (names canonicalized).
func (h Headers) HTTP() http.Header {
	out := http.Header{}
	for name, vals := range h {
		for _, v := range vals {
			out.Add(name, v)
		}
	}
	return out
}

// splitURL validates a request URL and returns its path and query, the host
// of an absolute URL and whether it was https.
func splitURL(raw string) (path, host string, tls bool, err error) {
	for _, c := range []byte(raw) {
		if c <= ' ' || c == 0x7f {
			return "", "", false, fmt.Errorf("url %q must not contain spaces or control characters", raw)
		}
	}
	switch {
	case strings.HasPrefix(raw, "/"):
		return raw, "", false, nil
	case strings.HasPrefix(raw, "http://"), strings.HasPrefix(raw, "https://"):
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return "", "", false, fmt.Errorf("url %q is not a valid absolute URL", raw)
		}
		u.Fragment = ""
		return u.RequestURI(), u.Host, u.Scheme == "https", nil
	}
	return "", "", false, fmt.Errorf("url %q must start with / or http(s)://", raw)
}

// Interp converts the request for the engine.
func (r *Request) Interp() (interp.Request, error) {
	path, host, tls, err := splitURL(r.URL)
	if err != nil {
		return interp.Request{}, err
	}
	out := interp.Request{Method: r.Method, URL: path, Header: r.Headers.HTTP(), TLS: tls}
	if out.Method == "" {
		out.Method = http.MethodGet
	}
	if host != "" && out.Header.Get("Host") == "" {
		out.Header.Set("Host", host)
	}
	if r.Body != "" {
		out.Body = []byte(r.Body)
	}
	if r.ClientIP != "" {
		ip, err := netip.ParseAddr(r.ClientIP)
		if err != nil {
			return interp.Request{}, fmt.Errorf("client_ip %q is not an IP address", r.ClientIP)
		}
		out.ClientIP = ip
	}
	return out, nil
}

// Outcome is what happened at one step: a request's result and verdict, or
// a purge.
type Outcome struct {
	Step  int       // index in Scenario.Requests
	Index int       // position within a concurrent step (0 otherwise)
	Group int       // number of requests in the step (1 unless concurrent)
	At    time.Time // virtual time the step started
	// Request and Result are set for requests.
	Request *Request
	Result  *interp.Result
	// Expect is the verdict on the request's expectations (nil: none).
	Expect *Verdict
	// Purge is set for purge steps, with the number of objects purged.
	Purge  *Purge
	Purged int
}

// Passed reports whether every outcome met its expectations.
func Passed(outs []Outcome) bool {
	for _, o := range outs {
		if o.Expect != nil && !o.Expect.Passed {
			return false
		}
	}
	return true
}

// Run runs the steps in order on eng, moving its virtual clock to the
// scenario's start plus each step's `at` (never backwards), and checks each
// response against its expectations. It stops early only when ctx is done
// or a step cannot be run at all.
func (s *Scenario) Run(ctx context.Context, eng Engine) ([]Outcome, error) {
	clock := eng.Clock()
	start := s.Start()
	if clock.Now().Before(start) {
		clock.Set(start)
	}
	var outs []Outcome
	for i, st := range s.Requests {
		if st == nil {
			continue
		}
		if err := ctx.Err(); err != nil {
			return outs, err
		}
		if st.At != nil {
			if t := start.Add(st.At.D); t.After(clock.Now()) {
				clock.Set(t)
			}
		}
		at := clock.Now()
		switch st.Kind() {
		case "purge":
			p := st.Purge
			var n int
			if p.SurrogateKey != "" {
				n = eng.PurgeSurrogateKey(p.SurrogateKey, p.Soft)
			} else {
				n = eng.Purge(p.URL, p.Soft)
			}
			outs = append(outs, Outcome{Step: i, Group: 1, At: at, Purge: p, Purged: n})
		case "concurrent":
			reqs := make([]interp.Request, len(st.Concurrent))
			for j, r := range st.Concurrent {
				ir, err := r.Interp()
				if err != nil {
					return outs, fmt.Errorf("step %d, request %d: %w", i+1, j+1, err)
				}
				reqs[j] = ir
			}
			results := eng.DoConcurrent(ctx, reqs)
			if len(results) != len(reqs) {
				return outs, fmt.Errorf("step %d: the engine returned %d results for %d requests", i+1, len(results), len(reqs))
			}
			for j, res := range results {
				r := st.Concurrent[j]
				outs = append(outs, Outcome{Step: i, Index: j, Group: len(reqs), At: at, Request: r, Result: res, Expect: Verify(r.Expect, res)})
			}
		default:
			ir, err := st.Request.Interp()
			if err != nil {
				return outs, fmt.Errorf("step %d: %w", i+1, err)
			}
			res := eng.Do(ctx, ir)
			outs = append(outs, Outcome{Step: i, Group: 1, At: at, Request: &st.Request, Result: res, Expect: Verify(st.Expect, res)})
		}
	}
	return outs, nil
}
