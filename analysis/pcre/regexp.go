package pcre

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/dlclark/regexp2"
)

// MatchTimeout bounds one match attempt on the backtracking engine, so a
// pattern with catastrophic backtracking cannot hang the interpreter.
const MatchTimeout = 100 * time.Millisecond

// ErrMatchLimit is returned (wrapped) when a match attempt runs out of
// time. It corresponds to Fastly setting fastly.error to "EREGRECUR".
var ErrMatchLimit = errors.New("regular expression match limit exceeded")

// Regexp is a compiled Fastly regular expression.
type Regexp struct {
	pattern string
	groups  int

	re2 *regexp.Regexp         // set when Go's engine runs the pattern
	bt  *regexp2.Regexp        // set when the backtracking engine runs it
	nl  bool                   // re2's translation differs for subjects ending in "\n"
	fb  func() *regexp2.Regexp // backtracking fallback for those subjects
}

// Compile checks pattern and prepares it for matching. The error is a
// *SyntaxError when the pattern is not valid PCRE, or an
// *UnsupportedError when it is valid but uses a construct neither engine
// can run (recursion, callouts, \K, …).
func Compile(pattern string) (*Regexp, error) {
	root, p := parse(pattern)
	if p.err != nil {
		return nil, p.err
	}
	if len(p.startOpts) > 0 {
		return nil, &UnsupportedError{Construct: "the (*" + p.startOpts[0] + ") option"}
	}
	re := &Regexp{pattern: pattern, groups: p.ncap}
	if len(p.reasons) == 0 {
		if goPat, nl, err := translate(root, tGo); err == nil {
			if compiled, err := regexp.Compile(goPat); err == nil {
				re.re2, re.nl = compiled, nl
				if nl {
					re.fb = sync.OnceValue(func() *regexp2.Regexp {
						bt, _ := compileBacktrack(root)
						return bt
					})
				}
				return re, nil
			}
		}
	}
	bt, err := compileBacktrack(root)
	if err != nil {
		return nil, err
	}
	re.bt = bt
	return re, nil
}

// MustCompile is like Compile but panics on error. It is meant for
// patterns written into Go code.
func MustCompile(pattern string) *Regexp {
	re, err := Compile(pattern)
	if err != nil {
		panic(err)
	}
	return re
}

// compileBacktrack compiles the tree for regexp2.
func compileBacktrack(root *node) (*regexp2.Regexp, error) {
	netPat, _, err := translate(root, tNet)
	if err != nil {
		return nil, err
	}
	bt, err := regexp2.Compile(netPat, regexp2.None)
	if err != nil {
		return nil, &UnsupportedError{Construct: fmt.Sprintf("a construct the backtracking engine rejects (%v)", err)}
	}
	bt.MatchTimeout = MatchTimeout
	return bt, nil
}

// String returns the source pattern.
func (r *Regexp) String() string { return r.pattern }

// Engine names the engine that runs the pattern: EngineRE2 or
// EngineBacktrack.
func (r *Regexp) Engine() string {
	if r.re2 != nil {
		return EngineRE2
	}
	return EngineBacktrack
}

// NumGroups returns the number of capture groups.
func (r *Regexp) NumGroups() int { return r.groups }

// backtrackFor returns the backtracking engine to use for s, or nil to use
// Go's.
func (r *Regexp) backtrackFor(s string) *regexp2.Regexp {
	if r.re2 == nil {
		return r.bt
	}
	if r.nl && strings.HasSuffix(s, "\n") {
		return r.fb()
	}
	return nil
}

// TryMatchString reports whether s contains a match. The error wraps
// ErrMatchLimit when the backtracking engine gave up.
func (r *Regexp) TryMatchString(s string) (bool, error) {
	bt := r.backtrackFor(s)
	if bt == nil {
		return r.re2.MatchString(s), nil
	}
	ok, err := bt.MatchString(s)
	if err != nil {
		return false, limitError(err)
	}
	return ok, nil
}

// MatchString reports whether s contains a match; a match that hits the
// limit counts as no match.
func (r *Regexp) MatchString(s string) bool {
	ok, _ := r.TryMatchString(s)
	return ok
}

// TryFindStringSubmatch returns the leftmost match and its groups, as
// re.group.0 … re.group.N; a group that did not take part is "". It
// returns nil when there is no match.
func (r *Regexp) TryFindStringSubmatch(s string) ([]string, error) {
	ms, err := r.find(s, 1)
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	out := make([]string, r.groups+1)
	for i := range out {
		if a, b := ms[0][2*i], ms[0][2*i+1]; a >= 0 {
			out[i] = s[a:b]
		}
	}
	return out, nil
}

// FindStringSubmatch is TryFindStringSubmatch without the error.
func (r *Regexp) FindStringSubmatch(s string) []string {
	m, _ := r.TryFindStringSubmatch(s)
	return m
}

func limitError(err error) error {
	return fmt.Errorf("%w: %v", ErrMatchLimit, err)
}

// find returns up to n (all when n < 0) successive non-overlapping
// matches as byte offsets, in the layout of regexp's
// FindAllStringSubmatchIndex. After a match, an empty match where it ended
// is not taken (PCRE2's NOTEMPTY_ATSTART, as Varnish uses for regsuball).
func (r *Regexp) find(s string, n int) ([][]int, error) {
	bt := r.backtrackFor(s)
	if bt == nil {
		if n == 1 {
			if m := r.re2.FindStringSubmatchIndex(s); m != nil {
				return [][]int{pad(m, r.groups)}, nil
			}
			return nil, nil
		}
		all := r.re2.FindAllStringSubmatchIndex(s, n)
		for i := range all {
			all[i] = pad(all[i], r.groups)
		}
		return all, nil
	}
	runes := []rune(s)
	offs := make([]int, 0, len(runes)+1)
	for i := range s {
		offs = append(offs, i)
	}
	offs = append(offs, len(s))
	var out [][]int
	prevEnd := -1
	m, err := bt.FindRunesMatch(runes)
	for err == nil && m != nil && (n < 0 || len(out) < n) {
		if m.Length == 0 && m.Index == prevEnd {
			if m.Index >= len(runes) {
				break
			}
			m, err = bt.FindRunesMatchStartingAt(runes, m.Index+1)
			continue
		}
		idx := make([]int, 2*(r.groups+1))
		for g := 0; g <= r.groups; g++ {
			idx[2*g], idx[2*g+1] = -1, -1
			if grp := m.GroupByNumber(g); grp != nil && len(grp.Captures) > 0 {
				idx[2*g], idx[2*g+1] = offs[grp.Index], offs[grp.Index+grp.Length]
			}
		}
		out = append(out, idx)
		prevEnd = m.Index + m.Length
		m, err = bt.FindNextMatch(m)
	}
	if err != nil {
		return nil, limitError(err)
	}
	return out, nil
}

// pad extends a Go submatch index slice to cover every group.
func pad(m []int, groups int) []int {
	for len(m) < 2*(groups+1) {
		m = append(m, -1, -1)
	}
	return m
}
