// Package catalog holds the project's own table of Fastly VCL facts: the value
// types, every predefined variable (with its type and per-subroutine access),
// every builtin function (with overloads and allowed subroutines) and the
// return actions valid in each built-in subroutine.
package catalog

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

// WithArticle puts "a" or "an" before a type or kind name the way it is
// read aloud: "an INTEGER", "an IP", "an acl", "an RTIME" (said
// "ar-time"), but "a STRING", "a backend". Messages build phrases with it
// so that no "a INTEGER" reaches the user.
func WithArticle(word string) string {
	if word == "" {
		return word
	}
	switch {
	case strings.ContainsRune("AEIOUaeiou", rune(word[0])), word == "RTIME":
		return "an " + word
	}
	return "a " + word
}
