package builtin

import (
	"errors"
	"sync"

	"github.com/vclide/vclide/analysis/pcre"
	"github.com/vclide/vclide/interp/value"
)

// This file implements regsub and regsuball with the PCRE engine of
// analysis/pcre, which also expands the replacement syntax (\1 … \9 and
// \{N}).

func init() {
	register("regsub", regsubFunc("regsub", false))
	register("regsuball", regsubFunc("regsuball", true))
}

// regexCacheLimit bounds the compiled-pattern cache; when it is full the
// cache starts afresh (VCL programs use a fixed, small set of patterns).
const regexCacheLimit = 1024

var (
	regexCacheMu sync.Mutex
	regexCache   = map[string]*pcre.Regexp{}
)

// compileRegex returns the compiled pattern, caching it.
func compileRegex(pattern string) (*pcre.Regexp, error) {
	regexCacheMu.Lock()
	defer regexCacheMu.Unlock()
	if re, ok := regexCache[pattern]; ok {
		return re, nil
	}
	re, err := pcre.Compile(pattern)
	if err != nil {
		return nil, err
	}
	if len(regexCache) >= regexCacheLimit {
		regexCache = map[string]*pcre.Regexp{}
	}
	regexCache[pattern] = re
	return re, nil
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
		if err := checkArgs(fn, a, 3, 3); err != nil {
			return value.Value{}, err
		}
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
