package format

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis/syntax"
)

const corpusDir = "/work/shared/corpus/vcl"

// checkFormatted asserts the properties every formatted file must have:
// the printer needed no fallback, formatting is idempotent, the output
// parses, comments are unchanged and the token sequence is unchanged apart
// from the documented normalisations.
func checkFormatted(t testing.TB, name, src string) string {
	t.Helper()
	f := syntax.Parse(name, src)
	if len(f.Errors) > 0 {
		t.Fatalf("%s: input has syntax errors", name)
	}
	out, p := format(f, Options{}, false)
	if p.fallbacks > 0 {
		t.Errorf("%s: %d item(s) copied verbatim after a mismatch: %s", name, p.fallbacks, p.lastMismatch)
	}
	g := syntax.Parse(name, out)
	if len(g.Errors) > 0 {
		e := g.Errors[0]
		pos := g.Source.Position(e.Start)
		t.Fatalf("%s: output does not parse: %d:%d: %s\n%s", name, pos.Line, pos.Col, e.Msg, excerpt(out, pos.Line))
	}
	again, p2 := format(g, Options{}, false)
	if again != out {
		t.Errorf("%s: not idempotent:\n%s", name, firstDiff(out, again))
	}
	if p2.fallbacks > 0 {
		t.Errorf("%s: second pass needed a fallback", name)
	}
	if a, b := commentTexts(src), commentTexts(out); a != b {
		t.Errorf("%s: comments changed:\n%s", name, firstDiff(a, b))
	}
	if a, b := tokenTexts(src), tokenTexts(out); a != b {
		t.Errorf("%s: tokens changed:\n%s", name, firstDiff(a, b))
	}
	return out
}

// commentTexts returns the sorted comment texts of src, one per line
// (trailing blanks of line comments ignored).
func commentTexts(src string) string {
	src = stripCR(src) // the output's line breaks are LF
	var texts []string
	sc := syntax.NewScanner(src, nil)
	for t := sc.Next(); t.Kind != syntax.EOF; t = sc.Next() {
		switch t.Kind {
		case syntax.COMMENT, syntax.MACRO:
			text := t.Text
			if !strings.HasPrefix(text, "/*") {
				text = strings.TrimRight(text, " \t\r")
			}
			texts = append(texts, fmt.Sprintf("%q", text))
		}
	}
	sort.Strings(texts)
	return strings.Join(texts, "\n")
}

// tokenTexts returns the significant tokens of src, one per line, after the
// normalisations the formatter makes: parentheses added after return, a
// comma added after the last table entry, empty statements dropped.
// (Dropped tokens are recognised by what precedes them.)
func tokenTexts(src string) string {
	src = stripCR(src) // long strings hold the output's line breaks
	var toks []syntax.Tok
	sc := syntax.NewScanner(src, nil)
	for t := sc.Next(); t.Kind != syntax.EOF; t = sc.Next() {
		if t.Kind != syntax.COMMENT && t.Kind != syntax.MACRO {
			toks = append(toks, t)
		}
	}
	var out []string
	skip := map[int]bool{}
	match := func(j int) int { // index of the ')' closing toks[j]
		depth := 0
		for k := j; k < len(toks); k++ {
			switch toks[k].Kind {
			case syntax.LPAREN:
				depth++
			case syntax.RPAREN:
				if depth--; depth == 0 {
					return k
				}
			}
		}
		return -1
	}
	nextKept := func(k int) int {
		for k++; k < len(toks) && skip[k]; k++ {
		}
		return k
	}
	for i, t := range toks {
		if t.Kind != syntax.IDENT || t.Text != "return" {
			continue
		}
		// Strip parentheses that wrap the whole returned value.
		for j := i + 1; j < len(toks) && toks[j].Kind == syntax.LPAREN; j++ {
			k := match(j)
			if k < 0 {
				break
			}
			if n := nextKept(k); n >= len(toks) || toks[n].Kind != syntax.SEMICOLON {
				break
			}
			skip[j], skip[k] = true, true
		}
	}
	for i, t := range toks {
		switch {
		case skip[i]:
			continue
		case t.Kind == syntax.COMMA && i+1 < len(toks) && toks[i+1].Kind == syntax.RBRACE:
			continue
		case t.Kind == syntax.SEMICOLON && (i == 0 || toks[i-1].Kind == syntax.SEMICOLON ||
			toks[i-1].Kind == syntax.LBRACE || toks[i-1].Kind == syntax.RBRACE || toks[i-1].Kind == syntax.COLON):
			// Empty statements are dropped; this also ignores the optional
			// ';' after a nested property object, which the golden files
			// cover. (A ':' before it ends a label.)
			continue
		}
		out = append(out, fmt.Sprintf("%s %q", t.Kind, t.Text))
	}
	return strings.Join(out, "\n")
}

