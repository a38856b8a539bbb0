package builtin

import (
	"testing"

	"github.com/vclide/vclide/interp/value"
)

func TestBoltsort(t *testing.T) {
	runCases(t, []builtinCase{
		// Examples from the querystring.sort reference (boltsort.sort is its alias).
		{"sort (doc example)", "boltsort.sort", []value.Value{vs("/foo?b=1&a=2&c=3")}, vs("/foo?a=2&b=1&c=3"), "", false},
		{"unique keys (doc example)", "boltsort.sort", []value.Value{vs("/test?a=7&a=2&a=1&b=5&b=3"), vb(true)}, vs("/test?a=7&b=5"), "", false},
		{"duplicates kept in order", "boltsort.sort", []value.Value{vs("/test?b=5&a=7&a=2&b=3"), vb(false)}, vs("/test?a=7&a=2&b=5&b=3"), "", false},
		{"upper case first", "boltsort.sort", []value.Value{vs("/?a=1&B=2&A=3")}, vs("/?A=3&B=2&a=1"), "", false},
		{"empty params dropped", "boltsort.sort", []value.Value{vs("/?b=1&&=x&a")}, vs("/?a&b=1"), "", false},
		{"no query", "boltsort.sort", []value.Value{vs("/path")}, vs("/path"), "", false},
		{"more than 32 unsorted", "boltsort.sort", []value.Value{vs("/?z=1&y=1&x=1&w=1&v=1&u=1&t=1&s=1&r=1&q=1&p=1&o=1&n=1&m=1&l=1&k=1&j=1&i=1&h=1&g=1&f=1&e=1&d=1&c=1&b=1&a=1&Z=1&Y=1&X=1&W=1&V=1&U=1&T=1")},
			vs("/?z=1&y=1&x=1&w=1&v=1&u=1&t=1&s=1&r=1&q=1&p=1&o=1&n=1&m=1&l=1&k=1&j=1&i=1&h=1&g=1&f=1&e=1&d=1&c=1&b=1&a=1&Z=1&Y=1&X=1&W=1&V=1&U=1&T=1"), "", false},
		{"not set", "boltsort.sort", []value.Value{value.NullString()}, value.NullString(), "", false},
	})
}
