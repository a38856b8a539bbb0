package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"

	"gopkg.in/yaml.v3"
)

// ParseJSON decodes a scenario written as JSON (a debugger's launch
// arguments, for example). The text is decoded by encoding/json, so every
// JSON escape (`\/`, `\u00e9`, `\n`) means what JSON says; the decoded
// values then go through the same strict decoder and checks as a scenario
// file. name is used in error messages and to resolve relative paths.
func ParseJSON(name string, data []byte) (*Scenario, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := lineCol(data, int(se.Offset))
			return nil, ErrorList{{File: name, Line: line, Column: col, Msg: "invalid JSON: " + se.Error()}}
		}
		return nil, ErrorList{{File: name, Line: 1, Column: 1, Msg: "invalid JSON: " + err.Error()}}
	}
	if dec.More() {
		return nil, ErrorList{{File: name, Line: 1, Column: 1, Msg: "invalid JSON: more than one value"}}
	}
	root, err := jsonNode(v)
	if err != nil {
		return nil, ErrorList{{File: name, Line: 1, Column: 1, Msg: err.Error()}}
	}
	s := &Scenario{}
	d := &decoder{file: name}
	d.decode(root, reflect.ValueOf(s).Elem())
	if root.Kind == yaml.MappingNode {
		s.File = name
		d.validate(s)
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	return s, nil
}

// jsonNode turns a decoded JSON value into the node tree the strict
// decoder reads, with each scalar tagged by its JSON type. Object keys are
// sorted so that error messages come in a stable order.
func jsonNode(v any) (*yaml.Node, error) {
	switch x := v.(type) {
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	case bool:
		s := "false"
		if x {
			s = "true"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: s}, nil
	case string:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: x}, nil
	case json.Number:
		tag := "!!float"
		if _, err := x.Int64(); err == nil {
			tag = "!!int"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: x.String()}, nil
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, e := range x {
			c, err := jsonNode(e)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, c)
		}
		return n, nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, k := range keys {
			c, err := jsonNode(x[k])
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, c)
		}
		return n, nil
	}
	return nil, fmt.Errorf("unsupported JSON value %T", v)
}
