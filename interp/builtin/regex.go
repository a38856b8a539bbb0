package builtin

import (
	"errors"
	"strings"

	"github.com/vclide/vclide/analysis/pcre"
	"github.com/vclide/vclide/internal/lru"
	"github.com/vclide/vclide/interp/value"
)

// This file implements regsub and regsuball with the PCRE engine of
// analysis/pcre, which also expands the replacement syntax (\1 … \9 and
// \{N}).

func init() {
	register("regsub", regsubFunc("regsub", false))
	register("regsuball", regsubFunc("regsuball", true))
}

// regexCacheBytes bounds each cache of compiled runtime patterns. Patterns
// can come from request data (a header passed to regsub or
// querystring.regfilter), so a count bound would not do: `serve` kept
// every distinct pattern it ever saw.
const regexCacheBytes = 8 << 20

// regexCost estimates the memory a compiled pattern keeps alive: the
// engines' programs grow with the pattern (measured: about 14 KB for a
// 50-byte pattern).
func regexCost(re *pcre.Regexp) int64 { return 4096 + 256*int64(len(re.String())) }

// regexCache holds the patterns of regsub and regsuball.
var regexCache = lru.NewStrings(regexCacheBytes, regexCost)

// compileCached returns the pattern compiled, from cache when it can.
func compileCached(c *lru.Cache[string, *pcre.Regexp], pattern string) (*pcre.Regexp, error) {
	if re, ok := c.Get(pattern); ok {
		return re, nil
	}
	// The compiled pattern keeps its source: copy it, so that the cache
	// does not keep alive the request data it was sliced from.
	re, err := pcre.Compile(strings.Clone(pattern))
	if err != nil {
		return nil, err
	}
	c.Add(pattern, re)
	return re, nil
}

// compileRegex returns the compiled pattern of regsub or regsuball.
func compileRegex(pattern string) (*pcre.Regexp, error) {
	return compileCached(regexCache, pattern)
}

// regsubFunc implements regsub(input, pattern, replacement), which replaces
// the first match of pattern, and regsuball, which replaces every match,
// resuming after each replacement (reference: functions/strings/regsub and
// regsuball). Neither sets re.group.*. When the match gives up on too much
// backtracking, fastly.error is set to EREGRECUR and input is returned
// unchanged. A pattern that does not compile is an error (Fastly rejects it
// when compiling the VCL). A not-set input is matched as "" and stays not set
// when nothing is substituted into it.
func regsubFunc(fn string, all bool) Func {
	return func(env Env, a []value.Value) (value.Value, error) {
		re, err := compileRegex(a[1].Str)
		if err != nil {
			return value.Value{}, argError(fn, 1, "%v", err)
		}
		in, repl := argStr(a, 0), argStr(a, 2)
		var out string
		if all {
			out, err = re.TryReplaceAll(in, repl)
		} else {
			out, err = re.TryReplaceFirst(in, repl)
		}
		if err != nil {
			if !errors.Is(err, pcre.ErrMatchLimit) {
				return value.Value{}, err
			}
			setFastlyErr(env, "EREGRECUR")
			out = in
		}
		if argNotSet(a, 0) && out == "" {
			return value.NullString(), nil
		}
		return value.String(out), nil
	}
}
