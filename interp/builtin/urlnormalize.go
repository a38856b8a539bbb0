package builtin

import (
	"net/netip"
	"strings"

	"github.com/vclide/vclide/interp/value"
)

// This file implements url.normalize.

// ---------------------------------------------------------------- url.normalize

// urlNormalize implements url.normalize(url). Fastly documents the function
// as RFC 9110 section 4.2.3 and RFC 3986 section 6.2.2 normalisation of
// either an absolute http(s) URL or the path, query and fragment of one (the
// form of req.url):
//
//   - the scheme and the host name are lower-cased (an IPv6 literal only has
//     its hex digits lower-cased; it is not otherwise rewritten);
//   - a port equal to the scheme's default (80 for http, 443 for https) is
//     removed;
//   - an empty path after the authority becomes "/";
//   - in the path, percent-encoded unreserved characters (ALPHA, DIGIT and
//     "-._~") are decoded and every other percent-encoding gets upper-case
//     hex digits;
//   - "." and ".." path segments are resolved and removed;
//   - the query string is kept exactly as written;
//   - the fragment is dropped.
//
// Input with a scheme other than http or https, or whose syntax is invalid,
// is returned unchanged. Where Fastly's page is silent the simulator decides
// as follows (RFC 3986 is followed in each case):
//
//   - Percent-decoding happens before dot-segment removal (the RFC's order),
//     so "%2E%2E" is a ".." segment.
//   - An empty port ("host:") is removed like a default one (RFC 3986
//     section 6.2.3), and the port is compared by numeric value, so ":080"
//     counts as 80.
//   - The path is checked strictly: a byte RFC 3986 does not allow in a path
//     (space, non-ASCII, `"<>[\]^{|}` and so on) or a malformed
//     percent-encoding makes the input invalid. Userinfo and host are checked
//     the same way; the query and fragment are not checked.
//   - Userinfo is kept as written; the host's percent-encodings are kept as
//     written.
//   - Input that neither starts with "/" nor has a scheme followed by "//"
//     and a non-empty host (a relative path, a bare query, the empty string)
//     is invalid.
//
// A not-set argument is returned not set.
func urlNormalize(env Env, a []value.Value) (value.Value, error) {
	if argNotSet(a, 0) {
		return value.NullString(), nil
	}
	in := argStr(a, 0)
	if out, ok := normalizeURL(in); ok {
		return value.String(out), nil
	}
	return value.String(in), nil
}

// normalizeURL normalises s as url.normalize documents; ok is false when s
// is to be returned unchanged.
func normalizeURL(s string) (out string, ok bool) {
	if strings.HasPrefix(s, "/") {
		return normalizePathQuery(s)
	}
	scheme, rest, found := cutScheme(s)
	if !found {
		return "", false
	}
	scheme = strings.ToLower(scheme)
	var defaultPort string
	switch scheme {
	case "http":
		defaultPort = "80"
	case "https":
		defaultPort = "443"
	default:
		return "", false
	}
	// RFC 9110 section 4.2: http(s) URIs require an authority with a host.
	if !strings.HasPrefix(rest, "//") {
		return "", false
	}
	rest = rest[2:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, ok := normalizeAuthority(rest[:end], defaultPort)
	if !ok {
		return "", false
	}
	pq := rest[end:]
	if pq == "" || pq[0] != '/' {
		pq = "/" + pq // an empty path is "/"
	}
	tail, ok := normalizePathQuery(pq)
	if !ok {
		return "", false
	}
	return scheme + "://" + authority + tail, true
}

// cutScheme splits "scheme:rest" when s starts with an RFC 3986 scheme
// (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )) followed by ":".
func cutScheme(s string) (scheme, rest string, ok bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isAlpha(c):
		case i > 0 && (isDigit(c) || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return s[:i], s[i+1:], true
		default:
			return "", "", false
		}
	}
	return "", "", false
}

// normalizeAuthority validates [userinfo "@"] host [":" port] and returns it
// with the host lower-cased and a default or empty port removed.
func normalizeAuthority(auth, defaultPort string) (string, bool) {
	var userinfo string
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		userinfo, auth = auth[:at+1], auth[at+1:]
		if !validURIChars(userinfo[:len(userinfo)-1], ":") {
			return "", false
		}
	}
	var host, port string
	hasPort := false
	if strings.HasPrefix(auth, "[") {
		closing := strings.IndexByte(auth, ']')
		if closing < 0 {
			return "", false
		}
		host, port = auth[:closing+1], auth[closing+1:]
		if port != "" {
			if port[0] != ':' {
				return "", false
			}
			port, hasPort = port[1:], true
		}
		lit, ok := normalizeIPLiteral(host[1 : len(host)-1])
		if !ok {
			return "", false
		}
		host = "[" + lit + "]"
	} else {
		host = auth
		if c := strings.LastIndexByte(auth, ':'); c >= 0 {
			host, port, hasPort = auth[:c], auth[c+1:], true
		}
		if host == "" || !validURIChars(host, "") {
			return "", false
		}
		host = lowerOutsideEscapes(host)
	}
	for i := 0; i < len(port); i++ {
		if !isDigit(port[i]) {
			return "", false
		}
	}
	if hasPort && port != "" && strings.TrimLeft(port, "0") != defaultPort {
		host += ":" + port
	}
	return userinfo + host, true
}

