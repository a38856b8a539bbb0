package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// jsonSchema is the subset of JSON Schema that schema/run.schema.json uses.
type jsonSchema struct {
	Ref                  string                 `json:"$ref"`
	Type                 string                 `json:"type"`
	Enum                 []any                  `json:"enum"`
	Required             []string               `json:"required"`
	Properties           map[string]*jsonSchema `json:"properties"`
	AdditionalProperties json.RawMessage        `json:"additionalProperties"`
	Items                *jsonSchema            `json:"items"`
	Minimum              *float64               `json:"minimum"`
	Defs                 map[string]*jsonSchema `json:"$defs"`
}

func loadRunSchema(t *testing.T) *jsonSchema {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "schema", "run.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s jsonSchema
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("run.schema.json: %v", err)
	}
	return &s
}

// validate checks v (decoded with encoding/json) against s and returns the
// problems found, each prefixed by its path.
func (root *jsonSchema) validate(s *jsonSchema, v any, path string) []string {
	if s.Ref != "" {
		name, ok := strings.CutPrefix(s.Ref, "#/$defs/")
		if !ok || root.Defs[name] == nil {
			return []string{path + ": unknown $ref " + s.Ref}
		}
		s = root.Defs[name]
	}
	var errs []string
	bad := func(format string, a ...any) { errs = append(errs, path+": "+fmt.Sprintf(format, a...)) }
	if len(s.Enum) > 0 && !slices.Contains(s.Enum, v) {
		bad("%v is not one of %v", v, s.Enum)
	}
	switch s.Type {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			bad("want an object, got %T", v)
			return errs
		}
		for _, k := range s.Required {
			if _, ok := m[k]; !ok {
				bad("missing required key %q", k)
			}
		}
		var extra *jsonSchema
		closed := string(s.AdditionalProperties) == "false"
		if len(s.AdditionalProperties) > 0 && !closed {
			extra = &jsonSchema{}
			if err := json.Unmarshal(s.AdditionalProperties, extra); err != nil {
				bad("bad additionalProperties: %v", err)
			}
		}
		for k, sub := range m {
			switch ps := s.Properties[k]; {
			case ps != nil:
				errs = append(errs, root.validate(ps, sub, path+"."+k)...)
			case closed:
				bad("key %q is not in the schema", k)
			case extra != nil:
				errs = append(errs, root.validate(extra, sub, path+"."+k)...)
			}
		}
	case "array":
		a, ok := v.([]any)
		if !ok {
			bad("want an array, got %T", v)
			return errs
		}
		if s.Items != nil {
			for i, it := range a {
				errs = append(errs, root.validate(s.Items, it, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			bad("want a string, got %T", v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad("want a boolean, got %T", v)
		}
	case "integer":
		f, ok := v.(float64)
		if !ok || f != float64(int64(f)) {
			bad("want an integer, got %v", v)
		} else if s.Minimum != nil && f < *s.Minimum {
			bad("%v is below the minimum %v", f, *s.Minimum)
		}
	}
	return errs
}

// checkRunJSON validates every line of `vclide run --json` output against
// schema/run.schema.json.
func checkRunJSON(t *testing.T, out string) {
	t.Helper()
	root := loadRunSchema(t)
	for i, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var v any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		for _, e := range root.validate(root, v, fmt.Sprintf("line %d", i+1)) {
			t.Error(e)
		}
	}
}

// TestRunSchemaValidatorRejects makes sure the validator used on --json
// output can fail: each document breaks the schema in one way.
func TestRunSchemaValidatorRejects(t *testing.T) {
	root := loadRunSchema(t)
	good := map[string]any{
		"request":  map[string]any{"method": "GET", "url": "/", "headers": map[string]any{}},
		"response": map[string]any{"status": 200.0, "reason": "OK", "headers": map[string]any{"A": []any{"b"}}, "body": ""},
		"state":    "MISS", "restarts": 0.0, "route": []any{map[string]any{"sub": "vcl_recv", "node": "delivery", "return": "lookup"}},
		"logs": []any{}, "backend_requests": []any{}, "cache": []any{}, "cluster": []any{}, "notes": []any{}, "background_requests": []any{}, "esi_requests": []any{},
	}
	if errs := root.validate(root, good, "good"); len(errs) > 0 {
		t.Fatalf("a valid line is rejected: %v", errs)
	}
	breakers := map[string]func(m map[string]any){
		"missing reason":  func(m map[string]any) { delete(m["response"].(map[string]any), "reason") },
		"unknown key":     func(m map[string]any) { m["surprise"] = 1.0 },
		"wrong node":      func(m map[string]any) { m["route"].([]any)[0].(map[string]any)["node"] = "shield" },
		"header not list": func(m map[string]any) { m["response"].(map[string]any)["headers"] = map[string]any{"A": "b"} },
		"negative count":  func(m map[string]any) { m["restarts"] = -1.0 },
	}
	for name, brk := range breakers {
		data, _ := json.Marshal(good)
		var m map[string]any
		_ = json.Unmarshal(data, &m)
		brk(m)
		if errs := root.validate(root, m, name); len(errs) == 0 {
			t.Errorf("%s: accepted", name)
		}
	}
}
