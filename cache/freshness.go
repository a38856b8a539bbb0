package cache

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultTTL is the lifetime the response parser gives an object when no
// response header says how long to keep it.
//
// Source: Fastly's "Cache freshness and TTLs" guide
// (https://docs.fastly.com/en/guides/configuring-caching) describes the parse
// done before vcl_fetch; the two minutes come from the Varnish heritage
// described in the practitioner post (seed 002, "Fastly TTLs"). Fastly's
// generated VCL for a new service then sets 3600s when none of Expires,
// Surrogate-Control max-age or Cache-Control s-maxage/max-age is present
// ("Controlling caching": fallback TTL 3600s). That fallback belongs to the
// #FASTLY fetch macro the interpreter expands, not to this parser.
const DefaultTTL = 120 * time.Second

// Freshness sources, as reported in Freshness.Source.
const (
	SourceSurrogateMaxAge = "surrogate-control max-age"
	SourceSMaxAge         = "cache-control s-maxage"
	SourceMaxAge          = "cache-control max-age"
	SourceExpires         = "expires"
	SourceDefault         = "default"
)

// Freshness is what Fastly's response parser derives from a backend response
// before vcl_fetch runs: the initial values of beresp.ttl,
// beresp.stale_while_revalidate, beresp.stale_if_error and beresp.cacheable.
type Freshness struct {
	// TTL is the freshness lifetime counted from the moment the object is
	// stored (beresp.ttl). Any Age header has already been subtracted.
	TTL time.Duration
	// SWR is the stale-while-revalidate window after the TTL runs out.
	SWR time.Duration
	// SIE is the stale-if-error window after the TTL runs out.
	SIE time.Duration
	// Age is the age the object starts with in cache (the response's Age
	// header, or zero when the lifetime came from Expires).
	Age time.Duration
	// Cacheable reports whether the status code is cacheable by default.
	Cacheable bool
	// Source names the header the TTL came from (one of the Source*
	// constants).
	Source string

	// swrSet and sieSet record whether a stale directive was present, so
	// that a 304 refresh keeps the old windows when it carries none.
	swrSet, sieSet bool
}

// cacheableStatus lists the statuses Fastly caches without VCL help.
//
// Source: "Cache freshness and TTLs": "if HTTP status is 200, 203, 300, 301,
// 302, 404, or 410, then yes; otherwise no" (and never when the fetch comes
// from an explicit pass or a hit-for-pass, which the interpreter knows).
func cacheableStatus(status int) bool {
	switch status {
	case 200, 203, 300, 301, 302, 404, 410:
		return true
	}
	return false
}

// CacheableStatus reports whether Fastly caches responses with this status
// by default (beresp.cacheable before vcl_fetch).
func CacheableStatus(status int) bool { return cacheableStatus(status) }

// ParseFreshness computes the freshness of a backend response received at
// now, in Fastly's order of preference:
//
//  1. Surrogate-Control: max-age
//  2. Cache-Control: s-maxage
//  3. Cache-Control: max-age
//  4. Expires, relative to the response's Date header (or now without one)
//  5. DefaultTTL
//
// Source for the order: "About cache control headers"
// (https://fastly.com/documentation/guides/full-site-delivery/caching/about-cache-control-headers)
// and the Surrogate-Control reference, which says Surrogate-Control is
// preferred over Cache-Control when both exist.
//
// For the max-age forms the response's Age header is subtracted (Fastly's
// Age reference: "Cache-Control: max-age=30" with "Age: 10" gives
// beresp.ttl 20) and the object starts with that age. For Expires the age
// starts at zero whatever Age says (same page, "Expires-based freshness").
//
// stale-while-revalidate and stale-if-error are read from Surrogate-Control
// first and Cache-Control second, each directive on its own (the
// beresp.stale_while_revalidate and beresp.stale_if_error references: "parsed
// from the ... value in the Surrogate-Control or Cache-Control headers").
//
// Cache-Control private, no-store and no-cache are deliberately not
// honoured: Fastly's parser does not look at them, which is why Fastly's own
// boilerplate and practitioners add "if (beresp.http.Cache-Control ~
// "private") { return(pass); }" to vcl_fetch. A model that refused to cache
// them would hide exactly the bug the analyser is meant to catch.
func ParseFreshness(status int, h http.Header, now time.Time) Freshness {
	f := Freshness{Cacheable: cacheableStatus(status)}
	sc := parseDirectives(h.Values("Surrogate-Control"))
	cc := parseDirectives(h.Values("Cache-Control"))
	age := headerSeconds(h.Get("Age"))

	if d, ok := sc.duration("max-age"); ok {
		f.setMaxAge(d, age, SourceSurrogateMaxAge)
	} else if d, ok := cc.duration("s-maxage"); ok {
		f.setMaxAge(d, age, SourceSMaxAge)
	} else if d, ok := cc.duration("max-age"); ok {
		f.setMaxAge(d, age, SourceMaxAge)
	} else if exp := h.Get("Expires"); exp != "" {
		f.Source = SourceExpires
		f.TTL = expiresTTL(exp, h.Get("Date"), now)
	} else {
		f.Source = SourceDefault
		f.TTL = DefaultTTL
		f.Age = age
	}

	if d, ok := sc.duration("stale-while-revalidate"); ok {
		f.SWR, f.swrSet = d, true
	} else if d, ok := cc.duration("stale-while-revalidate"); ok {
		f.SWR, f.swrSet = d, true
	}
	if d, ok := sc.duration("stale-if-error"); ok {
		f.SIE, f.sieSet = d, true
	} else if d, ok := cc.duration("stale-if-error"); ok {
		f.SIE, f.sieSet = d, true
	}
	return f
}

func (f *Freshness) setMaxAge(maxAge, age time.Duration, source string) {
	f.Source = source
	f.Age = age
	f.TTL = max(maxAge-age, 0)
}

// expiresTTL turns an Expires header into a lifetime. An unparsable value
// (such as the common "Expires: 0") means "already expired", as HTTP
// prescribes.
func expiresTTL(expires, date string, now time.Time) time.Duration {
	exp, err := http.ParseTime(expires)
	if err != nil {
		return 0
	}
	base := now
	if date != "" {
		if d, err := http.ParseTime(date); err == nil {
			base = d
		}
	}
	return max(exp.Sub(base), 0)
}

// directives is a parsed Cache-Control style header: lower-case names to raw
// values ("" for a bare directive). The first occurrence of a name wins.
type directives map[string]string

func parseDirectives(lines []string) directives {
	if len(lines) == 0 {
		return nil
	}
	d := directives{}
	for _, line := range lines {
		for part := range strings.SplitSeq(line, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			name, value, _ := strings.Cut(part, "=")
			name = strings.ToLower(strings.TrimSpace(name))
			value = strings.Trim(strings.TrimSpace(value), `"`)
			if _, seen := d[name]; !seen {
				d[name] = value
			}
		}
	}
	return d
}

// duration returns a delta-seconds directive. A directive with a missing or
// malformed value counts as absent, so the next source in line is used.
func (d directives) duration(name string) (time.Duration, bool) {
	v, ok := d[name]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return time.Duration(n) * time.Second, true
}

func headerSeconds(v string) time.Duration {
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}

// ParseSurrogateKeys returns the space-separated keys of the response's
// Surrogate-Key header(s), without duplicates, in order of appearance.
func ParseSurrogateKeys(h http.Header) []string {
	var keys []string
	seen := map[string]bool{}
	for _, line := range h.Values("Surrogate-Key") {
		for _, k := range strings.Fields(line) {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	return keys
}