// normalizeIPLiteral validates the inside of an RFC 3986 IP-literal (an IPv6
// address, optionally with an RFC 6874 zone, or an IPvFuture) and lower-cases
// it without otherwise rewriting it.
func normalizeIPLiteral(lit string) (string, bool) {
	if lit == "" {
		return "", false
	}
	if lit[0] == 'v' || lit[0] == 'V' {
		dot := strings.IndexByte(lit, '.')
		if dot < 2 || dot == len(lit)-1 {
			return "", false
		}
		for i := 1; i < dot; i++ {
			if !isHexDigit(lit[i]) {
				return "", false
			}
		}
		for i := dot + 1; i < len(lit); i++ {
			if c := lit[i]; !isUnreserved(c) && !isSubDelim(c) && c != ':' {
				return "", false
			}
		}
		return strings.ToLower(lit), true
	}
	addrPart, zone, hasZone := strings.Cut(lit, "%")
	addr, err := netip.ParseAddr(addrPart)
	if err != nil || !addr.Is6() {
		return "", false
	}
	if hasZone {
		// RFC 6874: the zone is introduced by "%25" and written in
		// unreserved characters and percent-encodings; it is kept as is.
		if !strings.HasPrefix(zone, "25") || len(zone) == 2 || !validURIChars(zone[2:], "") {
			return "", false
		}
		return strings.ToLower(addrPart) + "%" + zone, true
	}
	return strings.ToLower(addrPart), true
}

// normalizePathQuery normalises "/path[?query][#fragment]": the path is
// percent-normalised and has its dot segments removed, the query is kept as
// written and the fragment is dropped.
func normalizePathQuery(s string) (string, bool) {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	path, query, hasQuery := strings.Cut(s, "?")
	path, ok := normalizePercent(path)
	if !ok {
		return "", false
	}
	path = removeDotSegments(path)
	if hasQuery {
		return path + "?" + query, true
	}
	return path, true
}

// normalizePercent checks that path holds only characters RFC 3986 allows in
// a path (pchar and "/") and rewrites its percent-encodings: those of
// unreserved characters are decoded, the rest get upper-case hex digits.
func normalizePercent(path string) (string, bool) {
	var b strings.Builder
	b.Grow(len(path))
	for i := 0; i < len(path); i++ {
		c := path[i]
		switch {
		case c == '%':
			if i+2 >= len(path) || !isHexDigit(path[i+1]) || !isHexDigit(path[i+2]) {
				return "", false
			}
			d := unhex(path[i+1])<<4 | unhex(path[i+2])
			if isUnreserved(d) {
				b.WriteByte(d)
			} else {
				b.WriteByte('%')
				b.WriteString(strings.ToUpper(path[i+1 : i+3]))
			}
			i += 2
		case isUnreserved(c) || isSubDelim(c) || c == ':' || c == '@' || c == '/':
			b.WriteByte(c)
		default:
			return "", false
		}
	}
	return b.String(), true
}

// removeDotSegments is RFC 3986 section 5.2.4's algorithm: "." segments are
// dropped and each ".." segment removes the segment before it.
func removeDotSegments(in string) string {
	var out []string // output segments, each with its leading "/" if any
	pop := func() {
		if len(out) > 0 {
			out = out[:len(out)-1]
		}
	}
	for in != "" {
		switch {
		case strings.HasPrefix(in, "../"):
			in = in[3:]
		case strings.HasPrefix(in, "./"):
			in = in[2:]
		case strings.HasPrefix(in, "/./"):
			in = in[2:]
		case in == "/.":
			in = "/"
		case strings.HasPrefix(in, "/../"):
			in = in[3:]
			pop()
		case in == "/..":
			in = "/"
			pop()
		case in == "." || in == "..":
			in = ""
		default:
			next := strings.IndexByte(in[1:], '/') + 1
			if next == 0 {
				next = len(in)
			}
			out = append(out, in[:next])
			in = in[next:]
		}
	}
	return strings.Join(out, "")
}

// validURIChars reports whether s consists of unreserved characters,
// sub-delims, well-formed percent-encodings and the bytes in extra.
func validURIChars(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 >= len(s) || !isHexDigit(s[i+1]) || !isHexDigit(s[i+2]) {
				return false
			}
			i += 2
		case isUnreserved(c), isSubDelim(c), strings.IndexByte(extra, c) >= 0:
		default:
			return false
		}
	}
	return true
}

// lowerOutsideEscapes lower-cases the ASCII letters of s except the hex
// digits of percent-encodings.
func lowerOutsideEscapes(s string) string {
	b := []byte(s)
	for i := 0; i < len(b); i++ {
		if b[i] == '%' {
			i += 2
			continue
		}
		if b[i] >= 'A' && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return string(b)
}

// isAlpha reports whether c is an ASCII letter.
func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isDigit reports whether c is an ASCII decimal digit.
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isHexDigit reports whether c is an ASCII hexadecimal digit.
func isHexDigit(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// unhex returns the value of the hexadecimal digit c.
func unhex(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// isUnreserved reports whether c is an RFC 3986 unreserved character, the
// characters that never need percent-encoding.
func isUnreserved(c byte) bool {
	return isAlpha(c) || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~'
}

// isSubDelim reports whether c is an RFC 3986 sub-delim.
func isSubDelim(c byte) bool { return strings.IndexByte("!$&'()*+,;=", c) >= 0 }

// -------------------------------------------- digest.hmac_sha256_with_base64_key

// ------------------------------------------------ fastly.ff.last_hop_was_serviceid

func init() {
	register("url.normalize", urlNormalize)
}
