package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/format"
	"github.com/vclide/vclide/internal/safewrite"
)

func init() {
	register(command{"fmt", "format VCL files", runFmt})
}

// fmtStdin lets tests replace standard input.
var fmtStdin io.Reader = os.Stdin

// runFmt formats files. Without -w the formatted text goes to stdout; -w
// rewrites files in place; --check lists the files that are not formatted
// and exits 1 if there are any; --diff prints a unified diff per changed
// file and exits 1 if there is one. A file with syntax errors is reported
// on stderr and left alone; the exit code is then 2, after the other files
// have been processed. With no
// file (or "-") standard input is formatted to standard output.
func runFmt(args []string, stdout, stderr io.Writer) int {
	fl := newCmdFlags("fmt", "vclide fmt [flags] [FILE_OR_DIR... | -]",
		"Format VCL files. Without -w, --check or --diff the formatted text goes to stdout;\nwith no file (or -) standard input is formatted.\nExit 1 when --check or --diff finds unformatted files, 2 on syntax, I/O or usage errors.", stderr)
	write := fl.Bool("w", false, "write the formatted text back to the files")
	check := fl.Bool("check", false, "list files whose formatting differs and exit 1 if any (for CI)")
	diff := fl.Bool("diff", false, "print a unified diff of the changes")
	indent := fl.Int("indent", 2, "spaces per indentation level")
	tabs := fl.Bool("tabs", false, "indent with tabs")
	eol := fl.String("line-endings", "keep", "line breaks to write: keep (CRLF files stay CRLF), lf or crlf")
	pos, exit, ok := fl.parse(args, stdout)
	if !ok {
		return exit
	}
	if *indent < 1 || *indent > 16 {
		fmt.Fprintf(stderr, "vclide fmt: --indent must be between 1 and 16, not %d\n", *indent)
		return 2
	}
	lineEndings, err := format.ParseLineEndings(*eol)
	if err != nil {
		fmt.Fprintln(stderr, "vclide fmt: --"+err.Error())
		return 2
	}
	opts := format.Options{IndentWidth: *indent, UseTabs: *tabs, LineEndings: lineEndings}
	if len(pos) == 0 || len(pos) == 1 && pos[0] == "-" {
		if *write {
			fmt.Fprintln(stderr, "vclide fmt: cannot use -w with standard input")
			return 2
		}
		src, err := io.ReadAll(fmtStdin)
		if err != nil {
			fmt.Fprintln(stderr, "vclide fmt:", err)
			return 2
		}
		return fmtOne("<stdin>", "", src, opts, fmtMode{check: *check, diff: *diff}, stdout, stderr)
	}
	files, err := collectVCL(pos)
	if err != nil {
		fmt.Fprintln(stderr, "vclide fmt:", err)
		return 2
	}
	mode := fmtMode{write: *write, check: *check, diff: *diff}
	// The workspace refuses devices, FIFOs and files over max_file_size
	// before reading them; its configuration's problems are lint's to report.
	ws, _ := analysis.OpenWorkspace(analysis.WorkspaceSpec{Start: files[0]})
	for _, path := range files {
		text, err := ws.ReadFile(path, nil)
		src := []byte(text)
		if err != nil {
			fmt.Fprintln(stderr, "vclide fmt:", err)
			exit = 2
			continue
		}
		if code := fmtOne(displayPath(path), path, src, opts, mode, stdout, stderr); code > exit {
			exit = code
		}
	}
	return exit
}

// fmtMode is what runFmt does with each formatted file.
type fmtMode struct{ write, check, diff bool }

// fmtOne formats one file (path is empty for standard input) and returns
// its exit code: 2 for a syntax or I/O error, 1 when --check or --diff
// finds it unformatted, else 0.
func fmtOne(name, path string, src []byte, opts format.Options, mode fmtMode, stdout, stderr io.Writer) int {
	out, err := format.Source(name, string(src), opts)
	if err != nil {
		var se *format.SyntaxError
		if errors.As(err, &se) {
			fmt.Fprintf(stderr, "%s (not formatted)\n", err)
		} else {
			fmt.Fprintln(stderr, "vclide fmt:", err)
		}
		return 2
	}
	changed := out != string(src)
	if !mode.write && !mode.check && !mode.diff {
		io.WriteString(stdout, out)
		return 0
	}
	if !changed {
		return 0
	}
	if mode.check {
		fmt.Fprintln(stdout, name)
	}
	if mode.diff {
		io.WriteString(stdout, unifiedDiff(name, string(src), out))
	}
	if mode.write && path != "" {
		// Never truncate in place: a failed write would lose the file.
		if err := safewrite.Replace(path, []byte(out)); err != nil {
			fmt.Fprintln(stderr, "vclide fmt:", err)
			return 2
		}
	}
	if mode.check || mode.diff {
		return 1
	}
	return 0
}

// displayPath shortens an absolute path to one relative to the working
// directory when it lies below it.
func displayPath(abs string) string {
	wd, err := os.Getwd()
	if err != nil {
		return abs
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return abs
	}
	return rel
}

// unifiedDiff returns a unified diff (3 lines of context) from a to b.
func unifiedDiff(name, a, b string) string {
	al, bl := splitLines(a), splitLines(b)
	ops := diffLines(al, bl)
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "--- %s\n+++ %s (formatted)\n", name, name)
	const ctx = 3
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		// A hunk runs from ctx lines before the change to ctx lines after
		// the last change that is within 2*ctx lines of the previous one.
		start := max(0, i-ctx)
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].kind != ' ' {
				end = j
			} else if j-end > 2*ctx {
				break
			}
		}
		end = min(len(ops), end+ctx+1)
		aLine, bLine := ops[start].a+1, ops[start].b+1
		var aN, bN int
		var body bytes.Buffer
		for _, o := range ops[start:end] {
			body.WriteByte(o.kind)
			body.WriteString(o.text)
			body.WriteByte('\n')
			if o.kind != '+' {
				aN++
			}
			if o.kind != '-' {
				bN++
			}
		}
		if aN == 0 {
			aLine-- // an empty range names the line before it
		}
		if bN == 0 {
			bLine--
		}
		fmt.Fprintf(&buf, "@@ -%d,%d +%d,%d @@\n", aLine, aN, bLine, bN)
		buf.Write(body.Bytes())
		i = end
	}
	return buf.String()
}

func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
