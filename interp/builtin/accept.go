package builtin

import (
	"sort"
	"strconv"
	"strings"

	"github.com/vclide/vclide/interp/value"
)

// This file implements the accept.* content-negotiation builtins: language
// lookup and basic filtering (RFC 4647 sections 3.4 and 3.3.1), and the
// q-value selection of RFC 7231 section 5.3 for charsets, content codings
// and media types. Each returns one of the candidates exactly as the caller
// spelled it, the fallback, or (language lookup only) not set.

// acceptItem is one element of an Accept-* header value.
type acceptItem struct {
	token string  // lower-cased range or token, parameters removed
	q     float64 // quality, 1 when absent
	order int     // position in the header
}

// parseAcceptHeader splits an Accept-* value into items sorted by
// decreasing quality (ties keep header order). Items with an unparsable
// q-value are dropped, as RFC 7231 section 5.3.1 allows.
func parseAcceptHeader(header string) []acceptItem {
	var items []acceptItem
	for i, part := range strings.Split(header, ",") {
		fields := strings.Split(part, ";")
		token := strings.ToLower(strings.TrimSpace(fields[0]))
		if token == "" {
			continue
		}
		item, ok := acceptItem{token: token, q: 1, order: i}, true
		for _, f := range fields[1:] {
			k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
			if !strings.EqualFold(strings.TrimSpace(k), "q") {
				continue
			}
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || q < 0 || q > 1 {
				ok = false
			}
			item.q = q
			break
		}
		if ok {
			items = append(items, item)
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].q > items[j].q })
	return items
}

