package builtin

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/value"
)

// Fastly's documented querystring.get examples.
func TestQuerystringGet(t *testing.T) {
	get := func(url, name string) []value.Value { return []value.Value{vs(url), vs(name)} }
	runStringCases(t, []stringCase{
		{name: "absent parameter", fn: "querystring.get", args: get("/?a=1&b=2&c=3", "d"), notSet: true},
		{name: "empty value", fn: "querystring.get", args: get("/?a=1&b=&c=3", "b"), want: ""},
		{name: "first of duplicates", fn: "querystring.get", args: get("/?a=1&b=2&c=3&b=4&d=5", "b"), want: "2"},
		{name: "no query", fn: "querystring.get", args: get("/", "a"), notSet: true},
		{name: "empty arguments", fn: "querystring.get", args: get("", ""), notSet: true},
		{name: "foo=", fn: "querystring.get", args: get("/?foo=", "foo"), want: ""},
		{name: "first foo is empty", fn: "querystring.get", args: get("/?foo=&foo=bar", "foo"), want: ""},
		{name: "name without value", fn: "querystring.get", args: get("/?foo&bar=1", "foo"), want: ""},
		{name: "value returned undecoded", fn: "querystring.get", args: get("/?q=a%20b", "q"), want: "a%20b"},
		{name: "name is encoded before search", fn: "querystring.get", args: get("/?a%20b=1", "a b"), want: "1"},
		{name: "fragment excluded", fn: "querystring.get", args: get("/?a=1#frag", "a"), want: "1"},
		{name: "not-set url", fn: "querystring.get", args: []value.Value{value.NullString(), vs("a")}, notSet: true},
	})
}

func TestQuerystringEdit(t *testing.T) {
	v := func(s ...string) []value.Value {
		out := make([]value.Value, len(s))
		for i := range s {
			out[i] = vs(s[i])
		}
		return out
	}
	runStringCases(t, []stringCase{
		{name: "add to bare path", fn: "querystring.add", args: v("/path", "foo", "bar"), want: "/path?foo=bar"},
		{name: "add to query", fn: "querystring.add", args: v("/path?a=1", "foo", "bar"), want: "/path?a=1&foo=bar"},
		{name: "add keeps duplicates", fn: "querystring.add", args: v("/?foo=1", "foo", "2"), want: "/?foo=1&foo=2"},
		{name: "add encodes", fn: "querystring.add", args: v("/", "a b", "x&y=z/é"), want: "/?a%20b=x%26y%3Dz%2F%C3%A9"},
		{name: "add after bare ?", fn: "querystring.add", args: v("/path?", "foo", "bar"), want: "/path?foo=bar"},
		{name: "add before fragment", fn: "querystring.add", args: v("/p?a=1#top", "b", "2"), want: "/p?a=1&b=2#top"},
		{name: "set replaces and dedups", fn: "querystring.set", args: v("/?foo=1&bar=2&foo=3", "foo", "baz"), want: "/?foo=baz&bar=2"},
		{name: "set appends", fn: "querystring.set", args: v("/?bar=2", "foo", "baz"), want: "/?bar=2&foo=baz"},
		{name: "set name-only param", fn: "querystring.set", args: v("/?foo&x=1", "foo", "1"), want: "/?foo=1&x=1"},
		{name: "remove", fn: "querystring.remove", args: v("/path?x=1&y=2"), want: "/path"},
		{name: "remove keeps fragment", fn: "querystring.remove", args: v("/path?x=1#f"), want: "/path#f"},
		{name: "clean (documented)", fn: "querystring.clean", args: v("/path?name=value&&=value-only&name-only"), want: "/path?name=value&name-only"},
		{name: "clean drops bare ?", fn: "querystring.clean", args: v("/path?"), want: "/path"},
		{name: "clean drops empty query", fn: "querystring.clean", args: v("/path?&&="), want: "/path"},
		{name: "clean leaves ?something", fn: "querystring.clean", args: v("/path?something"), want: "/path?something"},
	})
}

