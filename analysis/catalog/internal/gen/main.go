// Command gen rebuilds analysis/catalog/catalog_data.go.
//
// It reads two third-party tables of Fastly VCL facts that live outside the
// repository (under ../shared/reference/catalog relative to the repository
// root), merges them, applies the project's own analysis/catalog/notes.yaml
// (descriptions and settled disagreements) and writes the catalogue as Go
// tables that the compiler lays out as static data (see goTables).
//
// The sources are not part of a fresh clone, so when they are missing the
// command prints a message and exits successfully without touching anything.
// When the two tables disagree about a fact and notes.yaml does not settle
// the question, the command lists every open disagreement and exits 1.
//
// Run it with `go generate ./analysis/catalog/`.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// subOrder is the canonical order of the built-in subroutines.
var subOrder = []string{"recv", "hash", "hit", "miss", "pass", "fetch", "error", "deliver", "log"}

const docBase = "https://www.fastly.com/documentation/reference/vcl/"

func main() {
	root := flag.String("root", "", "repository root (default: nearest parent holding go.mod)")
	shared := flag.String("shared", "", "folder holding reference/catalog (default: <root>/../shared)")
	flag.Parse()

	if *root == "" {
		r, err := findRoot()
		if err != nil {
			fail(err)
		}
		*root = r
	}
	if *shared == "" {
		*shared = filepath.Join(*root, "..", "shared")
	}
	src := filepath.Join(*shared, "reference", "catalog")
	if st, err := os.Stat(src); err != nil || !st.IsDir() {
		fmt.Printf("catalog gen: %s not found; keeping the committed catalog_data.go\n", src)
		return
	}
	pkg := filepath.Join(*root, "analysis", "catalog")

	in, err := loadInputs(src, filepath.Join(pkg, "notes.yaml"))
	if err != nil {
		fail(err)
	}
	out, problems := merge(in)
	if len(problems) > 0 {
		sort.Strings(problems)
		fmt.Fprintf(os.Stderr, "catalog gen: %d unsettled problem(s); settle them in notes.yaml:\n", len(problems))
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "  -", p)
		}
		os.Exit(1)
	}
	tables, err := goTables(out)
	if err != nil {
		fail(err)
	}
	if err := writeIfChanged(filepath.Join(pkg, "catalog_data.go"), tables); err != nil {
		fail(err)
	}
	fmt.Printf("catalog gen: %d variables, %d functions\n", len(out.Variables), len(out.Functions))
}

// writeIfChanged writes data to dst unless dst already holds exactly that,
// saying which it did.
func writeIfChanged(dst string, data []byte) error {
	if old, err := os.ReadFile(dst); err == nil && bytes.Equal(old, data) {
		fmt.Printf("catalog gen: %s is up to date\n", dst)
		return nil
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		return err
	}
	fmt.Printf("catalog gen: wrote %s\n", dst)
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "catalog gen:", err)
	os.Exit(1)
}

func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod found above the working directory")
		}
		dir = parent
	}
}
