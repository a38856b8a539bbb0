package builtin

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vclide/vclide/analysis/pcre"
	"github.com/vclide/vclide/internal/lru"
	"github.com/vclide/vclide/interp/value"
)

// This file implements the querystring.* builtins. As in the Varnish
// query-string module Fastly's functions derive from, the query string is
// the part of the URL after the first '?' (up to a '#' fragment, which is
// kept as it is), parameters are separated by '&', a parameter's name is
// what precedes its first '=', and parameters with an empty name are
// dropped by every function except querystring.get, querystring.add and
// querystring.set. No percent-decoding is done.

// QueryFilterSeparator is what querystring.filtersep returns: the separator
// between names in the list given to querystring.filter and
// querystring.filter_except. Fastly's separator is a NULL string piece that
// survives string concatenation only inside its STRING_LIST argument; the
// simulator concatenates into one STRING, so it uses the NUL character,
// which a VCL string can never otherwise contain.
const QueryFilterSeparator = "\x00"

// qsMaxSortParams is the parameter count above which querystring.sort leaves
// a URL unsorted.
const qsMaxSortParams = 32

// qsParts is a URL split around its query string.
type qsParts struct {
	base     string   // everything before '?'
	params   []string // the '&'-separated parameters
	hasQuery bool     // whether the URL has a '?'
	fragment string   // "#..." after the query, or ""
}

// qsSplit splits url into its parts.
func qsSplit(url string) qsParts {
	var p qsParts
	if i := strings.IndexByte(url, '#'); i >= 0 {
		url, p.fragment = url[:i], url[i:]
	}
	base, query, found := strings.Cut(url, "?")
	p.base, p.hasQuery = base, found
	if found && query != "" {
		p.params = strings.Split(query, "&")
	}
	return p
}

// join rebuilds the URL, omitting the '?' when no parameter is left.
func (p qsParts) join() string {
	if len(p.params) == 0 {
		return p.base + p.fragment
	}
	return p.base + "?" + strings.Join(p.params, "&") + p.fragment
}

// qsName returns a parameter's name: what precedes its first '='.
func qsName(param string) string {
	name, _, _ := strings.Cut(param, "=")
	return name
}

// cleaned returns the parameters whose names are not empty.
func (p qsParts) cleaned() []string {
	out := make([]string, 0, len(p.params))
	for _, prm := range p.params {
		if qsName(prm) != "" {
			out = append(out, prm)
		}
	}
	return out
}

