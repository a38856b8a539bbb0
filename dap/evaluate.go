package dap

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/interp/value"
)

// Debugger input (watch and console expressions, console statements,
// breakpoint conditions, values typed in the Variables view) is parsed
// with the VCL parser and checked by the checker in the scope of the
// frame it runs in, so it gets the same diagnostics and types as source
// code, and then runs as compiled VCL.

// consoleName names debugger input in messages.
const consoleName = "<debug console>"

// fragment is parsed and checked debugger input.
type fragment struct {
	expr syntax.Expr // an expression, or
	stmt syntax.Stmt // a statement
	src  *syntax.Source
	typ  catalog.Type // the expression's type
	// facts are what the checker learned about the fragment's nodes.
	facts analysis.Facts
}

// frameScope is where input is checked at a stop: the frame's subroutine
// (its locals), running in the request's vcl_* subroutine.
func frameScope(st *stopInfo, fi int) analysis.FragmentScope {
	var scope analysis.FragmentScope
	if fi >= 0 && fi < len(st.frames) {
		scope.Sub = st.frames[fi].Sub
	}
	if k, ok := st.subKind(); ok {
		scope.Scopes = catalog.SetOf(k)
	}
	return scope
}

// checkExpr parses and checks an expression; want is the type the context
// expects (TypeUnknown: any).
func checkExpr(prog *analysis.Program, scope analysis.FragmentScope, text string, want catalog.Type) (*fragment, error) {
	e, src, perrs := syntax.ParseExpr(consoleName, text)
	if err := syntaxError(perrs); err != nil {
		return nil, err
	}
	t, facts, diags := prog.CheckExpr(scope, e, src, want)
	if err := diagError(diags); err != nil {
		return nil, err
	}
	return &fragment{expr: e, src: src, typ: t, facts: facts}, nil
}

// consoleStatements are the statements the debug console runs.
var consoleStatements = map[string]bool{"set": true, "add": true, "unset": true, "remove": true}

// statementKeywords start VCL statements that are no expression.
var statementKeywords = map[string]bool{
	"set": true, "add": true, "unset": true, "remove": true, "declare": true, "if": true, "return": true,
	"call": true, "error": true, "restart": true, "synthetic": true, "esi": true, "log": true, "goto": true, "include": true,
}

// firstWord is the leading identifier of text.
func firstWord(text string) string {
	end := strings.IndexFunc(text, func(r rune) bool { return !(r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') })
	if end < 0 {
		return text
	}
	return text[:end]
}

// isStatement reports whether console input is a statement: a statement
// keyword followed by something that is not an operator (`set` alone
// could be a bare name).
func isStatement(text string) bool {
	w := firstWord(text)
	if !statementKeywords[w] || strings.Contains(w, ".") {
		return false
	}
	rest := strings.TrimSpace(text[len(w):])
	return rest == "" || rest == ";" || !strings.ContainsAny(rest[:1], "=!~<>+-*/%&|)")
}

// checkStmt parses and checks a console statement: only set, add, unset
// and remove are run.
func checkStmt(prog *analysis.Program, scope analysis.FragmentScope, text string) (*fragment, error) {
	if w := firstWord(text); !consoleStatements[w] {
		return nil, fmt.Errorf("the debug console runs set, add, unset and remove statements, not %s; type an expression to evaluate it", w)
	}
	st, src, perrs := syntax.ParseStmt(consoleName, text)
	if err := syntaxError(perrs); err != nil {
		return nil, err
	}
	facts, diags := prog.CheckStmt(scope, st, src)
	if err := diagError(diags); err != nil {
		return nil, err
	}
	return &fragment{stmt: st, src: src, facts: facts}, nil
}

// target is the variable a console statement changes.
func (f *fragment) target() string {
	switch s := f.stmt.(type) {
	case *syntax.SetStmt:
		return s.Target.Name
	case *syntax.UnsetStmt:
		return s.Target.Name
	}
	return ""
}

// syntaxError turns parse errors into one message, the checker's way.
func syntaxError(errs []*syntax.Error) error {
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		msgs = append(msgs, "syntax error: "+e.Msg)
	}
	return errors.New(strings.Join(msgs, "; "))
}

// diagError joins the checker's errors (warnings do not stop evaluation).
func diagError(diags []*analysis.Diagnostic) error {
	var msgs []string
	for _, d := range diags {
		if d.Severity == analysis.SeverityError {
			msgs = append(msgs, d.Message)
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return errors.New(strings.Join(msgs, "; "))
}

// eval runs a checked expression.
func (f *fragment) eval(x execState) (value.Value, error) {
	v, err := x.EvalChecked(f.expr, f.src, f.facts)
	return v, userError(err)
}

// goInternals matches messages of Go's strconv and similar packages.
var goInternals = regexp.MustCompile(`(?:strconv|strings|time|net/netip|netip|json|url)\.[A-Za-z]+: `)

// userError rewrites an error so that no Go internals reach the user.
func userError(err error) error {
	if err == nil {
		return nil
	}
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		what := "a number"
		if errors.Is(ne.Err, strconv.ErrRange) {
			return fmt.Errorf("%q is out of range for %s", ne.Num, what)
		}
		return fmt.Errorf("%q is not %s", ne.Num, what)
	}
	msg := goInternals.ReplaceAllString(err.Error(), "")
	msg = strings.ReplaceAll(msg, `parsing "`, `"`)
	return errors.New(msg)
}

// present shows a value with the checker's type when it knows it (a
// STRING expression shows its value as a string).
func (f *fragment) present(v value.Value) (result, typ string) {
	if f.typ == catalog.TypeUnknown || f.typ == v.T {
		return formatValue(v), v.T.String()
	}
	if f.typ == catalog.TypeString && !v.NotSet {
		return strconv.Quote(v.String()), f.typ.String()
	}
	return formatValue(v), f.typ.String()
}
