package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vclide/vclide/analysis/catalog/internal/schema"
)

// TestCommittedTablesUpToDate: the committed catalog_data.go is exactly what
// the generator writes from the reference tables and notes.yaml, so neither
// a hand edit of the generated file nor a notes.yaml change left
// unregenerated goes unnoticed. It needs ../shared and skips without it.
func TestCommittedTablesUpToDate(t *testing.T) {
	src := filepath.Join("..", "..", "..", "..", "..", "shared", "reference", "catalog")
	if st, err := os.Stat(src); err != nil || !st.IsDir() {
		t.Skipf("%s not present", src)
	}
	in, err := loadInputs(src, filepath.Join("..", "..", "notes.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out, problems := merge(in)
	if len(problems) > 0 {
		t.Fatalf("unsettled problems: %s", strings.Join(problems, "; "))
	}
	want, err := goTables(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join("..", "..", "catalog_data.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("analysis/catalog/catalog_data.go differs from the generator's output; run go generate ./analysis/catalog")
	}
}

// TestGoTablesRejectUnknownNames: a type or subroutine name the catalog
// package has no constant for stops the generator instead of producing a
// file that does not compile.
func TestGoTablesRejectUnknownNames(t *testing.T) {
	sub := []schema.Sub{{Name: "recv", Returns: []string{"lookup"}}}
	tests := []struct {
		name string
		in   schema.Catalog
		want string
	}{
		{"variable type", schema.Catalog{Variables: []schema.Variable{{Name: "a", Type: "NUMBER"}}, Subroutines: sub}, `unknown type "NUMBER"`},
		{"parameter type", schema.Catalog{Functions: []schema.Function{{Name: "f", Overloads: []schema.Signature{{Params: []schema.Param{{Name: "p", Type: "LIST"}}, Return: "VOID"}}}}, Subroutines: sub}, `unknown type "LIST"`},
		{"return type", schema.Catalog{Functions: []schema.Function{{Name: "f", Overloads: []schema.Signature{{Return: "NONE"}}}}, Subroutines: sub}, `unknown type "NONE"`},
		{"subroutine in a set", schema.Catalog{Variables: []schema.Variable{{Name: "a", Type: "STRING", Read: []string{"vcl_recv"}}}, Subroutines: sub}, `unknown subroutine "vcl_recv"`},
		{"subroutine entry", schema.Catalog{Subroutines: []schema.Sub{{Name: "init"}}}, `unknown subroutine "init"`},
	}
	for _, tc := range tests {
		_, err := goTables(&tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// TestGoTablesRendering: what each kind of field turns into in Go.
func TestGoTablesRendering(t *testing.T) {
	in := &schema.Catalog{
		Variables: []schema.Variable{
			{Name: "a.b", Type: "STRING", Read: subOrder, Set: []string{"recv", "fetch"}, Description: `say "hi"`, Pattern: false, Deprecated: true},
		},
		Functions: []schema.Function{
			{Name: "f", Overloads: []schema.Signature{{Return: "VOID"}, {Params: []schema.Param{{Name: "s", Type: "STRING_LIST", Variadic: true}}, Return: "BOOL"}}, Subs: []string{"log"}},
		},
		Subroutines: []schema.Sub{{Name: "deliver", Node: "delivery", Returns: []string{"deliver", "restart"}}},
		Headers:     []string{"Host"},
	}
	src, err := goTables(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"// " + schema.GeneratedHeader + "\n\npackage catalog\n",
		`{Name: "a.b", Type: TypeString, Read: AllSubs, Set: 1<<SubRecv | 1<<SubFetch, Description: "say \"hi\"", Deprecated: true},`,
		`{Name: "f", Overloads: []Signature{{Return: TypeVoid}, {Params: []Param{{Name: "s", Type: TypeStringList, Variadic: true}}, Return: TypeBool}}, Subs: 1 << SubLog},`,
		`SubDeliver: {Sub: SubDeliver, Node: "delivery", Returns: []string{"deliver", "restart"}},`,
		`"Host",`,
	} {
		if !strings.Contains(string(src), want) {
			t.Errorf("output lacks %s\n%s", want, src)
		}
	}
	if strings.Contains(string(src), "map[") {
		t.Error("output holds a map literal, which needs code at package initialisation")
	}
}
