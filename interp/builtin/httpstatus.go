package builtin

import (
	"strconv"
	"strings"

	"github.com/vclide/vclide/interp/value"
)

func init() {
	register("http_status_matches", httpStatusMatches)
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
