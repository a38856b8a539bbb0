package origin

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vclide/vclide/interp"
)

// Response is one scripted answer of a Mock rule.
type Response struct {
	Status int // 200 when zero
	Header http.Header
	Body   []byte
	// Delay is how long the origin takes to answer (virtual time). A delay
	// longer than the backend's first-byte timeout is a timeout.
	Delay time.Duration
	// Fail makes the request fail instead: FailConnect or FailTimeout.
	Fail string
}

// Rule answers the requests it matches.
type Rule struct {
	// Path is a glob over the request path (the query is ignored): `*`
	// matches within one path segment, `**` across segments, `?` one
	// character other than `/`. Empty matches every path.
	Path string
	// Method restricts the rule to one method (any when empty).
	Method string
	// Response is the answer, unless Sequence is set.
	Response
	// Sequence answers successive matching requests in order; the last
	// entry repeats once the list is used up.
	Sequence []Response
}

// Call records one request a Mock received.
type Call struct {
	Backend string
	Method  string
	URL     string
	Host    string
	Header  http.Header
	Body    []byte
	Now     time.Time
	Rule    int // index of the rule that answered; -1 when none matched
	Status  int // 0 when the rule made the request fail
	Fail    string
}

// Mock answers backend requests from a list of rules: the first rule that
// matches the path and method wins. A request no rule matches gets a 404
// whose body says so. Mock is safe for concurrent use.
type Mock struct {
	rules    []Rule
	patterns []*regexp.Regexp

	mu     sync.Mutex
	served []int // per rule: how many requests it answered
	calls  []Call
}

// NewMock checks rules and returns a Mock serving them.
func NewMock(rules []Rule) (*Mock, error) {
	m := &Mock{rules: rules, patterns: make([]*regexp.Regexp, len(rules)), served: make([]int, len(rules))}
	for i, r := range rules {
		re, err := CompileGlob(r.Path)
		if err != nil {
			return nil, fmt.Errorf("rule %d: %w", i+1, err)
		}
		m.patterns[i] = re
		resps := r.Sequence
		if len(resps) == 0 {
			resps = []Response{r.Response}
		}
		for j, resp := range resps {
			if err := resp.check(); err != nil {
				if len(r.Sequence) > 0 {
					return nil, fmt.Errorf("rule %d, sequence entry %d: %w", i+1, j+1, err)
				}
				return nil, fmt.Errorf("rule %d: %w", i+1, err)
			}
		}
	}
	return m, nil
}

func (r Response) check() error {
	switch r.Fail {
	case "", FailConnect, FailTimeout:
	default:
		return fmt.Errorf("fail must be %q or %q, not %q", FailConnect, FailTimeout, r.Fail)
	}
	if r.Status != 0 && (r.Status < 100 || r.Status > 999) {
		return fmt.Errorf("status %d out of range 100-999", r.Status)
	}
	if r.Delay < 0 {
		return fmt.Errorf("negative delay %s", r.Delay)
	}
	return nil
}

// Calls returns the requests received so far, in order.
func (m *Mock) Calls() []Call {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Call(nil), m.calls...)
}

// String names the origin in notes.
func (m *Mock) String() string { return "the scenario's mock responses" }

