// Package analysis is vclide's analysis core: it loads VCL files (following
// includes), parses them with package syntax, and checks them into one
// Program with symbols, references, types and diagnostics. The language
// server, the linter and the interpreter all consume that Program.
package analysis

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vclide/vclide/analysis/config"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/internal/suggest"
)

// Severity is a diagnostic's severity; the values match LSP's.
type Severity int

// Severities.
const (
	SeverityError   Severity = 1
	SeverityWarning Severity = 2
	SeverityInfo    Severity = 3
	SeverityHint    Severity = 4
)

// String returns "error", "warning", "info" or "hint".
func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	case SeverityInfo:
		return "info"
	}
	return "hint"
}

// ParseSeverity maps "error", "warning", "info", "hint" to a Severity.
func ParseSeverity(s string) (Severity, bool) {
	switch strings.ToLower(s) {
	case "error":
		return SeverityError, true
	case "warning", "warn":
		return SeverityWarning, true
	case "info", "information":
		return SeverityInfo, true
	case "hint":
		return SeverityHint, true
	}
	return 0, false
}

// Diagnostic codes. They are stable: configuration, suppression comments and
// code actions refer to them.
const (
	CodeSyntax           = "syntax"
	CodeTerraform        = "terraform"
	CodeInclude          = "include"
	CodeUnknownVariable  = "unknown-variable"
	CodeUnknownFunction  = "unknown-function"
	CodeVariableScope    = "variable-scope"
	CodeFunctionScope    = "function-scope"
	CodeReadOnly         = "read-only"
	CodeArgCount         = "argument-count"
	CodeArgType          = "argument-type"
	CodeTypeMismatch     = "type-mismatch"
	CodeInvalidReturn    = "invalid-return"
	CodeDuplicateDecl    = "duplicate-declaration"
	CodeUndeclaredLocal  = "undeclared-local"
	CodeUnknownSub       = "unknown-subroutine"
	CodeRecursion        = "recursion"
	CodeMissingMacro     = "missing-fastly-macro"
	CodeUnusedLocal      = "unused-local"
	CodeUnusedSub        = "unused-subroutine"
	CodeUnreachable      = "unreachable-code"
	CodeUndefinedBackend = "undefined-backend"
	CodeUndefinedACL     = "undefined-acl"
	CodeUndefinedTable   = "undefined-table"
	CodeUndefinedObject  = "undefined-object"
	CodeUnknownLabel     = "unknown-label"
	CodeRegex            = "regex-syntax"
	CodeClusterLost      = "cluster-state-lost"
	CodeRestartBackend   = "restart-backend"
	CodeMacroMisplaced   = "misplaced-fastly-macro"
	CodeOperator         = "invalid-operator"
	CodeSimulator        = "simulator-unsupported"
	// CodeTestOnly: testing.*, assert.* or describe outside a test file.
	CodeTestOnly = "test-only"
	// CodeTest: a malformed unit test (unknown @scope, a vcl_* subroutine
	// called outside the test's scope, a vcl_* subroutine mocked).
	CodeTest            = "test"
	CodeUndocumentedVar = "undocumented-variable"
)

// Codes lists every diagnostic code, for validating configuration.
var Codes = []string{
	CodeSyntax, CodeInclude, CodeUnknownVariable, CodeUnknownFunction, CodeVariableScope,
	CodeFunctionScope, CodeReadOnly, CodeArgCount, CodeArgType, CodeTypeMismatch,
	CodeInvalidReturn, CodeDuplicateDecl, CodeUndeclaredLocal, CodeUnknownSub, CodeRecursion,
	CodeMissingMacro, CodeUnusedLocal, CodeUnusedSub, CodeUnreachable, CodeUndefinedBackend,
	CodeUndefinedACL, CodeUndefinedTable, CodeUndefinedObject, CodeUnknownLabel, CodeRegex,
	CodeClusterLost, CodeRestartBackend, CodeMacroMisplaced, CodeOperator, CodeSimulator,
	CodeTestOnly, CodeTest,
	CodeUndocumentedVar, CodeTerraform,
}

// A misspelt code under `severity:` in .vclide.yaml is an error.
func init() { config.SetDiagnosticCodes(Codes) }

// Related is a secondary location that explains a diagnostic.
type Related struct {
	File    *syntax.Source
	Range   syntax.Range
	Message string
}

// Diagnostic is one problem found in a file.
type Diagnostic struct {
	File     *syntax.Source
	Range    syntax.Range
	Severity Severity
	Code     string
	Message  string
	Related  []Related
	// Suggestions are replacement texts for the diagnostic's range that a
	// quick fix may offer ("did you mean").
	Suggestions []string
	// Data carries extra facts for code actions (for example the name of an
	// undeclared local and its inferred type).
	Data map[string]string
}

// String formats the diagnostic as file:line:col: severity: message [code].
func (d *Diagnostic) String() string {
	pos := d.File.Position(d.Range.Start)
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", SourceFile(d.File.Name), pos.Line, pos.Col, d.Severity, d.Message, d.Code)
}

// SortDiagnostics orders diagnostics by file, then position, then code.
func SortDiagnostics(ds []*Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if fa, fb := SourceFile(a.File.Name), SourceFile(b.File.Name); fa != fb {
			return fa < fb
		}
		if a.Range.Start != b.Range.Start {
			return a.Range.Start < b.Range.Start
		}
		return a.Code < b.Code
	})
}

// closest returns up to three names near name, for "did you mean".
func closest(name string, candidates []string) []string {
	return suggest.Closest(name, candidates, 3)
}
