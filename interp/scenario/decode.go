package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/vclide/vclide/internal/poserr"
	suggestpkg "github.com/vclide/vclide/internal/suggest"
)

// Pos is where a mapping starts in the scenario file, with the positions of
// the values of its keys. A zero Pos means "unknown".
type Pos struct {
	Line, Col int
	keys      map[string]Pos
}

// Key returns the position of key's value, or p when the key is absent.
func (p Pos) Key(key string) Pos {
	if k, ok := p.keys[key]; ok {
		return k
	}
	return p
}

// Has reports whether the mapping has key.
func (p Pos) Has(key string) bool {
	_, ok := p.keys[key]
	return ok
}

// Error is a problem at one place in a scenario file.
type Error = poserr.Error

// ErrorList is every problem found in a scenario file, in file order.
type ErrorList = poserr.ErrorList

// maxErrors caps the problems reported for one file.
const maxErrors = 25

// decoder turns a YAML node tree into scenario structs, strictly.
type decoder struct {
	file string
	errs ErrorList
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errorAt(Pos{Line: n.Line, Col: n.Column}, format, args...)
}

func (d *decoder) errorAt(p Pos, format string, args ...any) {
	line, col := max(p.Line, 1), max(p.Col, 1)
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)})
}

// err returns the problems found (nil when none), sorted by position, with
// only the first problem reported at each position.
func (d *decoder) err() error {
	if len(d.errs) == 0 {
		return nil
	}
	d.errs.SortByPosition()
	out := d.errs[:1]
	for _, e := range d.errs[1:] {
		if last := out[len(out)-1]; e.Line != last.Line || e.Column != last.Column {
			out = append(out, e)
		}
	}
	d.errs = out
	if len(d.errs) > maxErrors {
		d.errs = d.errs[:maxErrors]
	}
	return d.errs
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// run parses data and decodes it into s. It reports whether the data was
// a mapping that could be decoded (possibly with errors in values).
func (d *decoder) run(data []byte, s *Scenario) bool {
	trimmed := bytes.TrimSpace(data)
	if bytes.HasPrefix(trimmed, []byte("{")) || strings.HasSuffix(d.file, ".json") {
		// YAML's messages for broken JSON carry no position: ask the JSON
		// parser where the problem is.
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				line, col := lineCol(data, int(se.Offset))
				d.errorAt(Pos{Line: line, Col: col}, "invalid JSON: %s", se.Error())
				return false
			}
		}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		msg := err.Error()
		line := 1
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		d.errorAt(Pos{Line: line, Col: 1}, "invalid YAML: %s", msg)
		return false
	}
	if len(root.Content) == 0 {
		d.errorAt(Pos{Line: 1, Col: 1}, "empty scenario")
		return false
	}
	doc := root.Content[0]
	d.decode(doc, reflect.ValueOf(s).Elem())
	return doc.Kind == yaml.MappingNode
}

// lineCol converts a byte offset to a 1-based line and column.
func lineCol(data []byte, off int) (int, int) {
	off = min(max(off, 0), len(data))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := off - bytes.LastIndexByte(before, '\n')
	return line, max(col-1, 1)
}

// nodeDecoder is implemented by types that decode themselves.
type nodeDecoder interface {
	decodeNode(d *decoder, n *yaml.Node)
}

// typeNames name struct types in error messages.
var typeNames = map[reflect.Type]string{
	reflect.TypeFor[Scenario](): "scenario",
	reflect.TypeFor[Backend]():  "backend",
	reflect.TypeFor[Rule]():     "response rule",
	reflect.TypeFor[Reply]():    "sequence entry",
	reflect.TypeFor[Step]():     "request",
	reflect.TypeFor[Request]():  "request",
	reflect.TypeFor[Purge]():    "purge",
	reflect.TypeFor[Expect]():   "expect",
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// decode stores n in v, reporting every mismatch.
func (d *decoder) decode(n *yaml.Node, v reflect.Value) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if v.CanAddr() {
		if nd, ok := v.Addr().Interface().(nodeDecoder); ok {
			nd.decodeNode(d, n)
			return
		}
	}
	switch v.Kind() {
	case reflect.Pointer:
		if isNull(n) {
			v.SetZero()
			return
		}
		p := reflect.New(v.Type().Elem())
		d.decode(n, p.Elem())
		v.Set(p)
	case reflect.Struct:
		d.decodeStruct(n, v)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.errorf(n, "expected a list, got %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.decode(c, s.Index(i))
		}
		v.Set(s)
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.errorf(n, "expected a mapping, got %s", describe(n))
			return
		}
		m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || isNull(k) {
				d.errorf(k, "expected a name as key, got %s", describe(k))
				continue
			}
			if seen[k.Value] {
				d.errorf(k, "duplicate key %q", k.Value)
				continue
			}
			seen[k.Value] = true
			e := reflect.New(v.Type().Elem()).Elem()
			d.decode(val, e)
			m.SetMapIndex(reflect.ValueOf(k.Value).Convert(v.Type().Key()), e)
		}
		v.Set(m)
	case reflect.String:
		if n.Kind != yaml.ScalarNode || isNull(n) {
			d.errorf(n, "expected a string, got %s", describe(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Int, reflect.Int64:
		i, err := strconv.ParseInt(n.Value, 0, 64)
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || err != nil || v.OverflowInt(i) {
			d.errorf(n, "expected an integer, got %s", describe(n))
			return
		}
		v.SetInt(i)
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			d.errorf(n, "expected true or false, got %s", describe(n))
			return
		}
		var b bool
		_ = n.Decode(&b)
		v.SetBool(b)
	default:
		panic("scenario: cannot decode into " + v.Type().String())
	}
}