func TestQuerystringFilters(t *testing.T) {
	sep := QueryFilterSeparator
	url := "/?utm_source=a&q=1&utm_medium=b&p=2&utm_campaign=c&&session=9"
	runStringCases(t, []stringCase{
		{name: "filtersep", fn: "querystring.filtersep", want: sep},
		{name: "filter (documented list)", fn: "querystring.filter", args: []value.Value{vs(url), vs("utm_source" + sep + "utm_medium" + sep + "utm_campaign")}, want: "/?q=1&p=2&session=9"},
		{name: "filter_except (documented list)", fn: "querystring.filter_except", args: []value.Value{vs(url), vs("q" + sep + "p")}, want: "/?q=1&p=2"},
		{name: "filter everything", fn: "querystring.filter_except", args: []value.Value{vs("/x?a=1"), vs("b")}, want: "/x"},
		{name: "filter is exact", fn: "querystring.filter", args: []value.Value{vs("/?q=1&qq=2"), vs("q")}, want: "/?qq=2"},
		{name: "globfilter utm_*", fn: "querystring.globfilter", args: []value.Value{vs(url), vs("utm_*")}, want: "/?q=1&p=2&session=9"},
		{name: "globfilter_except sess*", fn: "querystring.globfilter_except", args: []value.Value{vs(url), vs("sess*")}, want: "/?session=9"},
		{name: "glob ? and class", fn: "querystring.globfilter", args: []value.Value{vs("/?a1=x&a2=y&b1=z&a=w"), vs("a[0-1]")}, want: "/?a2=y&b1=z&a=w"},
		{name: "glob negated class", fn: "querystring.globfilter_except", args: []value.Value{vs("/?a1=x&a2=y&ab=z"), vs("a[!0-9]")}, want: "/?ab=z"},
		{name: "regfilter (documented)", fn: "querystring.regfilter", args: []value.Value{vs(url), regexv("^utm_.*")}, want: "/?q=1&p=2&session=9"},
		{name: "regfilter is unanchored", fn: "querystring.regfilter", args: []value.Value{vs("/?xutm=1&a=2"), regexv("utm")}, want: "/?a=2"},
		{name: "regfilter negative look-ahead (documented)", fn: "querystring.regfilter", args: []value.Value{vs("/?param1=a&x=b&param2=c"), regexv("^(?!param1|param2)")}, want: "/?param1=a&param2=c"},
		{name: "regfilter_except", fn: "querystring.regfilter_except", args: []value.Value{vs(url), regexv("^(q|p)$")}, want: "/?q=1&p=2"},
		{name: "glob single char", fn: "querystring.globfilter", args: []value.Value{vs("/?ab=1&abc=2"), vs("a?")}, want: "/?abc=2"},
	})
}

// Fastly's documented querystring.sort examples and rules.
func TestQuerystringSort(t *testing.T) {
	var many []string
	for i := 33; i > 0; i-- {
		many = append(many, fmt.Sprintf("p%02d=%d", i, i))
	}
	tooMany := "/x?" + strings.Join(many, "&")
	runStringCases(t, []stringCase{
		{name: "documented", fn: "querystring.sort", args: []value.Value{vs("/foo?b=1&a=2&c=3")}, want: "/foo?a=2&b=1&c=3"},
		{name: "only unique keys (documented)", fn: "querystring.sort", args: []value.Value{vs("/test?a=7&a=2&a=1&b=5&b=3"), vb(true)}, want: "/test?a=7&b=5"},
		{name: "duplicates kept in order", fn: "querystring.sort", args: []value.Value{vs("/test?b=1&a=7&a=2"), vb(false)}, want: "/test?a=7&a=2&b=1"},
		{name: "upper case first", fn: "querystring.sort", args: []value.Value{vs("/?a=1&B=2&A=3")}, want: "/?A=3&B=2&a=1"},
		{name: "empty keys dropped", fn: "querystring.sort", args: []value.Value{vs("/?b=1&=x&&a=2")}, want: "/?a=2&b=1"},
		{name: "no query", fn: "querystring.sort", args: []value.Value{vs("/plain")}, want: "/plain"},
		{name: "more than 32 unsorted", fn: "querystring.sort", args: []value.Value{vs(tooMany)}, want: tooMany},
	})
}

// regexv makes a REGEX argument.
func regexv(src string) value.Value { return value.Value{T: catalog.TypeRegex, Str: src} }

func TestQuerystringRegfilterErrors(t *testing.T) {
	if _, err := call(t, newEnv(), "querystring.regfilter", vs("/?a=1"), regexv("(")); err == nil {
		t.Fatal("invalid pattern accepted")
	}
}

func TestGlobMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, name string
		want          bool
	}{
		{"*", "", true},
		{"a*b", "a/x/b", true},
		{"a*b", "a/x/c", false},
		{`a\*`, "a*", true},
		{`a\*`, "ab", false},
		{"[", "[", true},
		{"[]]", "]", true},
		{"x[a-c]y", "xby", true},
		{"x[^a-c]y", "xby", false},
	} {
		if got := qsGlobMatch(c.pattern, c.name); got != c.want {
			t.Errorf("qsGlobMatch(%q, %q) = %v, want %v", c.pattern, c.name, got, c.want)
		}
	}
}
