// Package suggest finds the names closest to a misspelt one, for the
// "did you mean" hints of the checker, the configuration and scenario
// loaders.
package suggest

import (
	"sort"
	"strings"
)

// Distance is the edit distance between a and b (bytes) where an insertion,
// a deletion, a substitution or a swap of two adjacent characters each
// count as one edit (optimal string alignment), so typos like "stauts"
// are one edit from "status".
func Distance(a, b string) int {
	if a == b {
		return 0
	}
	// Three rolling rows: two back (for swaps), previous and current.
	pp := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], pp[j-2]+1)
			}
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[len(b)]
}

// Closest returns up to n candidates within a small edit distance of name
// (ignoring case), best first; ties are broken alphabetically.
func Closest(name string, candidates []string, n int) []string {
	type scored struct {
		s string
		d int
	}
	limit := max(2, len(name)/4)
	lname := strings.ToLower(name)
	var out []scored
	for _, c := range candidates {
		if d := len(c) - len(name); d > limit || -d > limit {
			continue
		}
		if d := Distance(lname, strings.ToLower(c)); d <= limit {
			out = append(out, scored{c, d})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].d != out[j].d {
			return out[i].d < out[j].d
		}
		return out[i].s < out[j].s
	})
	res := make([]string, 0, min(n, len(out)))
	for i := 0; i < len(out) && i < n; i++ {
		res = append(res, out[i].s)
	}
	return res
}

// Best returns the single closest candidate, or "" when none is close.
func Best(name string, candidates []string) string {
	if c := Closest(name, candidates, 1); len(c) > 0 {
		return c[0]
	}
	return ""
}
