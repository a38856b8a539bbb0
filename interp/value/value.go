// Package value is the interpreter's runtime representation of VCL values and
// Fastly's conversions between types (including the string form of each type).
package value

import (
	"net/netip"
	"time"

	"github.com/vclide/vclide/analysis/catalog"
)

// Value is a VCL runtime value. It is a small tagged struct (no interface
// boxing) so that expression evaluation does not allocate for scalars.
// NotSet marks a STRING that is "not set" (an absent header), which differs
// from the empty string in Fastly: it is falsy and prints as "(null)" in some
// contexts but as "" when concatenated.
type Value struct {
	T      catalog.Type
	NotSet bool
	Str    string        // STRING, ID, BACKEND name, ACL name, REGEX source
	Int    int64         // INTEGER
	Float  float64       // FLOAT
	Bool   bool          // BOOL
	Time   time.Time     // TIME
	Dur    time.Duration // RTIME
	IP     netip.Addr    // IP
}

// String makes a STRING value.
func String(s string) Value { return Value{T: catalog.TypeString, Str: s} }

// NullString is the not-set STRING.
func NullString() Value { return Value{T: catalog.TypeString, NotSet: true} }

// Integer makes an INTEGER value.
func Integer(i int64) Value { return Value{T: catalog.TypeInteger, Int: i} }

// Float makes a FLOAT value.
func Float(f float64) Value { return Value{T: catalog.TypeFloat, Float: f} }

// Bool makes a BOOL value.
func Bool(b bool) Value { return Value{T: catalog.TypeBool, Bool: b} }

// Time makes a TIME value.
func Time(t time.Time) Value { return Value{T: catalog.TypeTime, Time: t} }

// RTime makes an RTIME value.
func RTime(d time.Duration) Value { return Value{T: catalog.TypeRTime, Dur: d} }

// IP makes an IP value.
func IP(a netip.Addr) Value { return Value{T: catalog.TypeIP, IP: a} }

// Backend makes a BACKEND value naming a backend or director.
func Backend(name string) Value { return Value{T: catalog.TypeBackend, Str: name} }

// ID makes an ID value (a bare identifier argument such as a table name).
func ID(name string) Value { return Value{T: catalog.TypeID, Str: name} }

// Void is the result of a function that returns nothing.
func Void() Value { return Value{T: catalog.TypeVoid} }