// acceptCandidates splits a colon-separated list of candidates.
func acceptCandidates(list string) []string {
	var out []string
	for _, c := range strings.Split(list, ":") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// acceptFindFold returns the candidate equal to s ignoring case.
func acceptFindFold(candidates []string, s string) (string, bool) {
	for _, c := range candidates {
		if strings.EqualFold(c, s) {
			return c, true
		}
	}
	return "", false
}

// acceptRangeMatches reports whether the basic language range r matches
// tag: equal, or a prefix followed by '-' (case-insensitive); "*" matches
// everything.
func acceptRangeMatches(r, tag string) bool {
	tag = strings.ToLower(tag)
	return r == "*" || r == tag || strings.HasPrefix(tag, r+"-")
}

// acceptLanguageRejected reports whether items give tag a quality of zero: the
// longest range matching it has q=0 (or, failing any, a "*;q=0").
func acceptLanguageRejected(items []acceptItem, tag string) bool {
	best, bestLen := -1.0, -1
	for _, it := range items {
		n := len(it.token)
		if it.token == "*" {
			n = 0
		}
		if acceptRangeMatches(it.token, tag) && n > bestLen {
			best, bestLen = it.q, n
		}
	}
	return bestLen >= 0 && best == 0
}

// acceptTruncateTag removes the last subtag of a language range, and a
// single-character subtag left before it, as the RFC 4647 lookup fallback
// does; "" when nothing is left.
func acceptTruncateTag(tag string) string {
	i := strings.LastIndexByte(tag, '-')
	if i < 0 {
		return ""
	}
	tag = tag[:i]
	if j := strings.LastIndexByte(tag, '-'); j >= 0 && len(tag)-j-1 == 1 {
		tag = tag[:j]
	}
	return tag
}

// acceptLanguageLookup implements accept.language_lookup(available,
// default, header): for each range in priority order, the range and then
// ever shorter prefixes of it are looked up among the available languages
// (subtags are never removed from the available ones). Without a match the
// default is returned, unless the header gives the default a weight of
// zero, in which case the result is not set.
func acceptLanguageLookup(env Env, args []value.Value) (value.Value, error) {
	available, def := acceptCandidates(argStr(args, 0)), argStr(args, 1)
	items := parseAcceptHeader(argStr(args, 2))
	for _, it := range items {
		if it.q == 0 || it.token == "*" {
			continue
		}
		for tag := it.token; tag != ""; tag = acceptTruncateTag(tag) {
			if c, ok := acceptFindFold(available, tag); ok {
				return value.String(c), nil
			}
		}
	}
	if def != "" && acceptLanguageRejected(items, def) {
		return value.NullString(), nil
	}
	return value.String(def), nil
}

// acceptLanguageFilterBasic implements accept.language_filter_basic(
// available, default, header, nmatches): the available languages matched
// by the header's ranges (RFC 4647 basic filtering), best ranges first, at
// most nmatches of them (no limit when nmatches < 1), joined with ",";
// languages the header weights zero are never returned. Without a match the
// default is returned.
func acceptLanguageFilterBasic(env Env, args []value.Value) (value.Value, error) {
	available, def, limit := acceptCandidates(argStr(args, 0)), argStr(args, 1), argIntOrZero(args, 3)
	items := parseAcceptHeader(argStr(args, 2))
	var out []string
	seen := map[string]bool{}
	for _, it := range items {
		if it.q == 0 {
			continue
		}
		for _, c := range available {
			if seen[c] || !acceptRangeMatches(it.token, c) || acceptLanguageRejected(items, c) {
				continue
			}
			if limit >= 1 && int64(len(out)) >= limit {
				break
			}
			seen[c] = true
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return value.String(def), nil
	}
	return value.String(strings.Join(out, ",")), nil
}

// acceptTokenQuality returns the quality header items give the charset or coding
// c (explicit mention first, then "*"), with the item's header position; ok
// is false when neither mentions it.
func acceptTokenQuality(items []acceptItem, c string) (q float64, order int, ok bool) {
	star := -1
	for i, it := range items {
		if it.token == strings.ToLower(c) {
			return it.q, it.order, true
		}
		if it.token == "*" && star < 0 {
			star = i
		}
	}
	if star >= 0 {
		return items[star].q, items[star].order, true
	}
	return 0, 0, false
}

// acceptNegotiate chooses among available charsets or content codings by
// RFC 7231 section 5.3: the highest quality wins, ties going to the item
// earlier in the header, then to the earlier candidate. For content codings
// "identity" stays acceptable, at the lowest priority, unless excluded.
func acceptNegotiate(available []string, header string, coding bool) (string, bool) {
	items := parseAcceptHeader(header)
	best, bestQ, bestOrder := "", 0.0, 0
	for _, c := range available {
		q, order, ok := acceptTokenQuality(items, c)
		if !ok && coding && strings.EqualFold(c, "identity") {
			q, order = 1e-9, len(items)+1
		}
		if q > 0 && (best == "" || q > bestQ || q == bestQ && order < bestOrder) {
			best, bestQ, bestOrder = c, q, order
		}
	}
	return best, best != ""
}

// acceptTokenLookup builds accept.charset_lookup and accept.encoding_lookup
// (available, default, header); an empty header or no acceptable candidate
// gives the default.
func acceptTokenLookup(coding bool) Func {
	return func(env Env, args []value.Value) (value.Value, error) {
		if strings.TrimSpace(argStr(args, 2)) != "" {
			if c, ok := acceptNegotiate(acceptCandidates(argStr(args, 0)), argStr(args, 2), coding); ok {
				return value.String(c), nil
			}
		}
		return value.String(argStr(args, 1)), nil
	}
}

// acceptMediaType returns the lower-cased type and subtype of a media type or
// range.
func acceptMediaType(s string) (typ, sub string) {
	typ, sub, _ = strings.Cut(strings.ToLower(strings.TrimSpace(s)), "/")
	return typ, sub
}

// acceptMediaRejected reports whether the most specific range of items matching
// the media type c has q=0.
func acceptMediaRejected(items []acceptItem, c string) bool {
	typ, sub := acceptMediaType(c)
	best, spec := -1.0, -1
	for _, it := range items {
		rt, rs := acceptMediaType(it.token)
		s := -1
		switch {
		case rt == typ && rs == sub:
			s = 2
		case rt == typ && rs == "*":
			s = 1
		case rt == "*" && rs == "*":
			s = 0
		}
		if s > spec {
			best, spec = it.q, s
		}
	}
	return spec >= 0 && best == 0
}

// acceptMediaLookup implements accept.media_lookup(available, default,
// range_defaults, header). Ranges are taken by decreasing quality, more
// specific ranges first among equals. An exact "type/subtype" range selects
// that available type; "type/*" selects the range default of that type
// (from range_defaults), else the first available type of that type; "*/*"
// selects the default. Types the header weights zero are skipped; without a
// match the default is returned. Matching ignores case and media-type
// parameters; results are spelled as given.
func acceptMediaLookup(env Env, args []value.Value) (value.Value, error) {
	available, def := acceptCandidates(argStr(args, 0)), argStr(args, 1)
	rangeDefaults := acceptCandidates(argStr(args, 2))
	items := parseAcceptHeader(argStr(args, 3))
	for i := range items {
		items[i].token, _, _ = strings.Cut(items[i].token, ";")
		items[i].token = strings.TrimSpace(items[i].token)
	}
	specificity := func(it acceptItem) int {
		t, s := acceptMediaType(it.token)
		switch {
		case t == "*":
			return 0
		case s == "*":
			return 1
		}
		return 2
	}
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].q != items[j].q {
			return items[i].q > items[j].q
		}
		return specificity(items[i]) > specificity(items[j])
	})
	for _, it := range items {
		if it.q == 0 {
			continue
		}
		rt, rs := acceptMediaType(it.token)
		switch {
		case rt == "*":
			return value.String(def), nil
		case rs == "*":
			for _, d := range rangeDefaults {
				if t, _ := acceptMediaType(d); t == rt {
					return value.String(d), nil
				}
			}
			for _, c := range available {
				if t, _ := acceptMediaType(c); t == rt && !acceptMediaRejected(items, c) {
					return value.String(c), nil
				}
			}
		default:
			if c, ok := acceptFindFold(available, rt+"/"+rs); ok && !acceptMediaRejected(items, c) {
				return value.String(c), nil
			}
		}
	}
	return value.String(def), nil
}

func init() {
	register("accept.charset_lookup", acceptTokenLookup(false))
	register("accept.encoding_lookup", acceptTokenLookup(true))
	register("accept.language_filter_basic", acceptLanguageFilterBasic)
	register("accept.language_lookup", acceptLanguageLookup)
	register("accept.media_lookup", acceptMediaLookup)
}
