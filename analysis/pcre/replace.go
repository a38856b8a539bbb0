package pcre

// TryReplaceFirst implements regsub: it replaces the first match in s with
// repl, expanded as Fastly documents:
//
//   - \0 through \9 insert re.group.0 … re.group.9; only the one digit
//     after the backslash is read, so "\100" is group 1 then "00";
//   - \{N} inserts group N, for numbers above 9 (Fastly documents \{1}
//     through \{19});
//   - a group that does not exist or did not take part inserts nothing;
//   - a backslash before any other character inserts that character, and a
//     backslash at the end is kept.
//
// Without a match, s is returned unchanged. On error (the match limit), s
// is returned with the error.
func (r *Regexp) TryReplaceFirst(s, repl string) (string, error) {
	return r.replace(s, repl, 1)
}

// TryReplaceAll implements regsuball: like TryReplaceFirst for every
// match, scanning on from the end of each replaced match, so
// regsuball("aaa", "a", "aa") is "aaaaaa".
func (r *Regexp) TryReplaceAll(s, repl string) (string, error) {
	return r.replace(s, repl, -1)
}

// ReplaceFirst is TryReplaceFirst without the error.
func (r *Regexp) ReplaceFirst(s, repl string) string {
	out, _ := r.TryReplaceFirst(s, repl)
	return out
}

// ReplaceAll is TryReplaceAll without the error.
func (r *Regexp) ReplaceAll(s, repl string) string {
	out, _ := r.TryReplaceAll(s, repl)
	return out
}

func (r *Regexp) replace(s, repl string, n int) (string, error) {
	ms, err := r.find(s, n)
	if err != nil {
		return s, err
	}
	if len(ms) == 0 {
		return s, nil
	}
	var out []byte
	last := 0
	for _, m := range ms {
		out = append(out, s[last:m[0]]...)
		out = expand(out, repl, s, m)
		last = m[1]
	}
	out = append(out, s[last:]...)
	return string(out), nil
}

// expand appends repl to dst with group references replaced.
func expand(dst []byte, repl, s string, m []int) []byte {
	group := func(g int) {
		if 2*g+1 < len(m) && m[2*g] >= 0 {
			dst = append(dst, s[m[2*g]:m[2*g+1]]...)
		}
	}
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '\\' || i+1 >= len(repl) {
			dst = append(dst, c)
			continue
		}
		d := repl[i+1]
		switch {
		case isDigit(d):
			group(int(d - '0'))
			i++
			continue
		case d == '{':
			j, g := i+2, 0
			for j < len(repl) && j < i+4 && isDigit(repl[j]) {
				g = g*10 + int(repl[j]-'0')
				j++
			}
			if j > i+2 && j < len(repl) && repl[j] == '}' {
				group(g)
				i = j
				continue
			}
		}
		dst = append(dst, d)
		i++
	}
	return dst
}
