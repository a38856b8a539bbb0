// Command vclide is the Fastly VCL language server, debug adapter, linter,
// formatter and local simulator:
//
//	vclide lsp    language server over stdio (or --listen 127.0.0.1:PORT)
//	vclide dap    debug adapter over stdio (or --listen 127.0.0.1:PORT)
//	vclide lint   check files and print diagnostics
//	vclide fmt    format files
//	vclide run    run requests through the interpreter and print their route
//	vclide serve  a local HTTP proxy that runs real requests through the VCL
package main

import (
	"fmt"
	"io"
	"os"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

type command struct {
	name, summary string
	run           func(args []string, stdout, stderr io.Writer) int
}

var commands []command

func register(c command) { commands = append(commands, c) }

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: vclide <command> [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-7s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "  version print the version")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "run 'vclide <command> --help' for its arguments and flags")
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			return run([]string{args[1], "--help"}, stdout, stderr)
		}
		usage(stdout)
		return 0
	case "version", "--version":
		fmt.Fprintln(stdout, "vclide", version)
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "vclide: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}
