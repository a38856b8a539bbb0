package pcre

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// corpusPatterns are regular expressions taken verbatim from the VCL
// corpus (the right operand of ~ and the pattern argument of regsub or
// regsuball). Fastly accepts all of them.
var corpusPatterns = []string{
	`^/api`,
	`text/html`,
	`max-age=0`,
	`Opera Mobi`,
	`^(Nokia)`,
	`\bbr\b`,
	`^cache\z`,
	`^\s*$`,
	`HIT(?:-|\z)`,
	`.*?(/status$)`,
	`^/big-screen.*$`,
	`(?:s-maxage|max-age)`,
	`(?:private|no-cache|no-store)`,
	`(?i)Accept-Encoding`,
	`(?i)Store,\s*Content-Currency`,
	`(?i) Instagram [\d.]+`,
	`(?i) vivaldi/[\d\.]+\d+`,
	`(?i) GSA\/[\d.]+`,
	`(?i)[^&=]*callback=([^&]+)`,
	`(?i)[^&=]*version=3\.25\.1(&|$)`,
	`(?i)^(gif|png|jpg|jpeg|webp)$`,
	`(?i)^/(typo3temp|fileadmin|_assets)/`,
	`(?i)/autodiscover/autodiscover.xml$`,
	`(?i)^(?:/\.well[-_]known)?/security\.txt$`,
	`(?i) \[(FB_IAB|FBAN|FBIOS|FB4A)/[^\]]+\]`,
	`(?i)^(\w+)\/(\d+)(?:\.(\d+)(?:\.(\d+))?)?$`,
	`(?i)^\/((us)\/?)?$`,
	`[\?\&]ABTest-YourTest=variant4(&|$)`,
	`^https?\:\/\/([^\/:?#]+)(?:[\/:?#]|$)`,
	`(Phantom)/V(\d+)\.(\d+)`,
	`(Firefox)/(\d+)\.(\d+)(b\d+[a-z]*)`,
	`(Nokia)[EN]?(\d+)`,
	`(OLPC)/Update()\.(\d+)`,
	`; wv\).+(Chrome)/(\d+)\.(\d+)\.(\d+)\.(\d+)`,
	`(iPod|iPhone|iPad).+AppleWebKit\/532\+`,
	`(RCM CardDAV plugin)/(\d+)\.(\d+)\.(\d+(?:-dev|))`,
	`^(.*)-iPad\/(\d+)(?:\.(\d+)|)(?:\.(\d+)|)(?:\.(\d+)|) CFNetwork`,
	`(iPod|iPod touch|iPhone|iPad);.*CPU.*OS[ +](\d+)_(\d+)(?:_(\d+)|).*Mobile`,
	`((CriOS|OPiOS)/(\d+)\.(\d+)\.(\d+)\.(\d+)|(FxiOS/(\d+)\.(\d+)))`,
	`(Java)[/ ]{0,1}\d+\.(\d+)\.(\d+)[_-]*([a-zA-Z0-9]+|)`,
	`(Python/3\.\d{1,3} aiohttp)/(\d+)\.(\d+)\.(\d+)`,
	`(^[\s\S]{0,300})`,
	`^(ViaFree|Viafree)-(?:tvOS-)?[A-Z]{2}/(\d+)\.(\d+)\.(\d+)`,
	`^(S3 Browser) (\d+)-(\d+)-(\d+)(?:\s*http://s3browser\.com|)`,
	`\b(Dolphin)(?: |HDCN/|/INT\-)(\d+)\.(\d+)(?:\.(\d+)|)`,
	`((?:[A-Za-z][A-Za-z0-9 -]{0,50}|)[^C][^Uu][Bb]ot)\b(?:(?:[ /]| v)(\d+)(?:\.(\d+)|)(?:\.(\d+)|)|)`,
	`\b(Boto3?|JetS3t|aws-(?:cli|sdk-(?:cpp|go|java|nodejs|ruby2?|dotnet-(?:\d{1,2}|core)))|s3fs)/(\d+)\.(\d+)(?:\.(\d+)|)`,
	`(iPod|iPod touch|iPhone|iPad);.*CPU.*OS[ +](\d+)_(\d+)(?:_(\d+)|).* like Gecko\) (?!Version\/[\d.]+)[A-Za-z]+\/[\d.]+`,
	`^(?!/).*`,
	`^/(index\.php/)?####ADMIN_PATH####/`,
	`%22usage%22:true`,
	`\?.*$`,
	`^Basic `,
	`^0x`,
	`[^\d.]`,
}

