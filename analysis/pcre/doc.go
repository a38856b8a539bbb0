// Package pcre understands the Perl-compatible regular expressions that
// Fastly VCL uses for the `~` and `!~` operators and for the regsub and
// regsuball functions.
//
// It has three parts:
//
//   - Check is a hand-written validator for PCRE2 syntax. It reports the
//     first construct PCRE2 would reject (unbalanced parentheses, a
//     quantifier with nothing to repeat, a bad {n,m} range, an unterminated
//     character class, an unknown escape, a malformed group, a reference to
//     a group that does not exist, an unbounded look-behind, ...) with the
//     byte offset of the offending construct.
//   - Features tells whether Go's RE2-based regexp package can run the
//     pattern with the same meaning and, when it cannot, why (look-ahead,
//     backreference, possessive quantifier, ...).
//   - Regexp compiles a pattern for the interpreter. A pattern RE2 can run
//     is translated to Go regexp syntax (so that PCRE-only spellings such as
//     \h, (?x) or \Q…\E keep their meaning); anything else is translated to
//     the syntax of github.com/dlclark/regexp2, a backtracking engine, with
//     a match timeout so that a catastrophic pattern cannot hang the caller.
//     Its ReplaceFirst and ReplaceAll methods implement the replacement
//     syntax of regsub and regsuball.
//
// Semantics follow PCRE2 with its default options, as Fastly documents:
// \d, \w, \s, \b and POSIX classes are ASCII-only, "." does not match a
// newline, and "$" matches at the end of the subject or before a newline
// that ends it.
package pcre
