package interp

import (
	"errors"
	"net/netip"
	"strings"
	"time"

	"github.com/vclide/vclide/analysis"
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/pcre"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/interp/builtin"
	"github.com/vclide/vclide/interp/value"
)

// cexpr is a compiled expression.
type cexpr interface {
	eval(x *execState) (value.Value, error)
}

// Compiled expressions (their eval methods are in eval.go).
type (
	constExpr  struct{ v value.Value }
	varExpr    struct{ v cvar }
	concatExpr struct{ parts []cexpr }
	notExpr    struct{ x cexpr }
	negExpr    struct{ x cexpr }
	// The binary operators are links of a chainExpr: b is the right
	// operand, the left one is the value of the chain so far.
	andExpr struct{ b cexpr }
	orExpr  struct{ b cexpr }
	cmpExpr struct {
		op string
		b  cexpr
	}
	matchExpr struct {
		re  *pcre.Regexp
		err error // the pattern cannot run (reported when evaluated)
		neg bool
	}
	aclExpr struct {
		acl *aclInfo
		neg bool
	}
	arithExpr struct {
		op string // "+=", "-=", …: the value package's operator
		b  cexpr
	}
	plusStrExpr struct {
		b       cexpr
		dynamic bool // unchecked operands (debugger eval): numbers add
	}
	// chainExpr is a chain of binary operators (a + b - c …), evaluated
	// by folding its links over the first operand.
	chainExpr struct {
		first cexpr
		links []chainLink
	}
	ifExpr   struct{ cond, then, els cexpr }
	callExpr struct {
		name   string
		fn     builtin.Func
		args   []cexpr
		ptypes []catalog.Type
	}
	subCallExpr struct {
		sub  *csub
		args []cexpr
	}
	regsubExpr struct {
		subject, repl cexpr
		re            *pcre.Regexp
		err           error
		all           bool
	}
	unsupportedCall struct{ name string }
)

var epoch = time.Unix(0, 0).UTC()

// expr compiles an expression.
func (c *compiler) expr(e syntax.Expr) cexpr {
	switch e := e.(type) {
	case nil:
		return &constExpr{v: value.NullString()}
	case *syntax.StringLit:
		return &constExpr{v: value.String(e.Value)}
	case *syntax.IntLit:
		return &constExpr{v: value.Integer(e.Value)}
	case *syntax.FloatLit:
		return &constExpr{v: value.Float(e.Value)}
	case *syntax.BoolLit:
		return &constExpr{v: value.Bool(e.Value)}
	case *syntax.DurationLit:
		return &constExpr{v: value.RTime(time.Duration(e.Seconds * float64(time.Second)))}
	case *syntax.IPLit:
		a, err := netip.ParseAddr(e.Raw)
		if err != nil {
			c.errorf(e, "%q is not an IP address", e.Raw)
		}
		return &constExpr{v: value.IP(a)}
	case *syntax.Ident:
		return c.ident(e)
	case *syntax.ParenExpr:
		return c.expr(e.X)
	case *syntax.ConcatExpr:
		parts := make([]cexpr, len(e.Parts))
		for i, p := range e.Parts {
			parts[i] = c.expr(p)
		}
		return &concatExpr{parts: parts}
	case *syntax.UnaryExpr:
		switch e.Op {
		case syntax.NOT:
			return &notExpr{x: c.expr(e.X)}
		case syntax.MINUS:
			return &negExpr{x: c.expr(e.X)}
		}
		return c.expr(e.X)
	case *syntax.BinaryExpr:
		return c.binary(e)
	case *syntax.IfExpr:
		return &ifExpr{cond: c.expr(e.Cond), then: c.expr(e.Then), els: c.expr(e.Else)}
	case *syntax.CallExpr:
		return c.call(e)
	case *syntax.BadExpr:
		c.errorf(e, "expression could not be parsed")
	}
	return &constExpr{v: value.NullString()}
}

