package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// cmdFlags is a subcommand's flag set together with the text its --help
// prints. Every subcommand parses through it, so flags may come before,
// between or after the positional arguments, and --help behaves the same
// everywhere (usage on stdout, exit 0).
type cmdFlags struct {
	*flag.FlagSet
	synopsis string // "vclide lint [flags] FILE_OR_DIR..."
	summary  string // one sentence: what the subcommand does
}

// newCmdFlags returns the flag set of the named subcommand; parse errors
// are reported on stderr.
func newCmdFlags(name, synopsis, summary string, stderr io.Writer) *cmdFlags {
	fl := flag.NewFlagSet(name, flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {} // parse prints the usage itself, to the right stream
	return &cmdFlags{FlagSet: fl, synopsis: synopsis, summary: summary}
}

// printHelp writes the usage line, the summary and the flags.
func (c *cmdFlags) printHelp(w io.Writer) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", c.synopsis, c.summary)
	n := 0
	c.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprintf(w, "\nflags (they may also follow the arguments):\n")
	out := c.Output()
	c.SetOutput(w)
	c.PrintDefaults()
	c.SetOutput(out)
}

// parse parses args, with flags allowed anywhere among the positional
// arguments (a lone "-" is positional; everything after "--" is too). When
// ok is false the caller returns exit: 0 after --help (usage printed on
// stdout), 2 after a usage error (message and usage line on stderr).
func (c *cmdFlags) parse(args []string, stdout io.Writer) (pos []string, exit int, ok bool) {
	for {
		err := c.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			c.printHelp(stdout)
			return nil, 0, false
		}
		if err != nil {
			fmt.Fprintf(c.Output(), "usage: %s\nrun 'vclide %s --help' for the flags\n", c.synopsis, c.Name())
			return nil, 2, false
		}
		rest := c.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), 0, true
		}
		if len(rest) == 0 {
			return pos, 0, true
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// firstLine is the command's summary as the top-level usage lists it.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
