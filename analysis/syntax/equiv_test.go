package syntax

import (
	"fmt"
	"reflect"
)

// Helpers shared by the chunked-parse tests and FuzzReparse: comparing two
// parses of the same text whose positions differ, and checking a chunked
// file's chunk table.

var (
	posType    = reflect.TypeOf(Pos(0))
	sourceType = reflect.TypeOf(&Source{})
)

// diffFiles returns the first difference between a and b, with every
// position mapped to its byte offset through the file's own Source: their
// trees (node kinds, fields, ranges), comments, errors, includes and flags
// must be the same. "" means equal.
func diffFiles(a, b *File) string {
	if a.Source.Text != b.Source.Text {
		return "different texts"
	}
	if a.Source.LineCount() != b.Source.LineCount() {
		return fmt.Sprintf("line count %d != %d", a.Source.LineCount(), b.Source.LineCount())
	}
	for l := 0; l < a.Source.LineCount(); l++ {
		if x, y := a.Source.Offset(a.Source.LineStart(l)), b.Source.Offset(b.Source.LineStart(l)); x != y {
			return fmt.Sprintf("line %d starts at %d != %d", l, x, y)
		}
	}
	d := &differ{a: a.Source, b: b.Source}
	d.walk(reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem(), "File")
	return d.diff
}

type differ struct {
	a, b *Source
	diff string
}

func (d *differ) walk(x, y reflect.Value, path string) {
	if d.diff != "" {
		return
	}
	if x.Type() != y.Type() {
		d.diff = fmt.Sprintf("%s: type %v != %v", path, x.Type(), y.Type())
		return
	}
	if x.Type() == posType {
		ox, oy := d.a.Offset(Pos(x.Int())), d.b.Offset(Pos(y.Int()))
		if ox != oy {
			d.diff = fmt.Sprintf("%s: offset %d (pos %d) != %d (pos %d)", path, ox, x.Int(), oy, y.Int())
		}
		return
	}
	if x.Type() == sourceType {
		return
	}
	switch x.Kind() {
	case reflect.Pointer, reflect.Interface:
		if x.IsNil() || y.IsNil() {
			if x.IsNil() != y.IsNil() {
				d.diff = fmt.Sprintf("%s: nil %v != %v", path, x.IsNil(), y.IsNil())
			}
			return
		}
		d.walk(x.Elem(), y.Elem(), path)
	case reflect.Slice:
		if x.Len() != y.Len() {
			d.diff = fmt.Sprintf("%s: length %d != %d", path, x.Len(), y.Len())
			return
		}
		for i := 0; i < x.Len(); i++ {
			d.walk(x.Index(i), y.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Struct:
		for i := 0; i < x.NumField(); i++ {
			f := x.Type().Field(i)
			if !f.IsExported() && !f.Anonymous {
				continue // checker state and chunk tables are not the tree
			}
			d.walk(x.Field(i), y.Field(i), path+"."+f.Name)
		}
	default:
		if !x.CanInterface() {
			return
		}
		if !reflect.DeepEqual(x.Interface(), y.Interface()) {
			d.diff = fmt.Sprintf("%s: %v != %v", path, x.Interface(), y.Interface())
		}
	}
}

// checkChunkTable returns what is wrong with f's chunk table: chunks must
// tile the text in order, bases must leave each chunk its whole length,
// and every declaration, comment, error and include must lie in the chunk
// that lists it. "" means sound.
func checkChunkTable(f *File) string {
	cs := f.chunks
	if len(cs) == 0 || cs[0].off != 0 || cs[0].base != 0 {
		return "the first chunk must start at offset 0, base 0"
	}
	if len(f.Source.chunks) != len(cs) {
		return "the Source's chunk map does not match the File's"
	}
	labels := false
	for k, c := range cs {
		labels = labels || c.labels
		if f.Source.chunks[k] != (srcChunk{c.off, c.base}) {
			return fmt.Sprintf("chunk %d: Source map %v, File %v", k, f.Source.chunks[k], c)
		}
		end := len(f.Source.Text)
		next := fileChunk{decls: len(f.Decls), comments: len(f.Comments), errors: len(f.Errors), includes: len(f.Includes)}
		if k+1 < len(cs) {
			next = cs[k+1]
			end = next.off
			if next.off <= c.off || next.base < c.base+Pos(next.off-c.off) {
				return fmt.Sprintf("chunk %d %+v overlaps chunk %d %+v", k, c, k+1, next)
			}
		}
		lo, hi := c.base, c.base+Pos(end-c.off)
		in := func(r Range) bool { return r.Start >= lo && r.End <= hi && r.Start <= r.End }
		for _, d := range f.Decls[c.decls:next.decls] {
			if !in(d.Span()) {
				return fmt.Sprintf("chunk %d [%d,%d]: decl %T %v outside", k, lo, hi, d, d.Span())
			}
		}
		for _, cm := range f.Comments[c.comments:next.comments] {
			if !in(cm.Range) {
				return fmt.Sprintf("chunk %d [%d,%d]: comment %v outside", k, lo, hi, cm.Range)
			}
		}
		for _, e := range f.Errors[c.errors:next.errors] {
			if !in(e.Range) {
				return fmt.Sprintf("chunk %d [%d,%d]: error %q %v outside", k, lo, hi, e.Msg, e.Range)
			}
		}
		for _, n := range f.Includes[c.includes:next.includes] {
			if !in(n.Span()) {
				return fmt.Sprintf("chunk %d [%d,%d]: include %v outside", k, lo, hi, n.Span())
			}
		}
	}
	if labels != f.HasLabels {
		return "HasLabels does not match the chunks'"
	}
	return ""
}

// checkReparse re-parses old into text and compares the result with
// ParseChunked and Parse of text; it returns the new file and the first
// problem found ("" if none).
func checkReparse(old *File, text string) (*File, string) {
	got := Reparse(old, text)
	if msg := checkChunkTable(got); msg != "" {
		return got, "Reparse: " + msg
	}
	if msg := diffFiles(got, Parse("x.vcl", text)); msg != "" {
		return got, "Reparse vs Parse: " + msg
	}
	fresh := ParseChunked("x.vcl", text)
	if msg := checkChunkTable(fresh); msg != "" {
		return got, "ParseChunked: " + msg
	}
	if msg := diffFiles(fresh, Parse("x.vcl", text)); msg != "" {
		return got, "ParseChunked vs Parse: " + msg
	}
	return got, ""
}