// qsEncode percent-encodes every byte of s outside the URI unreserved set
// (A-Z a-z 0-9 - . _ ~), with upper-case hex digits.
func qsEncode(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '.', c == '_', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

// querystringGet implements querystring.get(url, name): the undecoded value
// of the first parameter called name (name is URL-encoded before the
// search); "" for a parameter without a value; not set when the parameter
// or the query string is absent or an argument is empty or not set.
func querystringGet(env Env, args []value.Value) (value.Value, error) {
	if argStr(args, 0) == "" || argStr(args, 1) == "" {
		return value.NullString(), nil
	}
	want := qsEncode(argStr(args, 1))
	for _, prm := range qsSplit(argStr(args, 0)).params {
		name, val, _ := strings.Cut(prm, "=")
		if name == want {
			return value.String(val), nil
		}
	}
	return value.NullString(), nil
}

// querystringAdd implements querystring.add(url, name, value): the URL with
// name=value (both URL-encoded) appended to the query string.
func querystringAdd(env Env, args []value.Value) (value.Value, error) {
	p := qsSplit(argStr(args, 0))
	p.params = append(p.params, qsEncode(argStr(args, 1))+"="+qsEncode(argStr(args, 2)))
	return value.String(p.join()), nil
}

// querystringSet implements querystring.set(url, name, value): the first
// parameter called name gets the (URL-encoded) value and later duplicates
// are removed; a missing parameter is appended.
func querystringSet(env Env, args []value.Value) (value.Value, error) {
	p := qsSplit(argStr(args, 0))
	name := qsEncode(argStr(args, 1))
	param := name + "=" + qsEncode(argStr(args, 2))
	out, done := make([]string, 0, len(p.params)+1), false
	for _, prm := range p.params {
		if qsName(prm) != name {
			out = append(out, prm)
		} else if !done {
			out, done = append(out, param), true
		}
	}
	if !done {
		out = append(out, param)
	}
	p.params = out
	return value.String(p.join()), nil
}

// querystringRemove implements querystring.remove(url): the URL without its
// query string.
func querystringRemove(env Env, a []value.Value) (value.Value, error) {
	p := qsSplit(argStr(a, 0))
	p.params = nil
	return value.String(p.join()), nil
}

// querystringClean implements querystring.clean(url): the URL without
// empty-named parameters, and without '?' when nothing is left.
func querystringClean(env Env, a []value.Value) (value.Value, error) {
	p := qsSplit(argStr(a, 0))
	p.params = p.cleaned()
	return value.String(p.join()), nil
}

// querystringFiltersep implements querystring.filtersep.
func querystringFiltersep(env Env, a []value.Value) (value.Value, error) {
	return value.String(QueryFilterSeparator), nil
}

// qsFilter keeps the cleaned parameters of url whose names match (keep) or
// do not match (drop).
func qsFilter(url string, match func(name string) bool, keep bool) string {
	p := qsSplit(url)
	out := p.params[:0:0]
	for _, prm := range p.cleaned() {
		if match(qsName(prm)) == keep {
			out = append(out, prm)
		}
	}
	p.params = out
	return p.join()
}

// qsNameListFilter builds querystring.filter (drop the listed names) and
// querystring.filter_except (keep only them); names are separated by
// QueryFilterSeparator.
func qsNameListFilter(keep bool) Func {
	return func(env Env, args []value.Value) (value.Value, error) {
		names := map[string]bool{}
		for _, n := range strings.Split(argStr(args, 1), QueryFilterSeparator) {
			names[n] = true
		}
		return value.String(qsFilter(argStr(args, 0), func(n string) bool { return names[n] }, keep)), nil
	}
}

// qsGlobFilter builds querystring.globfilter (drop names matching a glob)
// and querystring.globfilter_except (keep only those).
func qsGlobFilter(keep bool) Func {
	return func(env Env, args []value.Value) (value.Value, error) {
		pattern := argStr(args, 1)
		return value.String(qsFilter(argStr(args, 0), func(n string) bool { return qsGlobMatch(pattern, n) }, keep)), nil
	}
}

// qsRegexCache holds the compiled patterns of querystring.regfilter*,
// keyed by source; it is bounded because the pattern may be request data.
var qsRegexCache = lru.NewStrings(regexCacheBytes, regexCost)

// qsRegex compiles (once) a REGEX argument of fn.
func qsRegex(fn, pattern string) (*pcre.Regexp, error) {
	re, err := compileCached(qsRegexCache, pattern)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fn, err)
	}
	return re, nil
}

// qsRegexFilter builds querystring.regfilter (drop names matching a
// regular expression) and querystring.regfilter_except (keep only those).
// A match that exceeds the matching limit counts as no match and sets
// fastly.error to EREGRECUR.
func qsRegexFilter(fn string, keep bool) Func {
	return func(env Env, args []value.Value) (value.Value, error) {
		re, err := qsRegex(fn, argStr(args, 1))
		if err != nil {
			return value.Value{}, err
		}
		match := func(n string) bool {
			ok, err := re.TryMatchString(n)
			if err != nil {
				setFastlyErr(env, "EREGRECUR")
			}
			return ok
		}
		return value.String(qsFilter(argStr(args, 0), match, keep)), nil
	}
}

