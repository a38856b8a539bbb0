// Package catalog holds the project's own table of Fastly VCL facts: the value
// types, every predefined variable (with its type and per-subroutine access),
// every builtin function (with overloads and allowed subroutines) and the
// return actions valid in each built-in subroutine.
package catalog

import (
	"strings"

	"github.com/vclide/vclide/analysis/types"
)

// Type is a VCL value type (see package types).
type Type = types.Type

// The VCL types, re-exported from package types.
const (
	TypeUnknown    = types.TypeUnknown
	TypeString     = types.TypeString
	TypeInteger    = types.TypeInteger
	TypeFloat      = types.TypeFloat
	TypeBool       = types.TypeBool
	TypeTime       = types.TypeTime
	TypeRTime      = types.TypeRTime
	TypeIP         = types.TypeIP
	TypeBackend    = types.TypeBackend
	TypeACL        = types.TypeACL
	TypeID         = types.TypeID
	TypeRegex      = types.TypeRegex
	TypeHash       = types.TypeHash
	TypeVoid       = types.TypeVoid
	TypeTable      = types.TypeTable
	TypeStringList = types.TypeStringList
	TypeAny        = types.TypeAny
)

// ParseType maps a VCL type name (any case) to a Type; ok is false when the
// name is not a type.
func ParseType(name string) (Type, bool) { return types.ParseType(name) }

// DeclarableTypes are the types a `declare local` or a table may use: the
// list of types.DeclarableTypes, spelled out rather than copied from it,
// because copying another package's variable takes code at package
// initialisation and this package has none (TestDeclarableTypes keeps the
// two lists equal).
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
