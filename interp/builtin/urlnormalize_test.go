package builtin

import (
	"testing"

	"github.com/vclide/vclide/interp/value"
)

// TestURLNormalize covers Fastly's examples for url.normalize and each
// normalisation step its reference page lists.
func TestURLNormalize(t *testing.T) {
	type tc struct{ name, in, want string }
	cases := []tc{
		// The reference page's examples.
		{"doc example: req.url", "/foo/../foo%3dbar", "/foo%3Dbar"},
		{"doc example: protocol + host + req.url", "https" + "://" + "Www.Example.COM" + "/foo/../foo%3dbar", "https://www.example.com/foo%3Dbar"},

		// Scheme and host are lower-cased.
		{"scheme lower-cased", "HTTP://example.com/a", "http://example.com/a"},
		{"mixed-case https", "hTTpS://example.com/a", "https://example.com/a"},
		{"host lower-cased", "http://WWW.Example.COM/Path", "http://www.example.com/Path"},
		{"IPv4 host kept", "http://192.0.2.1:8080/", "http://192.0.2.1:8080/"},
		{"IPv6 hex lower-cased", "http://[2001:DB8::A]/", "http://[2001:db8::a]/"},
		{"IPv6 not otherwise modified", "http://[2001:DB8:0:0:0:0:0:1]:8080/x", "http://[2001:db8:0:0:0:0:0:1]:8080/x"},
		{"IPv6 default port removed", "https://[::1]:443/", "https://[::1]/"},
		{"IPvFuture lower-cased", "http://[V1.ABC]/", "http://[v1.abc]/"},
		{"userinfo kept", "http://User:Pw@Example.com:80/", "http://User:Pw@example.com/"},

		// Default ports are removed, others kept.
		{"http port 80 removed", "http://example.com:80/a", "http://example.com/a"},
		{"https port 443 removed", "https://example.com:443/a", "https://example.com/a"},
		{"http port 443 kept", "http://example.com:443/a", "http://example.com:443/a"},
		{"https port 80 kept", "https://example.com:80/a", "https://example.com:80/a"},
		{"other port kept", "http://example.com:8080/a", "http://example.com:8080/a"},
		{"empty port removed", "http://example.com:/a", "http://example.com/a"},
		{"port compared numerically", "http://example.com:0080/", "http://example.com/"},
		{"port 0 kept", "http://example.com:0/", "http://example.com:0/"},

		// An empty path becomes "/".
		{"empty path", "http://example.com", "http://example.com/"},
		{"empty path with port", "http://example.com:80", "http://example.com/"},
		{"empty path before query", "http://example.com?q=1", "http://example.com/?q=1"},
		{"empty path before fragment", "http://example.com#top", "http://example.com/"},

		// Percent-encodings: unreserved decoded, the rest upper-cased.
		{"unreserved decoded", "/%7Euser/%41%62%63%2d%2E%5f%30", "/~user/Abc-._0"},
		{"encoded slash kept upper-cased", "/a%2fb", "/a%2Fb"},
		{"colon stays encoded", "/a%3ab", "/a%3Ab"},
		{"space stays encoded", "/a%20b", "/a%20b"},
		{"lower-case hex upper-cased", "/a%c3%a9", "/a%C3%A9"},
		{"UTF-8 stays encoded", "/%e2%82%ac", "/%E2%82%AC"},
		{"already upper-case", "/%3D", "/%3D"},
		{"full URL path decoded", "http://example.com/%7efoo", "http://example.com/~foo"},

		// Dot segments are removed.
		{"RFC 3986 5.2.4 example", "/a/b/c/./../../g", "/a/g"},
		{"RFC 3986 5.2.4 second example", "/mid/content=5/../6", "/mid/6"},
		{"leading dot-dot", "/../a", "/a"},
		{"trailing dot-dot", "/a/b/..", "/a/"},
		{"dot-dot to root", "/a/..", "/"},
		{"trailing dot", "/a/.", "/a/"},
		{"lone dot", "/.", "/"},
		{"dot in middle", "/a/./b", "/a/b"},
		{"dot-dot prefix is not a dot segment", "/a/..b/.c", "/a/..b/.c"},
		{"empty segments kept", "/a//b/../c", "/a//c"},
		{"encoded dots decoded first", "/a/%2E%2E/b", "/b"},
		{"full URL dot segments", "http://example.com/a/../../b/./c", "http://example.com/b/c"},
		{"plain path unchanged", "/", "/"},

		// The query is kept as written, the fragment is dropped.
		{"query kept verbatim", "/a/./b?x=%3d&y=/../", "/a/b?x=%3d&y=/../"},
		{"query not validated", "/p?a[]=1 2", "/p?a[]=1 2"},
		{"empty query kept", "/a?", "/a?"},
		{"fragment dropped", "/a#b", "/a"},
		{"fragment dropped after query", "http://example.com/a?b#c", "http://example.com/a?b"},
		{"fragment not validated", "/a#%zz b", "/a"},

		// Returned unchanged: other schemes and invalid syntax.
		{"ftp unchanged", "ftp://Example.COM/a/../b", "ftp://Example.COM/a/../b"},
		{"mailto unchanged", "mailto:User@Example.COM", "mailto:User@Example.COM"},
		{"no authority", "HTTP:/foo/../bar", "HTTP:/foo/../bar"},
		{"no host", "http://", "http://"},
		{"empty host with port", "HTTP://:80/a/../b", "HTTP://:80/a/../b"},
		{"bad host character", "http://exa mple.com/", "http://exa mple.com/"},
		{"bad port", "HTTP://example.com:8o/", "HTTP://example.com:8o/"},
		{"two colons in host", "HTTP://a:b:80/", "HTTP://a:b:80/"},
		{"unclosed IPv6", "HTTP://[::1/", "HTTP://[::1/"},
		{"IPv4 in brackets", "HTTP://[192.0.2.1]/", "HTTP://[192.0.2.1]/"},
		{"junk after IPv6", "HTTP://[::1]x/", "HTTP://[::1]x/"},
		{"bad userinfo", "HTTP://a b@example.com/", "HTTP://a b@example.com/"},
		{"bad percent-encoding", "/a%zzb/../c", "/a%zzb/../c"},
		{"truncated percent-encoding", "/a/../%4", "/a/../%4"},
		{"raw space in path", "/a b/../c", "/a b/../c"},
		{"raw non-ASCII in path", "/caf\u00e9/../x", "/caf\u00e9/../x"},
		{"relative path", "a/../b", "a/../b"},
		{"bare query", "?q=%3d", "?q=%3d"},
		{"empty string", "", ""},
		{"asterisk", "*", "*"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := call(t, newEnv(), "url.normalize", vs(c.in))
			if err != nil {
				t.Fatalf("url.normalize(%q): %v", c.in, err)
			}
			if got.NotSet || got.Str != c.want {
				t.Fatalf("url.normalize(%q) = %q (not set %v), want %q", c.in, got.Str, got.NotSet, c.want)
			}
		})
	}
	t.Run("not set stays not set", func(t *testing.T) {
		got, err := call(t, newEnv(), "url.normalize", value.NullString())
		if err != nil || !got.NotSet {
			t.Fatalf("url.normalize(not set) = %+v, %v; want not set", got, err)
		}
	})
}

// TestURLNormalizeIdempotent checks that normalising a normalised URL
// changes nothing.
func TestURLNormalizeIdempotent(t *testing.T) {
	for _, in := range []string{
		"/foo/../foo%3dbar",
		"HTTPS://Example.COM:443/%7e/a/./b/../c%2f?q=%3d#f",
		"http://[2001:DB8::1]:8080",
		"/a//b/../%e2%82%ac",
	} {
		once, ok := normalizeURL(in)
		if !ok {
			t.Fatalf("normalizeURL(%q) reported invalid", in)
		}
		if twice, ok := normalizeURL(once); !ok || twice != once {
			t.Fatalf("normalizeURL(%q) = %q, then %q (ok %v)", in, once, twice, ok)
		}
	}
}
