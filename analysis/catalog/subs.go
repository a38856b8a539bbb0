package catalog

import "strings"

// Sub identifies one of Fastly's built-in subroutines (vcl_recv, vcl_hash, …).
type Sub uint8

// The built-in subroutines, in request order.
const (
	SubRecv Sub = iota
	SubHash
	SubHit
	SubMiss
	SubPass
	SubFetch
	SubError
	SubDeliver
	SubLog
	NumSubs
)

var subNames = [...]string{"recv", "hash", "hit", "miss", "pass", "fetch", "error", "deliver", "log"}

// String returns the short name ("recv").
func (s Sub) String() string {
	if s < NumSubs {
		return subNames[s]
	}
	return "?"
}

// VCLName returns the subroutine's VCL name ("vcl_recv").
func (s Sub) VCLName() string { return "vcl_" + s.String() }

// ParseSub accepts "recv", "vcl_recv" or "RECV" and returns the Sub.
func ParseSub(name string) (Sub, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.TrimPrefix(n, "vcl_")
	for i, s := range subNames {
		if s == n {
			return Sub(i), true
		}
	}
	return 0, false
}

// SubSet is a set of built-in subroutines, one bit each.
type SubSet uint16

// AllSubs contains every built-in subroutine.
const AllSubs SubSet = 1<<NumSubs - 1

// Has reports whether s is in the set.
func (ss SubSet) Has(s Sub) bool { return ss&(1<<s) != 0 }

// With returns the set with s added.
func (ss SubSet) With(s Sub) SubSet { return ss | 1<<s }

// Subs lists the members in request order.
func (ss SubSet) Subs() []Sub {
	var out []Sub
	for s := Sub(0); s < NumSubs; s++ {
		if ss.Has(s) {
			out = append(out, s)
		}
	}
	return out
}

// String lists the members as VCL names separated by ", ".
func (ss SubSet) String() string {
	var parts []string
	for _, s := range ss.Subs() {
		parts = append(parts, s.VCLName())
	}
	return strings.Join(parts, ", ")
}

// SetOf builds a SubSet from a list of subroutines.
func SetOf(subs ...Sub) SubSet {
	var ss SubSet
	for _, s := range subs {
		ss = ss.With(s)
	}
	return ss
}
