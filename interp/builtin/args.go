package builtin

import (
	"math/big"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/value"
)

// This file holds the argument helpers shared by std.go, strings.go, time.go,
// math.go, regex.go and random.go, the NameArgs table, and the builtins
// boltsort.sort, http_status_matches and addr.*.

// NameArgs lists, for each builtin that acts on a variable or header rather
// than on its value, the indexes of the arguments the interpreter must pass
// as names (value.ID holding the name exactly as written, such as
// "req.http.Cookie" or "req.headers") instead of evaluating them.
//
// This file registers std.collect (argument 0, the header to combine) and
// std.count (argument 0, the collection to count). Other files add their own
// entries from an init function.
var NameArgs = map[string][]int{
	"std.collect": {0},
	"std.count":   {0},
}

// maxStringBytes bounds the strings the simulator builds for functions such
// as std.strrep or std.strpad; Fastly fails such requests for lack of
// workspace memory, reported here as fastly.error ESESOOM.
const maxStringBytes = 1 << 20

// setFastlyErr sets fastly.error to code, as functions that report errors
// without failing the request do. An Env that cannot assign the variable is
// ignored: the function's documented result is still returned.
func setFastlyErr(env Env, code string) {
	_ = env.SetVariable("fastly.error", value.String(code))
}

// argNotSet reports whether argument i is missing or a not-set STRING or IP.
func argNotSet(a []value.Value, i int) bool { return i >= len(a) || a[i].NotSet }

// argStr returns argument i in its string form ("" when missing or not set).
func argStr(a []value.Value, i int) string {
	if i >= len(a) {
		return ""
	}
	return a[i].String()
}

// argInt returns argument i as an INTEGER.
func argInt(fn string, a []value.Value, i int) (int64, error) {
	n, err := value.ToInteger(a[i])
	if err != nil {
		return 0, argError(fn, i, "%v", err)
	}
	return n, nil
}

// argFloat returns argument i as a FLOAT.
func argFloat(fn string, a []value.Value, i int) (float64, error) {
	f, err := value.ToFloat(a[i])
	if err != nil {
		return 0, argError(fn, i, "%v", err)
	}
	return f, nil
}

// argTime returns argument i as a TIME.
func argTime(fn string, a []value.Value, i int) (time.Time, error) {
	t, err := value.ToTime(a[i])
	if err != nil {
		return time.Time{}, argError(fn, i, "%v", err)
	}
	return t, nil
}

// argDur returns argument i as an RTIME.
func argDur(fn string, a []value.Value, i int) (time.Duration, error) {
	d, err := value.ToRTime(a[i])
	if err != nil {
		return 0, argError(fn, i, "%v", err)
	}
	return d, nil
}

// argBool returns argument i as a BOOL.
func argBool(fn string, a []value.Value, i int) (bool, error) {
	b, err := value.ToBool(a[i])
	if err != nil {
		return false, argError(fn, i, "%v", err)
	}
	return b, nil
}

// argIP returns argument i as an IP; ok is false when it is not set.
func argIP(fn string, a []value.Value, i int) (ip netip.Addr, ok bool, err error) {
	v := a[i]
	if v.NotSet || (v.T == catalog.TypeIP && !v.IP.IsValid()) {
		return netip.Addr{}, false, nil
	}
	ip, err = value.ToIP(v)
	if err != nil {
		return netip.Addr{}, false, argError(fn, i, "%v", err)
	}
	return ip, true, nil
}

func init() {
	register("boltsort.sort", boltsortSort)
	register("http_status_matches", httpStatusMatches)
	register("addr.is_ipv4", addrIsIPv4)
	register("addr.is_ipv6", addrIsIPv6)
	register("addr.extract_bits", addrExtractBits)
}

// maxSortParams is the number of query parameters above which
// querystring.sort (and its alias boltsort.sort) leaves a URL unsorted.
const maxSortParams = 32