// RoundTrip answers req from the first matching rule.
func (m *Mock) RoundTrip(_ context.Context, req *interp.BackendRequest) (*interp.BackendResponse, error) {
	path, _, _ := strings.Cut(req.URL, "?")
	if path == "" {
		path = "/"
	}
	call := Call{Backend: req.Backend, Method: req.Method, URL: req.URL, Host: req.Host,
		Header: req.Header.Clone(), Body: append([]byte(nil), req.Body...), Now: req.Now, Rule: -1}

	m.mu.Lock()
	idx := -1
	for i, r := range m.rules {
		if (r.Method == "" || strings.EqualFold(r.Method, req.Method)) && m.patterns[i].MatchString(path) {
			idx = i
			break
		}
	}
	var resp Response
	if idx >= 0 {
		r := m.rules[idx]
		resp = r.Response
		if n := len(r.Sequence); n > 0 {
			resp = r.Sequence[min(m.served[idx], n-1)]
		}
		m.served[idx]++
	}
	call.Rule = idx
	defer func() {
		m.mu.Lock()
		m.calls = append(m.calls, call)
		m.mu.Unlock()
	}()
	m.mu.Unlock()

	if idx < 0 {
		call.Status = http.StatusNotFound
		return m.unmatched(req, path), nil
	}
	_, firstByte, _ := timeouts(req)
	switch {
	case resp.Fail == FailConnect:
		call.Fail = FailConnect
		return nil, &Error{Backend: req.Backend, Kind: FailConnect, Err: fmt.Errorf("mock rule %d: connection refused", idx+1)}
	case resp.Fail == FailTimeout:
		call.Fail = FailTimeout
		return nil, &Error{Backend: req.Backend, Kind: FailTimeout, Err: fmt.Errorf("mock rule %d: no response", idx+1)}
	case resp.Delay > firstByte:
		call.Fail = FailTimeout
		return nil, &Error{Backend: req.Backend, Kind: FailTimeout,
			Err: fmt.Errorf("mock rule %d: delay %s exceeds the first-byte timeout %s", idx+1, resp.Delay, firstByte)}
	}
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	call.Status = status
	h := resp.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if h.Get("Date") == "" && !req.Now.IsZero() {
		h.Set("Date", req.Now.UTC().Format(http.TimeFormat))
	}
	body := append([]byte(nil), resp.Body...)
	if req.Method == http.MethodHead {
		body = nil
	}
	return &interp.BackendResponse{Status: status, Header: h, Body: body, Delay: resp.Delay}, nil
}

// unmatched is the 404 for a request no rule matches.
func (m *Mock) unmatched(req *interp.BackendRequest, path string) *interp.BackendResponse {
	var b strings.Builder
	fmt.Fprintf(&b, "vclide mock origin: no response rule matches %s %s", req.Method, path)
	if req.Backend != "" {
		fmt.Fprintf(&b, " on backend %s", req.Backend)
	}
	b.WriteString("\n")
	if len(m.rules) == 0 {
		b.WriteString("(the backend has no rules)\n")
	} else {
		b.WriteString("rules:\n")
		for _, r := range m.rules {
			method := r.Method
			if method == "" {
				method = "*"
			}
			p := r.Path
			if p == "" {
				p = "**"
			}
			fmt.Fprintf(&b, "  %s %s\n", method, p)
		}
	}
	h := http.Header{}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	h.Set("X-Vclide-Mock", "unmatched")
	if !req.Now.IsZero() {
		h.Set("Date", req.Now.UTC().Format(http.TimeFormat))
	}
	return &interp.BackendResponse{Status: http.StatusNotFound, Header: h, Body: []byte(b.String())}
}

// CompileGlob turns a path glob into an anchored regular expression: `*`
// matches any run of characters other than `/`, `**` any run including `/`
// (and `/**/` also matches a single `/`), `?` one character other than `/`.
// The empty glob matches everything.
func CompileGlob(glob string) (*regexp.Regexp, error) {
	if glob == "" {
		return regexp.MustCompile(`^`), nil
	}
	if strings.Contains(glob, "***") {
		return nil, fmt.Errorf("path %q: `***` is not a valid glob", glob)
	}
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(glob); {
		switch {
		case strings.HasPrefix(glob[i:], "**/"):
			b.WriteString("(?:.*/)?")
			i += 3
		case strings.HasPrefix(glob[i:], "**"):
			b.WriteString(".*")
			i += 2
		case glob[i] == '*':
			b.WriteString("[^/]*")
			i++
		case glob[i] == '?':
			b.WriteString("[^/]")
			i++
		default:
			j := i
			for j < len(glob) && glob[j] != '*' && glob[j] != '?' {
				j++
			}
			b.WriteString(regexp.QuoteMeta(glob[i:j]))
			i = j
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}
