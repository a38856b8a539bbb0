package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/vcltest"
)

func init() {
	register(command{"test", "run VCL unit tests written in falco's format (*.test.vcl)", runTest})
}

// overrideList is the repeatable -o VAR=VALUE flag.
type overrideList map[string]string

func (o overrideList) String() string { return fmt.Sprint(map[string]string(o)) }
func (o overrideList) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("want VAR=VALUE, not %q", v)
	}
	o[strings.TrimSpace(k)] = val
	return nil
}

func runTest(args []string, stdout, stderr io.Writer) int {
	fl := newCmdFlags("test", "vclide test [flags] MAIN.vcl",
		"Run the unit tests of MAIN.vcl: test subroutines in *.test.vcl files next to it, in the\ninclude paths and under the tests: globs of .vclide.yaml (falco's format). Exit 1 when a\ntest fails, 2 on usage errors.", stderr)
	var includes, tags, testFiles stringList
	overrides := overrideList{}
	fl.Var(&includes, "I", "add a directory to the include path, also searched for *.test.vcl (repeatable)")
	fl.Var(&includes, "include_path", "same as -I (falco's spelling)")
	filter := fl.String("filter", "", "run only tests whose file, subroutine or suite name matches this glob")
	fl.StringVar(filter, "f", "", "same as --filter")
	fl.Var(&tags, "t", "a tag for @tag annotations (repeatable)")
	fl.Var(&tags, "tag", "same as -t")
	fl.Var(&testFiles, "tests", "run these test files (a file or glob, repeatable) instead of discovering them")
	fl.Var(overrides, "o", "override a variable for every test, VAR=VALUE (repeatable)")
	fl.Var(overrides, "override", "same as -o")
	asJSON := fl.Bool("json", false, "print the results as JSON (falco's `test -json` shape)")
	junit := fl.String("junit", "", "also write JUnit XML to this file")
	cover := fl.Bool("coverage", false, "report statement, branch and subroutine coverage of the VCL under test")
	coverOut := fl.String("coverage-out", "", "write the coverage as LCOV to this file (implies --coverage)")
	watch := fl.Bool("watch", false, "re-run the tests whenever a VCL file changes")
	configPath := fl.String("config", "", "path to .vclide.yaml (default: found upward from MAIN.vcl)")
	pos, exit, ok := fl.parse(args, stdout)
	if !ok {
		return exit
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "vclide test: name the main VCL file: vclide test [flags] MAIN.vcl")
		return 2
	}
	main, _ := filepath.Abs(pos[0])
	if st, err := os.Stat(main); err != nil || st.IsDir() {
		fmt.Fprintf(stderr, "vclide test: %s is not a VCL file\n", pos[0])
		return 2
	}
	ws, err := analysis.OpenWorkspace(analysis.WorkspaceSpec{Start: main, ConfigPath: *configPath, Dirs: []string{filepath.Dir(main)}, IncludePaths: includes})
	if ws == nil {
		fmt.Fprintln(stderr, "vclide test:", err)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "vclide test:", err)
		return 2
	}
	fc, err := vcltest.FindFalcoConfig(filepath.Dir(main))
	if err != nil {
		fmt.Fprintln(stderr, "vclide test:", err)
		return 2
	}
	merged := map[string]string{}
	if fc != nil {
		for k, v := range fc.Overrides {
			merged[k] = v
		}
	}
	for k, v := range overrides {
		merged[k] = v
	}
	opts := vcltest.Options{Main: main, Workspace: ws, TestFiles: testFiles, Filter: *filter, Tags: tags,
		Overrides: merged, Coverage: *cover || *coverOut != ""}
	wd, _ := os.Getwd()
	report := func(rep *vcltest.Report, err error) int {
		if err != nil {
			fmt.Fprintln(stderr, "vclide test:", err)
			return 2
		}
		if *asJSON {
			_ = vcltest.WriteJSON(stdout, rep)
		} else {
			vcltest.WriteText(stdout, rep, wd)
			if rep.Coverage != nil {
				fmt.Fprintln(stdout)
				rep.Coverage.WriteTable(stdout, wd)
			}
		}
		if *junit != "" {
			if err := writeFileWith(*junit, func(w io.Writer) error { return vcltest.WriteJUnit(w, rep, wd) }); err != nil {
				fmt.Fprintln(stderr, "vclide test:", err)
				return 2
			}
		}
		if *coverOut != "" && rep.Coverage != nil {
			if err := writeFileWith(*coverOut, rep.Coverage.WriteLCOV); err != nil {
				fmt.Fprintln(stderr, "vclide test:", err)
				return 2
			}
		}
		if rep.Failed() {
			return 1
		}
		return 0
	}
	if *watch {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		_ = vcltest.Watch(ctx, opts, 0, func(rep *vcltest.Report, err error) {
			report(rep, err)
			fmt.Fprintln(stdout, "watching for changes (Ctrl-C to stop)")
		})
		return 0
	}
	return report(vcltest.Run(context.Background(), opts))
}

// writeFileWith creates path and writes it with write.
func writeFileWith(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
