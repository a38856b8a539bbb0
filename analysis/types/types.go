// Package types defines the VCL value types. It is a leaf package: the
// syntax tree (which records declared types) and the catalogue (which types
// variables and functions) both use it without depending on each other.
package types

import "strings"

// Type is a VCL value type.
type Type uint8

// The VCL types. TypeUnknown is used by the checker for expressions whose type
// could not be determined (after an error); it converts silently to anything.
const (
	TypeUnknown Type = iota
	TypeString
	TypeInteger
	TypeFloat
	TypeBool
	TypeTime
	TypeRTime
	TypeIP
	TypeBackend
	TypeACL
	TypeID         // a bare identifier argument (for example a table or a hash algorithm name)
	TypeRegex      // a regular-expression literal argument
	TypeHash       // the HASH pseudo type of req.hash
	TypeVoid       // a function that returns nothing
	TypeTable      // a table name argument
	TypeStringList // variadic STRING_LIST arguments
	TypeAny        // any type accepted (used by a few functions)
)

var typeNames = [...]string{
	TypeUnknown:    "UNKNOWN",
	TypeString:     "STRING",
	TypeInteger:    "INTEGER",
	TypeFloat:      "FLOAT",
	TypeBool:       "BOOL",
	TypeTime:       "TIME",
	TypeRTime:      "RTIME",
	TypeIP:         "IP",
	TypeBackend:    "BACKEND",
	TypeACL:        "ACL",
	TypeID:         "ID",
	TypeRegex:      "REGEX",
	TypeHash:       "HASH",
	TypeVoid:       "VOID",
	TypeTable:      "TABLE",
	TypeStringList: "STRING_LIST",
	TypeAny:        "ANY",
}

// String returns the upper-case VCL spelling of the type.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "UNKNOWN"
}

// ParseType maps a VCL type name (any case) to a Type; ok is false when the
// name is not a type.
func ParseType(name string) (Type, bool) {
	u := strings.ToUpper(name)
	for i, n := range typeNames {
		if n == u && Type(i) != TypeUnknown {
			return Type(i), true
		}
	}
	return TypeUnknown, false
}

// DeclarableTypes are the types a `declare local` or a table may use.
var DeclarableTypes = []Type{TypeString, TypeInteger, TypeFloat, TypeBool, TypeTime, TypeRTime, TypeIP, TypeBackend, TypeACL}
