// Package scenario reads scenario files (YAML or JSON) that describe a run
// of the simulator: which VCL, how the POP is set up, what the backends
// answer, which requests arrive when, and what each response should look
// like. It builds the interpreter's configuration from them, runs the steps
// against an engine and checks the expectations.
//
// A small scenario:
//
//	vcl: main.vcl
//	clock: 2024-05-01T10:00:00Z
//	backends:
//	  F_origin:
//	    responses:
//	      - path: /api/**
//	        headers: {Cache-Control: "max-age=60"}
//	        body: '{"ok":true}'
//	requests:
//	  - url: /api/users
//	    expect: {status: 200, state: MISS-CLUSTER}
//	  - url: /api/users
//	    at: 10s
//	    expect: {state: HIT}
//
// Decoding is strict: unknown keys, wrong types and invalid values are
// errors, and every error names the file, line and column it is about.
package scenario

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/cache"
	"github.com/vclide/vclide/interp/origin"
)

// Scenario is one decoded scenario file. Field tags give the key names used
// in the file; schema/scenario.schema.json describes the same format.
type Scenario struct {
	// VCL is the entry file, relative to the scenario file.
	VCL string `yaml:"vcl"`
	// IncludePaths are searched for `include` (relative to the scenario).
	IncludePaths []string `yaml:"include_paths"`
	// Clustering enables the delivery/fetch node split (default true).
	Clustering *bool `yaml:"clustering"`
	// Nodes is the number of cache nodes (default 4).
	Nodes int `yaml:"nodes"`
	// Seed drives node choice and random functions.
	Seed int64 `yaml:"seed"`
	// Clock is the virtual start time (RFC 3339; default cache.Epoch).
	Clock Time `yaml:"clock"`
	// KeepExpired is how long an expired object with ETag or Last-Modified
	// stays cached after its stale windows, to be revalidated (default
	// interp.DefaultKeepExpired; 0 keeps nothing). Fastly leaves this to
	// cache eviction.
	KeepExpired *Duration `yaml:"keep_expired"`
	// Backends maps a backend name to what answers for it. The name "*"
	// stands for every backend without an entry of its own.
	Backends map[string]*Backend `yaml:"backends"`
	// Requests are the steps, run in order.
	Requests []*Step `yaml:"requests"`

	// File is where the scenario was read from (the name given to Parse).
	File string `yaml:"-"`
	// Pos locates the top-level mapping and its keys.
	Pos Pos `yaml:"-"`
}

// FallbackBackend is the backend name that stands for every backend the
// scenario does not name.
const FallbackBackend = "*"

// Backend is either a real origin (URL) or scripted responses.
type Backend struct {
	// URL of a real HTTP origin, e.g. http://127.0.0.1:3000.
	URL string `yaml:"url"`
	// Responses are mock rules; the first that matches answers.
	Responses []*Rule `yaml:"responses"`
	Pos       Pos     `yaml:"-"`
}

// Reply is one scripted backend answer.
type Reply struct {
	Status  int      `yaml:"status"`
	Headers Headers  `yaml:"headers"`
	Body    string   `yaml:"body"`
	Delay   Duration `yaml:"delay"`
	// Fail makes the request fail: "connect" or "timeout".
	Fail string `yaml:"fail"`
	Pos  Pos    `yaml:"-"`
}

// Rule is a mock rule: which requests it answers and how.
type Rule struct {
	// Path is a glob over the request path (`*`, `**`, `?`); empty: all.
	Path string `yaml:"path"`
	// Method restricts the rule to one method.
	Method string `yaml:"method"`
	Reply  `yaml:",inline"`
	// Sequence answers successive matching requests in order, the last
	// one repeating.
	Sequence []*Reply `yaml:"sequence"`
}

// Request is one client request and what its response should be.
type Request struct {
	Method string `yaml:"method"` // default GET
	// URL is a path and query ("/a?b=1"), or an absolute http(s) URL whose
	// host becomes the Host header.
	URL      string  `yaml:"url"`
	Headers  Headers `yaml:"headers"`
	Body     string  `yaml:"body"`
	ClientIP string  `yaml:"client_ip"`
	Expect   *Expect `yaml:"expect"`
	Pos      Pos     `yaml:"-"`
}

// Step is one entry of `requests`: a single request, several concurrent
// ones, or a purge.
type Step struct {
	Request `yaml:",inline"`
	// At is the step's offset from the clock's start time.
	At *Duration `yaml:"at"`
	// Concurrent requests arrive together (instead of a single request).
	Concurrent []*Request `yaml:"concurrent"`
	// Purge removes or marks stale cached objects.
	Purge *Purge `yaml:"purge"`
}