// firstDiff describes the first differing line of two texts.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) || i < len(lb); i++ {
		var x, y string
		if i < len(la) {
			x = la[i]
		}
		if i < len(lb) {
			y = lb[i]
		}
		if x != y || i >= len(la) || i >= len(lb) {
			lo := max(0, i-3)
			return fmt.Sprintf("line %d:\n--- first\n%s\n+++ second\n%s", i+1,
				strings.Join(la[lo:min(len(la), i+4)], "\n"), strings.Join(lb[lo:min(len(lb), i+4)], "\n"))
		}
	}
	return "(identical)"
}

func excerpt(text string, line int) string {
	lines := strings.Split(text, "\n")
	lo, hi := max(0, line-4), min(len(lines), line+3)
	return strings.Join(lines[lo:hi], "\n")
}

// TestCorpus formats every file of the shared VCL corpus that parses and
// checks the formatter's invariants on it.
func TestCorpus(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skip("corpus not available")
	}
	checked, skipped := 0, 0
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".vcl") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if len(syntax.Parse(path, string(b)).Errors) > 0 {
			skipped++
			return nil
		}
		checked++
		t.Run(strings.TrimPrefix(path, corpusDir+"/"), func(t *testing.T) {
			checkFormatted(t, path, string(b))
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("corpus: %d files checked, %d skipped (syntax errors)", checked, skipped)
}

// TestCommentInjection inserts line comments, block comments, multi-line
// block comments and line breaks after each token of the golden inputs (and after
// a sample of tokens of the corpus files) and checks the invariants on every
// variant that still parses.
func TestCommentInjection(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(goldenDir, "*.vcl"))
	step := map[string]int{}
	for _, f := range files {
		step[f] = 1
	}
	if _, err := os.Stat(corpusDir); err == nil && !testing.Short() {
		_ = filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".vcl") {
				files = append(files, path)
				step[path] = 151
			}
			return nil
		})
	}
	inserts := []string{" # injected\n", " /* injected */ ", "\n/* injected\n   block */\n", "\n\n# injected own line\n",
		"\n", "\n\n\n", "/* x */\n"}
	variants := 0
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		if len(syntax.Parse(file, src).Errors) > 0 {
			continue
		}
		var ends []syntax.Pos
		sc := syntax.NewScanner(src, nil)
		for tk := sc.Next(); tk.Kind != syntax.EOF; tk = sc.Next() {
			ends = append(ends, tk.End)
		}
		for k := 0; k < len(ends); k += step[file] {
			for j, ins := range inserts {
				if (step[file] > 1 || testing.Short()) && j != k%len(inserts) {
					continue // corpus files, or -short: one kind per spot
				}
				v := src[:ends[k]] + ins + src[ends[k]:]
				if len(syntax.Parse(file, v).Errors) > 0 {
					continue
				}
				variants++
				checkFormatted(t, fmt.Sprintf("%s+comment@%d", file, ends[k]), v)
				if t.Failed() {
					t.Fatalf("variant:\n%s", v)
				}
			}
		}
	}
	t.Logf("%d variants checked", variants)
}