// qsGlobMatch reports whether name matches the fnmatch(3) pattern without
// flags: '*' any run of characters, '?' one character, '[...]' a set (with
// ranges, and '!' or '^' negation), '\' quoting the next character.
func qsGlobMatch(pattern, name string) bool {
	for len(pattern) > 0 {
		switch pattern[0] {
		case '*':
			for len(pattern) > 0 && pattern[0] == '*' {
				pattern = pattern[1:]
			}
			if pattern == "" {
				return true
			}
			for i := 0; i <= len(name); i++ {
				if qsGlobMatch(pattern, name[i:]) {
					return true
				}
			}
			return false
		case '?':
			if name == "" {
				return false
			}
			pattern, name = pattern[1:], name[1:]
		case '[':
			if name == "" {
				return false
			}
			ok, rest, valid := qsGlobClass(pattern[1:], name[0])
			if !valid { // an unterminated '[' is an ordinary character
				if name[0] != '[' {
					return false
				}
				pattern, name = pattern[1:], name[1:]
				continue
			}
			if !ok {
				return false
			}
			pattern, name = rest, name[1:]
		default:
			c := pattern[0]
			if c == '\\' && len(pattern) > 1 {
				pattern = pattern[1:]
				c = pattern[0]
			}
			if name == "" || name[0] != c {
				return false
			}
			pattern, name = pattern[1:], name[1:]
		}
	}
	return name == ""
}

// qsGlobClass matches c against the bracket expression starting after '[';
// it returns the match, the pattern after ']', and whether the expression
// was terminated.
func qsGlobClass(p string, c byte) (matched bool, rest string, valid bool) {
	negate := false
	if len(p) > 0 && (p[0] == '!' || p[0] == '^') {
		negate, p = true, p[1:]
	}
	for i := 0; i < len(p); i++ {
		if p[i] == ']' && i > 0 {
			return matched != negate, p[i+1:], true
		}
		lo := p[i]
		if lo == '\\' && i+1 < len(p) {
			i++
			lo = p[i]
		}
		hi := lo
		if i+2 < len(p) && p[i+1] == '-' && p[i+2] != ']' {
			hi = p[i+2]
			i += 2
		}
		if lo <= c && c <= hi {
			matched = true
		}
	}
	return false, "", false
}

// querystringSort implements querystring.sort(url [, only_unique_keys]):
// the cleaned parameters sorted by name, byte-wise (so upper case before
// lower case) and stably (so values of a repeated name keep their order);
// with only_unique_keys, only the first parameter of each name is kept.
// A URL with more than 32 parameters is returned unchanged.
func querystringSort(env Env, args []value.Value) (value.Value, error) {
	url := argStr(args, 0)
	p := qsSplit(url)
	if len(p.params) > qsMaxSortParams {
		return value.String(url), nil
	}
	params := p.cleaned()
	sort.SliceStable(params, func(i, j int) bool { return qsName(params[i]) < qsName(params[j]) })
	if argBoolOrFalse(args, 1) {
		uniq := params[:0]
		for i, prm := range params {
			if i == 0 || qsName(prm) != qsName(params[i-1]) {
				uniq = append(uniq, prm)
			}
		}
		params = uniq
	}
	p.params = params
	return value.String(p.join()), nil
}

func init() {
	register("querystring.get", querystringGet)
	register("querystring.add", querystringAdd)
	register("querystring.set", querystringSet)
	register("querystring.remove", querystringRemove)
	register("querystring.clean", querystringClean)
	register("querystring.filtersep", querystringFiltersep)
	register("querystring.filter", qsNameListFilter(false))
	register("querystring.filter_except", qsNameListFilter(true))
	register("querystring.globfilter", qsGlobFilter(false))
	register("querystring.globfilter_except", qsGlobFilter(true))
	register("querystring.regfilter", qsRegexFilter("querystring.regfilter", false))
	register("querystring.regfilter_except", qsRegexFilter("querystring.regfilter_except", true))
	register("querystring.sort", querystringSort)
}