func TestCheckCorpusPatterns(t *testing.T) {
	if len(corpusPatterns) < 40 {
		t.Fatalf("only %d corpus patterns", len(corpusPatterns))
	}
	for _, p := range corpusPatterns {
		if err := Check(p); err != nil {
			t.Errorf("Check(%q) = %v, want nil", p, err)
		}
		if _, err := Compile(p); err != nil {
			t.Errorf("Compile(%q) = %v", p, err)
		}
	}
}

// validPatterns lists every kind of construct PCRE2 accepts.
var validPatterns = []string{
	`(?=a)`, `(?!a)`, `(?<=ab)`, `(?<!a|bc)`, `(?<=ab|c)`, `(?<=(?=a*)b)`,
	`(\w)\1`, `(?<n>a)\k<n>`, `(?P<n>a)(?P=n)`, `(?'n'a)\k'n'`, `(?<n>a)\k{n}`,
	`(a)\g{1}`, `(a)\g-1`, `(a)\g{-1}`, `(a)\10`,
	`(?>a+)`, `a++`, `a*+`, `a?+`, `a{2,3}+`, `(*atomic:a+)`,
	`(?i)abc`, `(?i:abc)`, `(?-i)`, `(?im-sx)`, `(?^i)`, `(?U)a+`, `(?n)(a)`, `(?s).`, `(?m)^a$`,
	`(?J)(?<n>a)|(?<n>b)`,
	`\Qa.b*c\E`, `\Q(unterminated`, `\E`, `a\Q\E*`, `[\Q]\E]`,
	`\p{L}`, `\pL`, `\P{Lu}`, `\p{^Greek}`,
	`[[:alpha:]]`, `[[:^digit:]_]`,
	`\x{41}`, `\x41`, `\x`, `\o{101}`, `\101`, `\0`, `\cA`, `[\8]`, `[\b]`, `[\x{100}-\x{200}]`,
	`\d\w\s\D\W\S\b\B\A\z\Z\G`, `\h\H\v\V\R\N\X\K\C`, `\N{3}`,
	`(?#comment)a`, `a(?#c)*`, "(?x) a b # comment\n c", `(?x)a + b`,
	`[]a]`, `[^]a]`, `[a-]`, `[-a]`, `[\]]`, `[\w-]`, `[a\-z]`,
	`a{,3}`, `{`, `x{`, `a{1,}`, `}`, `]`,
	`(?|(a)|(b))\1`, `(a)?(?(1)b|c)`, `(?<n>a)?(?(<n>)b|c)`, `(?(R)a|b)`,
	`(?(DEFINE)(?<d>\d))(?&d)`, `(?(?=a)a|b)`, `(?(VERSION>=10.3)a|b)`, `(?(+1)a|b)(c)`,
	`(a)(?1)`, `(?R)?`, `(?+1)(a)`, `\g<1>(a)`,
	`(*FAIL)`, `a(*ACCEPT)?`, `(*MARK:x)`, `(*:x)`, `(*SKIP)`, `(*COMMIT)`, `(*PRUNE:n)`,
	`(*UTF)a`, `(*LIMIT_MATCH=100)a`, `(*pla:a)`, `(?*a)`, `(?<*a)`,
	`(?C)`, `(?C1)`, `(?C"text")`,
}

// TestCheckValidConstructs checks that every kind of construct PCRE2
// accepts is accepted.
func TestCheckValidConstructs(t *testing.T) {
	for _, p := range validPatterns {
		if err := Check(p); err != nil {
			t.Errorf("Check(%q) = %v, want nil", p, err)
		}
	}
}

