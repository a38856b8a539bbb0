package scenario

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"testing"
)

// TestSchemaMatchesStructs fails when a key is added to or removed from the
// Go types without the same change in schema/scenario.schema.json, or the
// other way round.
func TestSchemaMatchesStructs(t *testing.T) {
	data, err := os.ReadFile("../../schema/scenario.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	type object struct {
		Type                 any                        `json:"type"`
		Properties           map[string]json.RawMessage `json:"properties"`
		AdditionalProperties any                        `json:"additionalProperties"`
	}
	var schema struct {
		object
		Defs map[string]object `json:"$defs"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatalf("schema is not valid JSON: %v", err)
	}
	types := map[string]reflect.Type{
		"":        reflect.TypeFor[Scenario](),
		"backend": reflect.TypeFor[Backend](),
		"rule":    reflect.TypeFor[Rule](),
		"reply":   reflect.TypeFor[Reply](),
		"step":    reflect.TypeFor[Step](),
		"request": reflect.TypeFor[Request](),
		"purge":   reflect.TypeFor[Purge](),
		"expect":  reflect.TypeFor[Expect](),
	}
	objects := map[string]object{"": schema.object}
	for name, def := range schema.Defs {
		if def.AdditionalProperties == false {
			objects[name] = def
		}
	}
	for name, obj := range objects {
		typ, ok := types[name]
		if !ok {
			t.Errorf("schema object %q has no Go type in this test", name)
			continue
		}
		var inSchema []string
		for k := range obj.Properties {
			inSchema = append(inSchema, k)
		}
		inGo := fieldKeys(typ)
		slices.Sort(inSchema)
		slices.Sort(inGo)
		if !slices.Equal(inSchema, inGo) {
			t.Errorf("%s: schema properties %v, Go keys %v", typ.Name(), inSchema, inGo)
		}
	}
	for name := range types {
		if _, ok := objects[name]; !ok {
			t.Errorf("Go type for %q has no closed object in the schema", name)
		}
	}
}
