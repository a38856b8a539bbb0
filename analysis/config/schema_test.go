package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/vclide/vclide/analysis/catalog"
)

// schemaProperty is the part of a JSON Schema node the tests read.
type schemaProperty struct {
	Description string                    `json:"description"`
	Properties  map[string]schemaProperty `json:"properties"`
	Enum        []string                  `json:"enum"`
}

type schemaDoc struct {
	Schema               string                    `json:"$schema"`
	AdditionalProperties *bool                     `json:"additionalProperties"`
	Properties           map[string]schemaProperty `json:"properties"`
	Defs                 map[string]schemaProperty `json:"$defs"`
}

func loadSchema(t *testing.T) schemaDoc {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "schema", "vclide.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc schemaDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("schema is not valid JSON: %v", err)
	}
	return doc
}

func keys(m map[string]schemaProperty) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// TestSchemaMatchesStruct fails when a key is added to, renamed in or
// removed from either the Config struct or the JSON Schema without the
// other.
func TestSchemaMatchesStruct(t *testing.T) {
	doc := loadSchema(t)
	if doc.Schema == "" || doc.AdditionalProperties == nil || *doc.AdditionalProperties {
		t.Error("the schema must name its draft and forbid unknown keys")
	}
	if got, want := keys(doc.Properties), sorted(yamlKeys(reflect.TypeOf(Config{}))); !reflect.DeepEqual(got, want) {
		t.Errorf("schema properties %v, Config yaml tags %v", got, want)
	}
	decl := doc.Properties["declarations"]
	if got, want := keys(decl.Properties), sorted(yamlKeys(reflect.TypeOf(Declarations{}))); !reflect.DeepEqual(got, want) {
		t.Errorf("schema declarations %v, Declarations yaml tags %v", got, want)
	}
	for name, p := range doc.Properties {
		if p.Description == "" {
			t.Errorf("property %s has no description", name)
		}
	}
	for name, p := range decl.Properties {
		if p.Description == "" {
			t.Errorf("property declarations.%s has no description", name)
		}
	}
}

// TestSchemaEnums checks the schema's lists of values against the ones the
// parser accepts.
func TestSchemaEnums(t *testing.T) {
	doc := loadSchema(t)
	var subs []string
	for s := catalog.Sub(0); s < catalog.NumSubs; s++ {
		subs = append(subs, s.String(), s.VCLName())
	}
	if got := sorted(doc.Defs["subroutine"].Enum); !reflect.DeepEqual(got, sorted(subs)) {
		t.Errorf("schema subroutines %v, want %v", got, sorted(subs))
	}
	if got := sorted(doc.Defs["tableType"].Enum); !reflect.DeepEqual(got, sorted(TableTypes)) {
		t.Errorf("schema table types %v, want %v", got, sorted(TableTypes))
	}
	var raw struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	data, _ := os.ReadFile(filepath.Join("..", "..", "schema", "vclide.schema.json"))
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	var severity struct {
		AdditionalProperties struct {
			Enum []string `json:"enum"`
		} `json:"additionalProperties"`
	}
	if err := json.Unmarshal(raw.Properties["severity"], &severity); err != nil {
		t.Fatal(err)
	}
	if got := sorted(severity.AdditionalProperties.Enum); !reflect.DeepEqual(got, sorted(Severities)) {
		t.Errorf("schema severities %v, want %v", got, sorted(Severities))
	}
}
