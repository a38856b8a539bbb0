package vcltest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// rel shows p relative to dir when it is inside it.
func rel(dir, p string) string {
	if dir == "" {
		return p
	}
	if r, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

// WriteText writes the human-readable report: per file, one line per
// suite (✓ passed, ✗ failed, - skipped) with its scope, name and time; under
// a failure its file:line:col, the expected and actual values and the log
// lines; then the summary line. Paths are shown relative to dir.
func WriteText(w io.Writer, r *Report, dir string) {
	var b strings.Builder
	for _, fr := range r.Tests {
		b.WriteString(rel(dir, fr.File) + "\n")
		for _, s := range fr.Suites {
			writeSuite(&b, s, dir)
		}
		b.WriteString("\n")
	}
	b.WriteString(SummaryLine(r.Summaries) + "\n")
	io.WriteString(w, b.String())
}

// SuiteLine is one suite's line: mark, scope, name and time.
func SuiteLine(s *Suite) string {
	switch {
	case s.Skip:
		return fmt.Sprintf("- [%s] %s (skipped)", s.Scope, s.Name)
	case s.Error != "":
		return fmt.Sprintf("✗ [%s] %s (%.3fms)", s.Scope, s.Name, s.ElapsedTime)
	}
	return fmt.Sprintf("✓ [%s] %s (%.3fms)", s.Scope, s.Name, s.ElapsedTime)
}

func writeSuite(b *strings.Builder, s *Suite, dir string) {
	b.WriteString("  " + SuiteLine(s) + "\n")
	if s.Error == "" || s.Skip {
		return
	}
	loc := fmt.Sprintf("%s:%d:%d", rel(dir, s.File), s.Line, s.Position)
	if a := s.Assertion; a != nil {
		fmt.Fprintf(b, "      %s: %s: %s\n", loc, a.Func, a.Message)
		if a.Expected != "" || a.Actual != "" {
			fmt.Fprintf(b, "        expected: %s\n        actual:   %s\n", a.Expected, a.Actual)
		}
	} else {
		msg := s.Error
		if strings.HasPrefix(msg, s.File+":") {
			msg = rel(dir, s.File) + msg[len(s.File):]
			loc = ""
		}
		for i, line := range strings.Split(msg, "\n") {
			if i == 0 && loc != "" {
				line = loc + ": " + line
			}
			b.WriteString("      " + line + "\n")
		}
	}
	for _, l := range s.Logs {
		b.WriteString("        log: " + l + "\n")
	}
}

// SummaryLine is "N passed, N failed, N skipped, N total, N assertions".
func SummaryLine(s Summary) string {
	return fmt.Sprintf("%d passed, %d failed, %d skipped, %d total, %d assertions", s.Passes, s.Fails, s.Skips, s.Total, s.Assertions)
}

// WriteJSON writes the report in falco's `test -json` shape.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *struct{}     `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

func secs(ms float64) string { return fmt.Sprintf("%.6f", ms/1000) }

// WriteJUnit writes the report as JUnit XML: one testsuite per test file,
// one testcase per suite.
func WriteJUnit(w io.Writer, r *Report, dir string) error {
	out := junitSuites{Name: "vclide test", Tests: r.Summaries.Total, Failures: r.Summaries.Fails, Skipped: r.Summaries.Skips, Time: secs(r.Summaries.ElapsedTime)}
	for _, fr := range r.Tests {
		js := junitSuite{Name: rel(dir, fr.File)}
		var total float64
		for _, s := range fr.Suites {
			jc := junitCase{Name: s.Name, Classname: strings.TrimSuffix(filepath.Base(fr.File), ".vcl"), File: rel(dir, fr.File), Line: s.SubLine, Time: secs(s.ElapsedTime)}
			total += s.ElapsedTime
			js.Tests++
			switch {
			case s.Skip:
				js.Skipped++
				jc.Skipped = &struct{}{}
			case s.Error != "":
				js.Failures++
				typ := "error"
				if s.Assertion != nil {
					typ = s.Assertion.Func
				}
				jc.Failure = &junitFailure{Message: s.Error, Type: typ, Text: fmt.Sprintf("%s:%d:%d: %s", rel(dir, s.File), s.Line, s.Position, s.Error)}
			}
			if len(s.Logs) > 0 {
				jc.SystemOut = strings.Join(s.Logs, "\n")
			}
			js.Cases = append(js.Cases, jc)
		}
		js.Time = secs(total)
		out.Suites = append(out.Suites, js)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