// Purge is a purge step: by URL or by surrogate key.
type Purge struct {
	URL          string `yaml:"url"`
	SurrogateKey string `yaml:"surrogate_key"`
	Soft         bool   `yaml:"soft"`
	Pos          Pos    `yaml:"-"`
}

// Expect lists what a response must look like; unset fields are not checked.
type Expect struct {
	Status int `yaml:"status"`
	// Reason is the exact reason phrase of the status line ("Cheers!").
	Reason string `yaml:"reason"`
	// Headers maps a header name to its expected value (all values joined
	// with ", "), or to null when the header must be absent.
	Headers map[string]*string `yaml:"headers"`
	// Body must contain this substring.
	Body *string `yaml:"body"`
	// State is the exact final fastly_info.state.
	State string `yaml:"state"`
	// Route is the exact sequence of subroutines run.
	Route []string `yaml:"route"`
	// Logs must each be a substring of some log line.
	Logs []string `yaml:"logs"`
	Pos  Pos      `yaml:"-"`
}

// Kind says what a step does.
func (s *Step) Kind() string {
	switch {
	case s.Purge != nil:
		return "purge"
	case s.Concurrent != nil:
		return "concurrent"
	}
	return "request"
}

// Load reads and decodes a scenario file.
func Load(path string) (*Scenario, error) {
	// Devices, FIFOs and files over the size cap are refused unread.
	data, err := analysis.ReadFileLimited(path, 0)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse decodes a scenario from data; name is used in error messages and to
// resolve relative paths.
func Parse(name string, data []byte) (*Scenario, error) {
	s := &Scenario{}
	d := &decoder{file: name}
	// Values are checked even when some failed to decode, so that one run
	// reports every problem; a failed value is zero and err keeps only the
	// first message for each position.
	if d.run(data, s) {
		s.File = name
		d.validate(s)
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	return s, nil
}

// Dir is the directory relative paths in the scenario start from.
func (s *Scenario) Dir() string {
	if s.File == "" {
		return "."
	}
	return filepath.Dir(s.File)
}

// Resolve makes a scenario-relative path usable from the working directory.
func (s *Scenario) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(s.Dir(), p)
}

// Start is the virtual time the scenario starts at.
func (s *Scenario) Start() time.Time {
	if s.Clock.IsZero() {
		return cache.Epoch
	}
	return s.Clock.Time
}

// sortedBackends returns the backend names in order.
func (s *Scenario) sortedBackends() []string {
	names := make([]string, 0, len(s.Backends))
	for n := range s.Backends {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// validate checks the decoded scenario's values and their combinations.
func (d *decoder) validate(s *Scenario) {
	if s.Nodes < 0 || s.Nodes > 256 {
		d.errorAt(s.Pos.Key("nodes"), "nodes must be between 1 and 256")
	}
	for _, name := range s.sortedBackends() {
		b := s.Backends[name]
		at := s.Pos.Key("backends")
		if b == nil {
			d.errorAt(at, "backend %q: give a url or responses", name)
			continue
		}
		switch {
		case b.URL != "" && b.Responses != nil:
			d.errorAt(b.Pos, "backend %q: give either url or responses, not both", name)
		case b.URL == "" && b.Responses == nil:
			d.errorAt(b.Pos, "backend %q: give a url or responses", name)
		case b.URL != "" && b.URL != origin.DeclaredSpec && !strings.HasPrefix(b.URL, "http://") && !strings.HasPrefix(b.URL, "https://"):
			d.errorAt(b.Pos.Key("url"), "backend %q: url must start with http:// or https://, or be %q (the host the VCL declares)", name, origin.DeclaredSpec)
		}
		for _, r := range b.Responses {
			if r == nil {
				d.errorAt(b.Pos.Key("responses"), "backend %q: empty response rule", name)
				continue
			}
			d.checkReply(&r.Reply)
			if r.Sequence != nil {
				if len(r.Sequence) == 0 {
					d.errorAt(r.Pos.Key("sequence"), "sequence must not be empty")
				}
				for _, key := range []string{"status", "headers", "body", "delay", "fail"} {
					if r.Pos.Has(key) {
						d.errorAt(r.Pos.Key(key), "%s belongs inside each sequence entry when sequence is used", key)
					}
				}
				for _, q := range r.Sequence {
					if q == nil {
						d.errorAt(r.Pos.Key("sequence"), "empty sequence entry")
						continue
					}
					d.checkReply(q)
				}
			}
			if r.Method != "" && !isToken(r.Method) {
				d.errorAt(r.Pos.Key("method"), "invalid method %q", r.Method)
			}
		}
	}
	if s.Requests == nil {
		d.errorAt(s.Pos, "no requests: add a `requests` list")
	}
	var last time.Duration
	for i, st := range s.Requests {
		if st == nil {
			d.errorAt(s.Pos.Key("requests"), "request %d is empty", i+1)
			continue
		}
		if st.At != nil {
			if st.At.D < 0 {
				d.errorAt(st.Pos.Key("at"), "at must not be negative")
			} else if st.At.D < last {
				d.errorAt(st.Pos.Key("at"), "at %s goes back in time (an earlier step is at %s)", st.At.D, last)
			}
			last = max(last, st.At.D)
		}
		d.checkStep(st)
	}
}

func (d *decoder) checkReply(r *Reply) {
	if r.Status != 0 && (r.Status < 100 || r.Status > 999) {
		d.errorAt(r.Pos.Key("status"), "status %d out of range 100-999", r.Status)
	}
	if r.Delay.D < 0 {
		d.errorAt(r.Pos.Key("delay"), "delay must not be negative")
	}
	switch r.Fail {
	case "", "connect", "timeout":
	default:
		d.errorAt(r.Pos.Key("fail"), "fail must be connect or timeout, not %q", r.Fail)
	}
}

// requestKeys are the keys of a single request, which a concurrent or purge
// step must not have at its top level.
var requestKeys = []string{"method", "url", "headers", "body", "client_ip", "expect"}

func (d *decoder) checkStep(st *Step) {
	kinds := 0
	for _, k := range []string{"url", "concurrent", "purge"} {
		if st.Pos.Has(k) {
			kinds++
		}
	}
	if kinds != 1 {
		d.errorAt(st.Pos, "a step needs exactly one of url, concurrent or purge")
		return
	}
	switch st.Kind() {
	case "purge", "concurrent":
		for _, k := range requestKeys {
			if st.Pos.Has(k) {
				d.errorAt(st.Pos.Key(k), "%s is not allowed in a %s step", k, st.Kind())
			}
		}
		if p := st.Purge; p != nil {
			if (p.URL == "") == (p.SurrogateKey == "") {
				d.errorAt(p.Pos, "purge needs exactly one of url or surrogate_key")
			} else if p.URL != "" {
				d.checkURL(p.Pos.Key("url"), p.URL)
			}
		}
		if st.Concurrent != nil && len(st.Concurrent) < 1 {
			d.errorAt(st.Pos.Key("concurrent"), "concurrent needs at least one request")
		}
		for _, r := range st.Concurrent {
			if r == nil {
				d.errorAt(st.Pos.Key("concurrent"), "empty request in concurrent")
				continue
			}
			d.checkRequest(r)
		}
	default:
		d.checkRequest(&st.Request)
	}
}

func (d *decoder) checkRequest(r *Request) {
	if r.URL == "" {
		d.errorAt(r.Pos, "request needs a url")
	} else {
		d.checkURL(r.Pos.Key("url"), r.URL)
	}
	if r.Method != "" && !isToken(r.Method) {
		d.errorAt(r.Pos.Key("method"), "invalid method %q", r.Method)
	}
	if r.ClientIP != "" {
		if _, err := netip.ParseAddr(r.ClientIP); err != nil {
			d.errorAt(r.Pos.Key("client_ip"), "client_ip %q is not an IP address", r.ClientIP)
		}
	}
	for name := range r.Headers {
		if !isToken(name) {
			d.errorAt(r.Pos.Key("headers"), "invalid header name %q", name)
		}
	}
	if e := r.Expect; e != nil {
		if e.Status != 0 && (e.Status < 100 || e.Status > 999) {
			d.errorAt(e.Pos.Key("status"), "status %d out of range 100-999", e.Status)
		}
		for _, sub := range e.Route {
			if !knownSubs[sub] {
				d.errorAt(e.Pos.Key("route"), "route: %q is not a vcl_* subroutine (vcl_recv, vcl_hash, vcl_hit, vcl_miss, vcl_pass, vcl_fetch, vcl_error, vcl_deliver, vcl_log)", sub)
			}
		}
	}
}

func (d *decoder) checkURL(at Pos, u string) {
	if _, _, _, err := splitURL(u); err != nil {
		d.errorAt(at, "%v", err)
	}
}

// knownSubs are the subroutine names a route can contain.
var knownSubs = map[string]bool{
	"vcl_recv": true, "vcl_hash": true, "vcl_hit": true, "vcl_miss": true, "vcl_pass": true,
	"vcl_fetch": true, "vcl_error": true, "vcl_deliver": true, "vcl_log": true,
}

// isToken reports whether s is a non-empty HTTP token (method, header name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// String describes the request in one line: "GET /path".
func (r *Request) String() string {
	m := r.Method
	if m == "" {
		m = "GET"
	}
	return fmt.Sprintf("%s %s", m, r.URL)
}