// ident compiles a name used as a value: a variable, or a declared object
// (backend, director, ACL, table, …) named bare.
func (c *compiler) ident(id *syntax.Ident) cexpr {
	switch r := c.facts.RefOf(id).(type) {
	case *analysis.Symbol:
		if r.Kind == analysis.SymLocal || r.Kind == analysis.SymParam {
			return &varExpr{v: c.variable(id)}
		}
		return &constExpr{v: globalValue(r.Kind, id.Name)}
	case *catalog.Variable:
		return &varExpr{v: c.variable(id)}
	}
	if sym, ok := c.e.prog.Globals[id.Name]; ok && !strings.HasPrefix(id.Name, "var.") {
		return &constExpr{v: globalValue(sym.Kind, id.Name)}
	}
	if strings.Contains(id.Name, ".") {
		return &varExpr{v: c.variable(id)}
	}
	return &constExpr{v: value.ID(id.Name)}
}

// globalValue is the value of a declared object's bare name.
func globalValue(k analysis.SymbolKind, name string) value.Value {
	switch k {
	case analysis.SymBackend, analysis.SymDirector:
		return value.Backend(name)
	case analysis.SymACL:
		return value.Value{T: catalog.TypeACL, Str: name}
	}
	return value.ID(name)
}

// binary compiles a chain of binary operators into one chainExpr whose
// links are compiled one by one: a chain of a million operands nests a
// million deep in the tree, and must neither compile nor run recursively.
func (c *compiler) binary(e *syntax.BinaryExpr) cexpr {
	chain := syntax.Chain(e)
	ce := &chainExpr{first: c.expr(chain[0].X), links: make([]chainLink, len(chain))}
	for i, link := range chain {
		ce.links[i] = c.link(link)
	}
	return ce
}

// link compiles one operator and its right operand; its left operand is
// the value of the chain so far.
func (c *compiler) link(e *syntax.BinaryExpr) chainLink {
	switch e.Op {
	case syntax.LAND:
		return &andExpr{b: c.expr(e.Y)}
	case syntax.LOR:
		return &orExpr{b: c.expr(e.Y)}
	case syntax.MATCH, syntax.NOMATCH:
		neg := e.Op == syntax.NOMATCH
		if id, ok := e.Y.(*syntax.Ident); ok {
			if acl := c.aclFor(id); acl != nil {
				return &aclExpr{acl: acl, neg: neg}
			}
		}
		lit, ok := e.Y.(*syntax.StringLit)
		if !ok {
			c.errorf(e.Y, "the right side of %s must be a regular expression literal or an ACL", e.Op)
			return &constLink{v: value.Bool(false)}
		}
		re, err := c.regex(lit)
		return &matchExpr{re: re, err: err, neg: neg}
	case syntax.EQL, syntax.NEQ, syntax.LSS, syntax.GTR, syntax.LEQ, syntax.GEQ:
		return &cmpExpr{op: e.Op.String(), b: c.expr(e.Y)}
	case syntax.PLUS:
		t, xt, yt := c.facts.TypeOf(e), c.facts.TypeOf(e.X), c.facts.TypeOf(e.Y)
		if t == catalog.TypeTime || isNumeric(xt) && isNumeric(yt) {
			return &arithExpr{op: "+=", b: c.expr(e.Y)}
		}
		return &plusStrExpr{b: c.expr(e.Y), dynamic: xt == catalog.TypeUnknown || yt == catalog.TypeUnknown}
	case syntax.MINUS, syntax.STAR, syntax.SLASH, syntax.PERCENT:
		return &arithExpr{op: e.Op.String() + "=", b: c.expr(e.Y)}
	}
	c.errorf(e, "operator %s is not supported", e.Op)
	return &constLink{v: value.Bool(false)}
}

func isNumeric(t catalog.Type) bool {
	return t == catalog.TypeInteger || t == catalog.TypeFloat || t == catalog.TypeRTime
}