// invalidPatterns are patterns PCRE2 rejects, with the offset and message
// of the error.
var invalidPatterns = []struct {
	pattern string
	offset  int
	msg     string
}{
	{"(abc", 0, "missing closing parenthesis"},
	{"(?#ok)(", 6, "missing closing parenthesis"},
	{"abc)", 3, "unmatched closing parenthesis"},
	{"*a", 0, "quantifier does not follow a repeatable item"},
	{"a|+b", 2, "quantifier does not follow a repeatable item"},
	{"(?:+a)", 3, "quantifier does not follow a repeatable item"},
	{"a**", 2, "quantifier does not follow a repeatable item"},
	{"x{2}{3}", 4, "quantifier does not follow a repeatable item"},
	{"^*", 1, "quantifier does not follow a repeatable item"},
	{`\b+`, 2, "quantifier does not follow a repeatable item"},
	{"(?i)*", 4, "quantifier does not follow a repeatable item"},
	{"a{3,1}", 1, "numbers out of order in {} quantifier"},
	{"a{70000}", 1, "number too big in {} quantifier"},
	{"[abc", 0, "missing terminating ] for character class"},
	{"[z-a]", 1, "range out of order in character class"},
	{`[a-\d]`, 1, "invalid range in character class"},
	{`[\d-z]`, 1, "invalid range in character class"},
	{"[[:foo:]]", 1, "unknown POSIX class name"},
	{"[:alpha:]", 0, "POSIX named classes are supported only within a class"},
	{"[[.a.]]", 1, "POSIX collating elements are not supported"},
	{`[\B]`, 1, "escape sequence is invalid in character class"},
	{`abc\`, 3, `\ at end of pattern`},
	{`\y`, 0, `unrecognized character follows \`},
	{`\Fx`, 0, `PCRE2 does not support \F, \L, \l, \N{name}, \U, or \u`},
	{`\x{110000}`, 0, `character code point value in \x{} or \o{} is too large`},
	{`\x{41`, 0, `missing closing brace in \x{}`},
	{`\o{8}`, 0, `non-octal character in \o{} (closing brace missing?)`},
	{`\cé`, 0, `\c must be followed by a printable ASCII character`},
	{`\p{`, 0, `malformed \P or \p sequence`},
	{"(?<name", 6, "syntax error in subpattern name (missing terminator?)"},
	{"(?<1a>x)", 3, "subpattern name must start with a non-digit"},
	{"(?<n>a)(?<n>b)", 10, "two named subpatterns have the same name"},
	{"(?X)", 2, "unrecognized character after (? or (?-"},
	{"(?pattern)?i", 2, "unrecognized character after (? or (?-"}, // from a corpus test fixture
	{"(?P-x)", 3, "unrecognized character after (?P"},
	{"(?i-m-s)", 5, "invalid hyphen in option setting"},
	{"(?<=a+)b", 0, "lookbehind assertion is not fixed length"},
	{"(?<=a|b*)", 0, "lookbehind assertion is not fixed length"},
	{`(a)\2`, 3, "reference to non-existent subpattern"},
	{`\k<nope>(?<yes>a)`, 0, "reference to non-existent subpattern"},
	{`\g0`, 0, "reference to non-existent subpattern"},
	{"(?-1)", 2, "reference to non-existent subpattern"},
	{"(?'a'x)(?&b)", 7, "reference to non-existent subpattern"},
	{"(?(<x>)a)", 0, "reference to non-existent subpattern"},
	{"(?(1)a|b|c)(x)", 0, "conditional subpattern contains more than two branches"},
	{"(?(?:a)b)", 2, "assertion expected after (?( or (?(?C)"},
	{"(?(VERSION>=x)a)", 3, "syntax error or number too big in (?(VERSION condition"},
	{"a(?#unterminated", 1, "missing ) after (?# comment"},
	{"(*FOO)", 0, "(*VERB) not recognized or malformed"},
	{"(*MARK)", 0, "(*MARK) must have an argument"},
	{"(?R", 0, "(?R (recursive pattern call) must be followed by )"},
	{"(?C256)", 0, "number after (?C is greater than 255"},
}

func TestCheckInvalid(t *testing.T) {
	tests := invalidPatterns
	for _, tc := range tests {
		err := Check(tc.pattern)
		if err == nil {
			t.Errorf("Check(%q) = nil, want error at %d", tc.pattern, tc.offset)
			continue
		}
		if err.Offset != tc.offset || !strings.Contains(err.Msg, tc.msg) {
			t.Errorf("Check(%q) = %d %q, want %d %q", tc.pattern, err.Offset, err.Msg, tc.offset, tc.msg)
		}
		if err.End <= err.Offset || err.End > len(tc.pattern) {
			t.Errorf("Check(%q): span [%d,%d) outside the pattern", tc.pattern, err.Offset, err.End)
		}
		if _, cerr := Compile(tc.pattern); cerr == nil {
			t.Errorf("Compile(%q) succeeded on an invalid pattern", tc.pattern)
		}
	}
	if n := len(tests); n < 20 {
		t.Fatalf("only %d invalid patterns", n)
	}
}

// TestCheckWholeCorpus checks every pattern in the shared VCL corpus when
// it is present next to the repository.
func TestCheckWholeCorpus(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(root); err != nil {
		t.Skip("shared corpus not present")
	}
	quoted := regexp.MustCompile(`(?:!?~|regsub(?:all)?\s*\([^,;]+?,)\s*(?:\{"(.*?)"\}|"([^"\n]*)")`)
	// Patterns in the corpus that PCRE2 rejects: a placeholder in a test
	// fixture of fastly/fastly-magento2.
	knownBad := map[string]bool{"(?pattern)?i": true}
	seen := 0
	err := filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<22)
		for sc.Scan() {
			for _, m := range quoted.FindAllStringSubmatch(sc.Text(), -1) {
				p := m[1] + m[2]
				seen++
				if cerr := Check(p); (cerr != nil) != knownBad[p] {
					t.Errorf("%s: Check(%q) = %v", path, p, cerr)
				}
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 100 {
		t.Errorf("found only %d patterns in the corpus", seen)
	}
}
