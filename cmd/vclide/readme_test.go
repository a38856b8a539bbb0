package main

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// helpFlags runs `vclide NAME --help` and returns the flag names it lists.
func helpFlags(t *testing.T, name string) []string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run([]string{name, "--help"}, &out, &errb); code != 0 {
		t.Fatalf("%s --help: exit %d: %s", name, code, errb.String())
	}
	var flags []string
	for _, m := range regexp.MustCompile(`(?m)^  -([A-Za-z][\w-]*)`).FindAllStringSubmatch(out.String(), -1) {
		flags = append(flags, m[1])
	}
	if len(flags) == 0 && name != "version" {
		t.Fatalf("%s --help lists no flags:\n%s", name, out.String())
	}
	return flags
}

// readmeSection returns the README text under "#### `vclide NAME`" up to the
// next heading.
func readmeSection(readme, name string) string {
	head := "#### `vclide " + name + "`\n"
	i := strings.Index(readme, head)
	if i < 0 {
		return ""
	}
	rest := readme[i+len(head):]
	if j := regexp.MustCompile(`(?m)^#{2,4} `).FindStringIndex(rest); j != nil {
		rest = rest[:j[0]]
	}
	return rest
}

// TestREADMEDocumentsEveryFlag: every flag of every subcommand, as its
// --help lists it, is in the README's "Every flag" table for it.
func TestREADMEDocumentsEveryFlag(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	for _, c := range commands {
		section := readmeSection(readme, c.name)
		if section == "" {
			t.Errorf("README has no \"#### `vclide %s`\" flag table", c.name)
			continue
		}
		for _, f := range helpFlags(t, c.name) {
			spelled := "`--" + f
			if len(f) == 1 {
				spelled = "`-" + f
			}
			if !strings.Contains(section, spelled+" ") && !strings.Contains(section, spelled+"`") {
				t.Errorf("README's flag table for vclide %s lacks %s", c.name, spelled+"`")
			}
		}
	}
}

// TestREADMERequirements: the README states go.mod's Go version and the Node
// version the VS Code extension's packager needs, and no longer claims the
// first command needs no network.
func TestREADMERequirements(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	if want := "Go " + string(m[1]) + " or later"; !bytes.Contains(readme, []byte(want)) {
		t.Errorf("README does not say %q", want)
	}
	lock, err := os.ReadFile("../../editors/vscode/package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	var pl struct {
		Packages map[string]struct {
			Engines map[string]string `json:"engines"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(lock, &pl); err != nil {
		t.Fatal(err)
	}
	node := strings.TrimSpace(strings.TrimPrefix(pl.Packages["node_modules/@vscode/vsce"].Engines["node"], ">="))
	if node == "" {
		t.Fatal("package-lock.json: no node engine for @vscode/vsce")
	}
	if want := "Node.js " + node + " or later"; !bytes.Contains(readme, []byte(want)) {
		t.Errorf("README does not say %q (what @vscode/vsce needs)", want)
	}
	if bytes.Contains(readme, []byte("no setup, no network")) {
		t.Error("README still claims the first command needs no network")
	}
	if !bytes.Contains(readme, []byte("needs network\naccess once")) && !bytes.Contains(readme, []byte("needs network access once")) {
		t.Error("README does not say the first build downloads modules")
	}
}
