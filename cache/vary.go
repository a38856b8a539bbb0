package cache

import (
	"net/http"
	"slices"
	"strings"
)

// ParseVary returns the canonical, sorted, de-duplicated header names listed
// in the response's Vary header(s), and whether the list contains "*". A
// response with "Vary: *" varies on something no request header can express,
// so it never matches a later request.
func ParseVary(h http.Header) (names []string, star bool) {
	for _, line := range h.Values("Vary") {
		for part := range strings.SplitSeq(line, ",") {
			name := strings.TrimSpace(part)
			switch name {
			case "":
				continue
			case "*":
				star = true
				continue
			}
			names = append(names, http.CanonicalHeaderKey(name))
		}
	}
	slices.Sort(names)
	return slices.Compact(names), star
}

// VariantKey encodes the values the request carries for each header in vary
// (as returned by ParseVary). Two requests share a variant exactly when their
// keys are equal. A header the request lacks is encoded differently from one
// that is present but empty, as Varnish does. The result is empty when vary
// is empty.
func VariantKey(vary []string, reqHeader http.Header) string {
	if len(vary) == 0 {
		return ""
	}
	var b strings.Builder
	for i, name := range vary {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(name)
		values := reqHeader.Values(name)
		if values == nil {
			b.WriteString("!")
			continue
		}
		b.WriteString(": ")
		for j, v := range values {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strings.TrimSpace(v))
		}
	}
	return b.String()
}

// matches reports whether a request with reqHeader selects this variant.
func (o *Object) matches(reqHeader http.Header) bool {
	if len(o.Vary) == 0 {
		return o.VariantKey == ""
	}
	return VariantKey(o.Vary, reqHeader) == o.VariantKey
}