// boltsortSort implements boltsort.sort, the deprecated alias of
// querystring.sort: the URL with its query parameters stably sorted by name
// in byte order (upper case before lower case), duplicates kept unless
// only_unique_keys is true (then the first of each name is kept), and
// parameters without a name dropped. A URL with more than 32 parameters is
// returned unchanged.
func boltsortSort(env Env, a []value.Value) (value.Value, error) {
	const fn = "boltsort.sort"
	if argNotSet(a, 0) {
		return value.NullString(), nil
	}
	unique := false
	if len(a) == 2 {
		b, err := argBool(fn, a, 1)
		if err != nil {
			return value.Value{}, err
		}
		unique = b
	}
	url := argStr(a, 0)
	q := strings.IndexByte(url, '?')
	if q < 0 {
		return value.String(url), nil
	}
	path, query := url[:q], url[q+1:]
	var params []string
	for _, p := range strings.Split(query, "&") {
		if p == "" || strings.HasPrefix(p, "=") {
			continue
		}
		params = append(params, p)
	}
	if len(params) > maxSortParams {
		return value.String(url), nil
	}
	key := func(p string) string {
		if i := strings.IndexByte(p, '='); i >= 0 {
			return p[:i]
		}
		return p
	}
	sort.SliceStable(params, func(i, j int) bool { return key(params[i]) < key(params[j]) })
	if unique {
		kept := params[:0]
		for i, p := range params {
			if i > 0 && key(p) == key(params[i-1]) {
				continue
			}
			kept = append(kept, p)
		}
		params = kept
	}
	return value.String(path + "?" + strings.Join(params, "&")), nil
}

// httpStatusMatches implements http_status_matches: whether status is one of
// the comma-separated statuses in fmt, or with a leading "!" whether it is
// none of them.
func httpStatusMatches(env Env, a []value.Value) (value.Value, error) {
	const fn = "http_status_matches"
	status, err := argInt(fn, a, 0)
	if err != nil {
		return value.Value{}, err
	}
	list := argStr(a, 1)
	negate := strings.HasPrefix(list, "!")
	if negate {
		list = list[1:]
	}
	found := false
	for _, s := range strings.Split(list, ",") {
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err == nil && n == status {
			found = true
			break
		}
	}
	return value.Bool(found != negate), nil
}

// addrIsIPv4 implements addr.is_ipv4: whether the address family is IPv4.
func addrIsIPv4(env Env, a []value.Value) (value.Value, error) {
	ip, ok, err := argIP("addr.is_ipv4", a, 0)
	if err != nil {
		return value.Value{}, err
	}
	return value.Bool(ok && ip.Is4()), nil
}

// addrIsIPv6 implements addr.is_ipv6: whether the address family is IPv6
// (an IPv4-mapped IPv6 address is IPv6).
func addrIsIPv6(env Env, a []value.Value) (value.Value, error) {
	ip, ok, err := argIP("addr.is_ipv6", a, 0)
	if err != nil {
		return value.Value{}, err
	}
	return value.Bool(ok && ip.Is6()), nil
}

// addrExtractBits implements addr.extract_bits: bit_count bits (at most 32)
// starting at start_bit, counted from 0 at the lowest bit of the last byte,
// of the address seen as 128 bits (an IPv4 address is padded with zeros on
// the left). Fastly rejects invalid counts at compile time; the simulator
// reports them as errors. A not-set address gives 0.
func addrExtractBits(env Env, a []value.Value) (value.Value, error) {
	const fn = "addr.extract_bits"
	start, err := argInt(fn, a, 1)
	if err != nil {
		return value.Value{}, err
	}
	count, err := argInt(fn, a, 2)
	if err != nil {
		return value.Value{}, err
	}
	switch {
	case count < 0 || count > 32:
		return value.Value{}, argError(fn, 2, "bit count %d is not between 0 and 32", count)
	case start < 0 || start >= 128:
		return value.Value{}, argError(fn, 1, "start bit %d is not between 0 and 127", start)
	case start+count > 128:
		return value.Value{}, argError(fn, 2, "start bit plus bit count exceeds 128")
	}
	ip, ok, err := argIP(fn, a, 0)
	if err != nil {
		return value.Value{}, err
	}
	if !ok {
		return value.Integer(0), nil
	}
	var b [16]byte
	if ip.Is4() {
		v4 := ip.As4()
		copy(b[12:], v4[:])
	} else {
		b = ip.As16()
	}
	n := new(big.Int).SetBytes(b[:])
	n.Rsh(n, uint(start))
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(count)), big.NewInt(1))
	n.And(n, mask)
	return value.Integer(n.Int64()), nil
}