// aclFor returns the ACL an identifier names, if it does. A bare name that
// is not declared (an ACL living in the Fastly service, which the checker
// warns about) is an empty ACL.
func (c *compiler) aclFor(id *syntax.Ident) *aclInfo {
	ref := c.facts.RefOf(id)
	if sym, ok := ref.(*analysis.Symbol); ok && sym.Kind != analysis.SymACL {
		return nil
	}
	if a := c.e.acls[id.Name]; a != nil {
		return a
	}
	if _, isVar := ref.(*catalog.Variable); isVar || strings.Contains(id.Name, ".") {
		return nil
	}
	a := &aclInfo{name: id.Name}
	c.e.acls[id.Name] = a
	return a
}

// regex compiles a regular expression literal once per engine. A pattern
// that is valid but cannot run is reported when it is evaluated.
func (c *compiler) regex(lit *syntax.StringLit) (*pcre.Regexp, error) {
	re, err := c.e.compileRegex(lit.Value)
	if err != nil {
		var se *pcre.SyntaxError
		if errors.As(err, &se) {
			c.errorf(lit, "invalid regular expression: %v", err)
		}
	}
	return re, err
}

func (e *Engine) compileRegex(pattern string) (*pcre.Regexp, error) {
	if e.regexps == nil {
		e.regexps = map[string]regexEntry{}
	}
	if r, ok := e.regexps[pattern]; ok {
		return r.re, r.err
	}
	re, err := pcre.Compile(pattern)
	e.regexps[pattern] = regexEntry{re, err}
	return re, err
}

type regexEntry struct {
	re  *pcre.Regexp
	err error
}

// call compiles a function call: a typed user subroutine, an intrinsic
// (regsub, regsuball) or a builtin from package builtin.
func (c *compiler) call(e *syntax.CallExpr) cexpr {
	name := e.Fn.Name
	fn, sig := c.facts.CallOf(e)
	if s, ok := fn.(*analysis.Sub); ok || c.e.subs[name] != nil {
		callee := c.e.subs[name]
		if ok {
			callee = c.e.subs[s.Name]
		}
		return &subCallExpr{sub: callee, args: c.args(callee, e.Args)}
	}
	if (name == "regsub" || name == "regsuball") && len(e.Args) == 3 {
		if lit, ok := e.Args[1].(*syntax.StringLit); ok {
			re, err := c.regex(lit)
			return &regsubExpr{subject: c.expr(e.Args[0]), repl: c.expr(e.Args[2]), re: re, err: err, all: name == "regsuball"}
		}
	}
	if tf, ok := analysis.TestFunction(name); ok {
		return c.testCall(e, tf)
	}
	impl, ok := builtin.Lookup(name)
	if !ok {
		return &unsupportedCall{name: name}
	}
	ce := &callExpr{name: name, fn: impl, args: make([]cexpr, len(e.Args)), ptypes: make([]catalog.Type, len(e.Args))}
	// The checker resolved the overload (one resolution, its rules).
	nameArg := map[int]bool{}
	for _, i := range builtin.NameArgs[name] {
		nameArg[i] = true
	}
	for i, a := range e.Args {
		if sig != nil {
			if p, ok := sig.ParamAt(i); ok {
				ce.ptypes[i] = p.Type
			}
		}
		if id, ok := a.(*syntax.Ident); ok && (nameArg[i] || ce.ptypes[i] == catalog.TypeID || ce.ptypes[i] == catalog.TypeTable) {
			ce.args[i] = &constExpr{v: value.ID(id.Name)}
			continue
		}
		if lit, ok := a.(*syntax.StringLit); ok && ce.ptypes[i] == catalog.TypeRegex {
			ce.args[i] = &constExpr{v: value.Value{T: catalog.TypeRegex, Str: lit.Value}}
			continue
		}
		ce.args[i] = c.expr(a)
	}
	return ce
}

// args compiles the arguments of a user subroutine call.
func (c *compiler) args(callee *csub, args []syntax.Expr) []cexpr {
	out := make([]cexpr, len(args))
	for i, a := range args {
		out[i] = c.expr(a)
	}
	return out
}
