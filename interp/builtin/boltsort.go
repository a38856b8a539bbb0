package builtin

import (
	"sort"
	"strings"

	"github.com/vclide/vclide/interp/value"
)

func init() {
	register("boltsort.sort", boltsortSort)
}

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

// maxSortParams is the number of query parameters above which
// querystring.sort (and its alias boltsort.sort) leaves a URL unsorted.
const maxSortParams = 32