// structInfo describes how a struct's fields map to keys.
type structInfo struct {
	fields map[string][]int // key → field index path
	keys   []string         // keys in declaration order
	pos    []int            // index path of the Pos field
}

var structCache sync.Map // reflect.Type → *structInfo

func infoOf(t reflect.Type) *structInfo {
	if si, ok := structCache.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{fields: map[string][]int{}}
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			idx := append(append([]int(nil), prefix...), i)
			tag := f.Tag.Get("yaml")
			name, opts, _ := strings.Cut(tag, ",")
			switch {
			case f.Type == reflect.TypeFor[Pos]():
				if si.pos == nil || len(idx) < len(si.pos) {
					si.pos = idx
				}
			case opts == "inline":
				walk(f.Type, idx)
			case tag == "-" || !f.IsExported():
			default:
				si.fields[name] = idx
				si.keys = append(si.keys, name)
			}
		}
	}
	walk(t, nil)
	structCache.Store(t, si)
	return si
}

// fieldKeys lists the keys a struct type accepts (for the schema test).
func fieldKeys(t reflect.Type) []string {
	return append([]string(nil), infoOf(t).keys...)
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value) {
	what := typeNames[v.Type()]
	if what == "" {
		what = strings.ToLower(v.Type().Name())
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "expected a %s mapping, got %s", what, describe(n))
		return
	}
	si := infoOf(v.Type())
	pos := Pos{Line: n.Line, Col: n.Column, keys: map[string]Pos{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		idx, ok := si.fields[k.Value]
		if k.Kind != yaml.ScalarNode || !ok {
			msg := fmt.Sprintf("unknown key %q in %s", k.Value, what)
			if s := suggest(k.Value, si.keys); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += " (known keys: " + strings.Join(si.keys, ", ") + ")"
			}
			d.errorf(k, "%s", msg)
			continue
		}
		if _, dup := pos.keys[k.Value]; dup {
			d.errorf(k, "duplicate key %q", k.Value)
			continue
		}
		pos.keys[k.Value] = Pos{Line: val.Line, Col: val.Column}
		d.decode(val, v.FieldByIndex(idx))
	}
	if si.pos != nil {
		v.FieldByIndex(si.pos).Set(reflect.ValueOf(pos))
	}
}

// describe names a node's kind for error messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "null"
		}
		return strconv.Quote(n.Value)
	}
	return "something else"
}

// Duration is a length of time written like "10s", "2m", "1h30m" or a
// number of seconds.
type Duration struct{ D time.Duration }

func (t *Duration) decodeNode(d *decoder, n *yaml.Node) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		d.errorf(n, "expected a duration like 10s or 2m, got %s", describe(n))
		return
	}
	if n.Tag == "!!int" || n.Tag == "!!float" {
		f, err := strconv.ParseFloat(n.Value, 64)
		if err == nil {
			t.D = time.Duration(f * float64(time.Second))
			return
		}
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		d.errorf(n, "expected a duration like 10s or 2m, got %q", n.Value)
		return
	}
	t.D = v
}

// Time is an instant written in RFC 3339 ("2024-05-01T10:00:00Z") or as a
// date (midnight UTC).
type Time struct{ time.Time }

func (t *Time) decodeNode(d *decoder, n *yaml.Node) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		d.errorf(n, "expected an RFC 3339 time like 2024-05-01T10:00:00Z, got %s", describe(n))
		return
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if v, err := time.Parse(layout, n.Value); err == nil {
			t.Time = v
			return
		}
	}
	d.errorf(n, "expected an RFC 3339 time like 2024-05-01T10:00:00Z, got %q", n.Value)
}

// Headers maps a header name to one value or a list of values.
type Headers map[string][]string

func (h *Headers) decodeNode(d *decoder, n *yaml.Node) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "expected a mapping of header names to values, got %s", describe(n))
		return
	}
	out := Headers{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || isNull(k) {
			d.errorf(k, "expected a header name, got %s", describe(k))
			continue
		}
		if _, dup := out[k.Value]; dup {
			d.errorf(k, "duplicate header %q", k.Value)
			continue
		}
		switch {
		case val.Kind == yaml.ScalarNode && !isNull(val):
			out[k.Value] = []string{val.Value}
		case val.Kind == yaml.SequenceNode:
			vals := []string{}
			for _, c := range val.Content {
				if c.Kind != yaml.ScalarNode || isNull(c) {
					d.errorf(c, "header %s: expected a string, got %s", k.Value, describe(c))
					continue
				}
				vals = append(vals, c.Value)
			}
			out[k.Value] = vals
		default:
			d.errorf(val, "header %s: expected a string or a list of strings, got %s", k.Value, describe(val))
		}
	}
	*h = out
}

// suggest returns the known key closest to a misspelt one, if any is close.
func suggest(k string, known []string) string { return suggestpkg.Best(k, known) }
