package scenario

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/vclide/vclide/interp"
)

// Verdict is the outcome of checking one response against its expectations.
type Verdict struct {
	Passed   bool     `json:"passed"`
	Failures []string `json:"failures"`
	// Checks lists every expectation in a fixed order, passed or not.
	Checks []Check `json:"-"`
}

// Check is one expectation and whether it held.
type Check struct {
	What   string // "status 200", "header X-Cache = \"HIT\""
	OK     bool
	Reason string // why it failed: what was seen instead
}

// Verify checks res against e; nil when there is nothing to check.
func Verify(e *Expect, res *interp.Result) *Verdict {
	if e == nil {
		return nil
	}
	v := &Verdict{Passed: true, Failures: []string{}}
	add := func(what string, ok bool, reason string) {
		v.Checks = append(v.Checks, Check{What: what, OK: ok, Reason: reason})
		if !ok {
			v.Passed = false
			v.Failures = append(v.Failures, what+": "+reason)
		}
	}
	resp := res.Response
	if e.Status != 0 {
		add(fmt.Sprintf("status %d", e.Status), resp.Status == e.Status, fmt.Sprintf("got %d", resp.Status))
	}
	if e.Reason != "" {
		got := resp.Reason
		if got == "" {
			got = http.StatusText(resp.Status)
		}
		add("reason "+strconv.Quote(e.Reason), got == e.Reason, "got "+strconv.Quote(got))
	}
	if e.State != "" {
		add("state "+e.State, res.State == e.State, "got "+quoteOrEmpty(res.State))
	}
	names := make([]string, 0, len(e.Headers))
	for n := range e.Headers {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		want := e.Headers[n]
		vals := resp.Header.Values(n)
		got := strings.Join(vals, ", ")
		switch {
		case want == nil:
			add("header "+n+" absent", len(vals) == 0, "got "+strconv.Quote(got))
		case len(vals) == 0:
			add("header "+n+" = "+strconv.Quote(*want), false, "absent")
		default:
			add("header "+n+" = "+strconv.Quote(*want), got == *want, "got "+strconv.Quote(got))
		}
	}
	if e.Body != nil {
		add("body contains "+strconv.Quote(*e.Body), strings.Contains(string(resp.Body), *e.Body),
			"body is "+strconv.Quote(truncate(string(resp.Body), 120)))
	}
	if e.Route != nil {
		got := make([]string, len(res.Route))
		for i, s := range res.Route {
			got[i] = s.Sub
		}
		add("route "+strings.Join(e.Route, " → "), equalStrings(got, e.Route), "got "+orNone(strings.Join(got, " → ")))
	}
	for _, want := range e.Logs {
		found := false
		for _, l := range res.Logs {
			if strings.Contains(l, want) {
				found = true
				break
			}
		}
		reason := "no log line contains it"
		if len(res.Logs) == 0 {
			reason = "nothing was logged"
		}
		add("log "+strconv.Quote(want), found, reason)
	}
	return v
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func quoteOrEmpty(s string) string {
	if s == "" {
		return "nothing"
	}
	return strconv.Quote(s)
}

func orNone(s string) string {
	if s == "" {
		return "no subroutines"
	}
	return s
}

// truncate shortens s to about n bytes (on a UTF-8 boundary), marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
