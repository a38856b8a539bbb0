package analysis

import (
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/internal/suggest"
)

var (
	varNamesOnce sync.Once
	varNames     []string
	funcNames    []string
)

// candidateNames lists catalogue names for "did you mean".
func candidateNames() ([]string, []string) {
	varNamesOnce.Do(func() {
		for _, v := range catalog.Variables() {
			if !v.Pattern {
				varNames = append(varNames, v.Name)
			}
		}
		for _, f := range catalog.Functions() {
			funcNames = append(funcNames, f.Name)
		}
		// Shared by checks running at once: with no spare capacity, an
		// append by a caller copies instead of writing into it.
		varNames, funcNames = slices.Clip(varNames), slices.Clip(funcNames)
	})
	return varNames, funcNames
}

// resolveVar resolves a variable used in a set/unset target or a read.
func (c *checker) resolveVar(id *syntax.Ident, mode access) catalog.Type {
	name := id.Name
	if name == "" {
		return catalog.TypeUnknown
	}
	if strings.HasPrefix(name, "var.") {
		sym := c.sub.Locals[name]
		if sym == nil {
			sev := SeverityError
			if c.sub.Snippet {
				sev = SeverityWarning // a snippet may use locals declared by the code that includes it
			}
			d := c.at(id.Range, sev, CodeUndeclaredLocal, name+" is not declared in "+c.sub.Name+": add `declare local "+name+" TYPE;` before using it")
			d.Suggestions = closest(name, keys(c.sub.Locals))
			d.Data = map[string]string{"name": name}
			return catalog.TypeUnknown
		}
		c.b.setRef(id, refLocal, nil)
		sym.Refs = append(sym.Refs, c.loc(id.Range))
		return sym.Type
	}
	v, ok := catalog.LookupVariable(name)
	if !ok && strings.HasPrefix(name, "testing.") {
		if tv, found := TestVariable(name); found {
			if !c.inTestFile() {
				c.at(id.Range, SeverityError, CodeTestOnly, name+" is only available in test files (*.test.vcl, or the tests: globs of .vclide.yaml)")
				return tv.Type
			}
			if mode != accRead {
				c.at(id.Range, SeverityError, CodeReadOnly, name+" is read-only: it cannot be "+accessVerb[mode])
			}
			c.b.setRef(id, refVariable, tv)
			return tv.Type
		}
	}
	if !ok {
		if !strings.Contains(name, ".") {
			if sym, ok := c.global(name); ok {
				c.refGlobal(sym, id)
				return sym.Type
			}
		}
		vars, _ := candidateNames()
		d := c.at(id.Range, SeverityError, CodeUnknownVariable, "unknown variable "+name)
		d.Suggestions = closest(name, vars)
		if len(d.Suggestions) > 0 {
			d.Message += ": did you mean " + d.Suggestions[0] + "?"
		}
		return catalog.TypeUnknown
	}
	c.b.setRef(id, refVariable, v)
	if v.Undocumented() {
		msg := name + " is not documented by Fastly"
		if v.SeenIn != "" {
			msg += ", though " + v.SeenIn + " uses it"
		}
		c.at(id.Range, SeverityWarning, CodeUndocumentedVar, msg+"; it may change without notice")
	}
	c.checkAccess(id, v, mode)
	if strings.HasPrefix(name, "req.") {
		c.noteReq(id, mode)
	}
	return v.Type
}

func (c *checker) checkAccess(id *syntax.Ident, v *catalog.Variable, mode access) {
	var allowed catalog.SubSet
	switch mode {
	case accRead:
		allowed = v.Read
	case accSet:
		allowed = v.Set
	case accUnset:
		allowed = v.Unset
	}
	if allowed == 0 {
		switch mode {
		case accSet:
			c.at(id.Range, SeverityError, CodeReadOnly, id.Name+" is read-only: it cannot be set")
		case accUnset:
			c.at(id.Range, SeverityError, CodeReadOnly, id.Name+" cannot be unset")
		default:
			c.at(id.Range, SeverityError, CodeVariableScope, id.Name+" cannot be read")
		}
		return
	}
	if c.scopes == 0 {
		return
	}
	if bad := c.scopes &^ allowed; bad != 0 {
		d := c.at(id.Range, SeverityError, CodeVariableScope,
			id.Name+" cannot be "+accessVerb[mode]+" in "+bad.String()+c.viaCallers()+"; it can be "+accessVerb[mode]+" in "+allowed.String())
		d.Data = map[string]string{"access": accessVerb[mode], "available": allowed.String()}
	}
}

func (c *checker) refGlobal(sym *Symbol, id *syntax.Ident) {
	c.b.setRef(id, refGlobal, nil)
	c.addRef(sym, false, id.Range)
}

// resolveNamed resolves a bare name used where a backend, ACL, table or
// other declared object is expected.
func (c *checker) resolveNamed(id *syntax.Ident, want catalog.Type) catalog.Type {
	if sym, ok := c.global(id.Name); ok {
		c.refGlobal(sym, id)
		switch {
		case want == catalog.TypeACL && sym.Kind != SymACL:
			c.at(id.Range, SeverityError, CodeTypeMismatch, id.Name+" is "+catalog.WithArticle(sym.Kind.String())+", not an ACL")
		case want == catalog.TypeTable && sym.Kind != SymTable:
			c.at(id.Range, SeverityError, CodeTypeMismatch, id.Name+" is "+catalog.WithArticle(sym.Kind.String())+", not a table")
		case want == catalog.TypeBackend && sym.Kind != SymBackend && sym.Kind != SymDirector:
			c.at(id.Range, SeverityError, CodeTypeMismatch, id.Name+" is "+catalog.WithArticle(sym.Kind.String())+", not a backend")
		}
		if want == catalog.TypeTable || want == catalog.TypeACL || want == catalog.TypeID {
			return want
		}
		return sym.Type
	}
	var code, what string
	switch want {
	case catalog.TypeBackend:
		code, what = CodeUndefinedBackend, "backend"
	case catalog.TypeACL:
		code, what = CodeUndefinedACL, "ACL"
	case catalog.TypeTable:
		code, what = CodeUndefinedTable, "table"
	default:
		code, what = CodeUndefinedObject, "object"
	}
	if want == catalog.TypeBackend {
		// The interpreter's rule (interp/service.go): a backend the VCL
		// references without declaring lives in the Fastly service, unless
		// it is a near miss of one the VCL declares, which is a typo.
		if near := suggest.Best(id.Name, c.knownBackends()); near != "" {
			d := c.at(id.Range, SeverityWarning, code, "backend "+id.Name+" is not declared in this VCL (did you mean "+near+"?): if it lives in the Fastly service, list it under declarations.backends in .vclide.yaml")
			d.Data = map[string]string{"kind": what, "name": id.Name, "suggestion": near}
			return want
		}
		d := c.at(id.Range, SeverityInfo, code, "backend "+id.Name+" is not declared in this VCL: it is taken as a service backend, defined in the Fastly service (list it under declarations.backends in .vclide.yaml to say so)")
		d.Data = map[string]string{"kind": what, "name": id.Name, "service": "true"}
		return want
	}
	d := c.at(id.Range, SeverityWarning, code, what+" "+id.Name+" is not declared in this VCL: if it lives in the Fastly service, declare it under declarations in .vclide.yaml")
	d.Data = map[string]string{"kind": what, "name": id.Name}
	return want
}

// declaredBackendNames lists the backends and directors declared in VCL or
// the configuration, the names a misspelt backend is compared with.
func (c *checker) declaredBackendNames() []string {
	if c.backendNames == nil {
		c.backendNames = []string{}
		for name, sym := range c.prog.Globals {
			if sym.Kind == SymBackend || sym.Kind == SymDirector {
				c.backendNames = append(c.backendNames, name)
			}
		}
		sort.Strings(c.backendNames)
	}
	return c.backendNames
}

// checkExpr checks an expression and returns (and records) its type. want is
// the type the context expects; it guides how bare names are resolved.
func (c *checker) checkExpr(e syntax.Expr, want catalog.Type) catalog.Type {
	t := c.exprType(e, want)
	c.b.setType(e, t)
	return t
}

func (c *checker) exprType(e syntax.Expr, want catalog.Type) catalog.Type {
	switch e := e.(type) {
	case *syntax.StringLit:
		return catalog.TypeString
	case *syntax.IntLit:
		return catalog.TypeInteger
	case *syntax.FloatLit:
		return catalog.TypeFloat
	case *syntax.DurationLit:
		return catalog.TypeRTime
	case *syntax.BoolLit:
		return catalog.TypeBool
	case *syntax.IPLit:
		return catalog.TypeIP
	case *syntax.Ident:
		if !strings.Contains(e.Name, ".") {
			if _, isVar := catalog.LookupVariable(e.Name); !isVar {
				switch want {
				case catalog.TypeBackend, catalog.TypeACL, catalog.TypeTable:
					return c.resolveNamed(e, want)
				case catalog.TypeID:
					if sym, ok := c.global(e.Name); ok {
						c.refGlobal(sym, e)
					}
					return catalog.TypeID
				}
			}
		}
		return c.resolveVar(e, accRead)
	case *syntax.ParenExpr:
		return c.checkExpr(e.X, want)
	case *syntax.ConcatExpr:
		for _, p := range e.Parts {
			t := c.checkExpr(p, catalog.TypeString)
			if t == catalog.TypeVoid {
				c.at(p.Span(), SeverityError, CodeTypeMismatch, "this function returns nothing; it cannot be part of a string")
			}
		}
		return catalog.TypeString
	case *syntax.UnaryExpr:
		if e.Op == syntax.NOT {
			c.checkCond(e.X)
			return catalog.TypeBool
		}
		t := c.checkExpr(e.X, want)
		switch t {
		case catalog.TypeInteger, catalog.TypeFloat, catalog.TypeRTime, catalog.TypeUnknown:
			return t
		}
		c.at(e.Span(), SeverityError, CodeOperator, "unary "+e.Op.String()+" needs a number, not "+t.String())
		return catalog.TypeUnknown
	case *syntax.BinaryExpr:
		return c.binaryType(e)
	case *syntax.CallExpr:
		return c.checkCall(e, false)
	case *syntax.IfExpr:
		c.checkCond(e.Cond)
		a := c.checkExpr(e.Then, want)
		b := c.checkExpr(e.Else, want)
		if a == b {
			return a
		}
		return catalog.TypeString
	}
	return catalog.TypeUnknown
}

// binaryType checks a chain of binary operators link by link, from the
// innermost (first) operand out, so a chain of any length needs no deep
// recursion. Each link's left operand is checked as that link's operator
// wants; its type is then combined with the right operand's.
func (c *checker) binaryType(e *syntax.BinaryExpr) catalog.Type {
	chain := syntax.Chain(e)
	first := chain[0]
	var lt catalog.Type
	switch first.Op {
	case syntax.LAND, syntax.LOR:
		lt = c.checkExpr(first.X, catalog.TypeBool)
	case syntax.MATCH, syntax.NOMATCH:
		lt = c.checkExpr(first.X, catalog.TypeString)
	default:
		lt = c.checkExpr(first.X, catalog.TypeUnknown)
	}
	for i, link := range chain {
		if link.Op == syntax.LAND || link.Op == syntax.LOR {
			c.condType(link.X, lt)
		}
		lt = c.linkType(link, lt)
		if i < len(chain)-1 {
			c.b.setType(link, lt) // the caller records the outermost link's type
		}
	}
	return lt
}

// linkType checks one link of a chain whose left operand has type lt and
// returns the link's type.
func (c *checker) linkType(e *syntax.BinaryExpr, lt catalog.Type) catalog.Type {
	switch e.Op {
	case syntax.LAND, syntax.LOR:
		c.checkCond(e.Y)
		return catalog.TypeBool
	case syntax.MATCH, syntax.NOMATCH:
		if lt == catalog.TypeIP {
			if id, ok := e.Y.(*syntax.Ident); ok {
				c.b.setType(id, c.resolveNamed(id, catalog.TypeACL))
				return catalog.TypeBool
			}
			c.at(e.Y.Span(), SeverityError, CodeTypeMismatch, "an IP can only be matched against an ACL name (client.ip ~ acl_name)")
			return catalog.TypeBool
		}
		switch y := e.Y.(type) {
		case *syntax.StringLit:
			c.checkRegex(y)
		case *syntax.Ident:
			if _, isVar := catalog.LookupVariable(y.Name); !isVar && !strings.HasPrefix(y.Name, "var.") {
				// An ACL on the right implies an IP on the left.
				c.resolveNamed(y, catalog.TypeACL)
				break
			}
			c.checkExpr(y, catalog.TypeString)
			c.at(y.Range, SeverityError, CodeTypeMismatch, "the right side of "+e.Op.String()+" must be a regular expression literal (Fastly compiles it ahead of time), not a variable")
		default:
			c.checkExpr(e.Y, catalog.TypeString)
			c.at(e.Y.Span(), SeverityError, CodeTypeMismatch, "the right side of "+e.Op.String()+" must be a regular expression literal or an ACL name")
		}
		return catalog.TypeBool
	case syntax.EQL, syntax.NEQ, syntax.LSS, syntax.GTR, syntax.LEQ, syntax.GEQ:
		rt := c.checkExpr(e.Y, lt)
		if !comparable(lt, rt) {
			c.at(syntax.Range{Start: e.OpPos, End: e.OpPos + syntax.Pos(len(e.Op.String()))}, SeverityError, CodeTypeMismatch,
				"cannot compare "+lt.String()+" with "+rt.String())
		}
		return catalog.TypeBool
	case syntax.PLUS:
		rt := c.checkExpr(e.Y, catalog.TypeUnknown)
		if lt == catalog.TypeTime && rt == catalog.TypeRTime {
			return catalog.TypeTime
		}
		return catalog.TypeString
	default: // - * / %
		rt := c.checkExpr(e.Y, catalog.TypeUnknown)
		if lt == catalog.TypeString || rt == catalog.TypeString {
			c.at(syntax.Range{Start: e.OpPos, End: e.OpPos + 1}, SeverityError, CodeOperator,
				"operator "+e.Op.String()+" needs numbers, not "+lt.String()+" and "+rt.String())
			return catalog.TypeUnknown
		}
		if lt == catalog.TypeTime && rt == catalog.TypeRTime {
			return catalog.TypeTime
		}
		return lt
	}
}

func comparable(a, b catalog.Type) bool {
	if a == b || a == catalog.TypeUnknown || b == catalog.TypeUnknown || a == catalog.TypeAny || b == catalog.TypeAny {
		return true
	}
	num := func(t catalog.Type) bool {
		return t == catalog.TypeInteger || t == catalog.TypeFloat || t == catalog.TypeRTime
	}
	if num(a) && num(b) {
		return true
	}
	// STRING compares with anything that has a string form (IP literals,
	// backends by name, …).
	return a == catalog.TypeString || b == catalog.TypeString || a == catalog.TypeID || b == catalog.TypeID
}

// checkCall checks a function call: a builtin from the catalogue or a user
// subroutine with a return type. It records what the call resolved to.
func (c *checker) checkCall(call *syntax.CallExpr, asStmt bool) catalog.Type {
	var f callFact
	f.typ = c.callType(call, asStmt, &f)
	c.b.addCall(call, f)
	return f.typ
}

// callType checks a call and returns its type; f learns what it resolved to.
func (c *checker) callType(call *syntax.CallExpr, asStmt bool, f *callFact) catalog.Type {
	name := call.Fn.Name
	if sub, ok := c.subNamed(name); ok {
		f.sub = true
		c.refSub(sub, call.Fn)
		c.checkArgs(call.Fn, sub, call.Args)
		if sub.ReturnT == catalog.TypeUnknown && !asStmt {
			c.at(call.Fn.Range, SeverityError, CodeTypeMismatch, name+" has no return type; use `call "+name+";`")
		}
		if sub.ReturnT == catalog.TypeUnknown {
			return catalog.TypeVoid
		}
		return sub.ReturnT
	}
	fn, ok := catalog.LookupFunction(name)
	if !ok && isTestingName(name) {
		if tf, found := TestFunction(name); found && c.inTestFile() {
			fn, ok = tf, true
			c.checkTestCall(call)
		} else if found {
			for _, a := range call.Args {
				c.checkExpr(a, catalog.TypeUnknown)
			}
			c.at(call.Fn.Range, SeverityError, CodeTestOnly, name+" is only available in test files (*.test.vcl, or the tests: globs of .vclide.yaml)")
			return catalog.TypeUnknown
		}
	}
	if !ok {
		if ext := c.siblingSub(name); ext != nil {
			c.siblingCall(name, ext, call.Fn.Range)
			for _, a := range call.Args {
				c.checkExpr(a, catalog.TypeUnknown)
			}
			return ext.ReturnT
		}
		for _, a := range call.Args {
			c.checkExpr(a, catalog.TypeUnknown)
		}
		_, funcs := candidateNames()
		if c.inTestFile() {
			for _, f := range TestFunctions() {
				funcs = append(funcs[:len(funcs):len(funcs)], f.Name)
			}
		}
		d := c.at(call.Fn.Range, SeverityError, CodeUnknownFunction, "unknown function "+name)
		d.Suggestions = closest(name, append(funcs[:len(funcs):len(funcs)], c.subNames()...))
		if len(d.Suggestions) > 0 {
			d.Message += ": did you mean " + d.Suggestions[0] + "?"
		}
		return catalog.TypeUnknown
	}
	f.fn = fn
	if c.scopes != 0 {
		if bad := c.scopes &^ fn.Subs; bad != 0 {
			c.at(call.Fn.Range, SeverityError, CodeFunctionScope, name+" cannot be called in "+bad.String()+c.viaCallers()+"; it is available in "+fn.Subs.String())
		}
	}
	// Candidate overloads by arity.
	var cands []*catalog.Signature
	for i := range fn.Overloads {
		if fn.Overloads[i].Accepts(len(call.Args)) {
			cands = append(cands, &fn.Overloads[i])
		}
	}
	if len(cands) == 0 {
		var sigs []string
		for i := range fn.Overloads {
			sigs = append(sigs, name+fn.Overloads[i].String()[len(fn.Overloads[i].Return.String()):])
		}
		c.at(call.Span(), SeverityError, CodeArgCount, name+" does not take "+plural(len(call.Args), "argument")+": expected "+strings.Join(sigs, " or "))
		for _, a := range call.Args {
			c.checkExpr(a, catalog.TypeUnknown)
		}
		return returnOf(fn)
	}
	// Check arguments against the first candidate's parameter types, then
	// pick the first overload they fit.
	types := make([]catalog.Type, len(call.Args))
	for i, a := range call.Args {
		want := catalog.TypeUnknown
		if p, ok := cands[0].ParamAt(i); ok {
			want = p.Type
		}
		if want == catalog.TypeRegex {
			if lit, ok := a.(*syntax.StringLit); ok {
				c.checkRegex(lit)
				types[i] = catalog.TypeRegex
				continue
			}
		}
		types[i] = c.checkExpr(a, want)
	}
	for _, sig := range cands {
		if argsFit(sig, types) {
			f.sig = sig
			if sig.Return == catalog.TypeVoid && !asStmt {
				c.at(call.Fn.Range, SeverityError, CodeTypeMismatch, name+" returns nothing; call it as a statement")
			}
			return sig.Return
		}
	}
	sig := cands[0]
	f.sig = sig
	for i, t := range types {
		p, _ := sig.ParamAt(i)
		if !argFits(p.Type, t) {
			c.at(call.Args[i].Span(), SeverityError, CodeArgType, "argument "+itoa(i+1)+" ("+p.Name+") of "+name+" must be "+p.Type.String()+", not "+t.String())
			break
		}
	}
	return sig.Return
}

func returnOf(fn *catalog.Function) catalog.Type {
	if len(fn.Overloads) > 0 {
		return fn.Overloads[0].Return
	}
	return catalog.TypeUnknown
}

func argsFit(sig *catalog.Signature, types []catalog.Type) bool {
	for i, t := range types {
		p, ok := sig.ParamAt(i)
		if !ok || !argFits(p.Type, t) {
			return false
		}
	}
	return true
}

// argFits is assignable plus the pseudo types that only arguments have.
func argFits(param, arg catalog.Type) bool {
	switch param {
	case catalog.TypeRegex:
		return arg == catalog.TypeRegex || arg == catalog.TypeString || arg == catalog.TypeUnknown
	case catalog.TypeStringList:
		return arg != catalog.TypeVoid
	case catalog.TypeID, catalog.TypeAny:
		return true
	case catalog.TypeTable:
		return arg == catalog.TypeTable || arg == catalog.TypeID || arg == catalog.TypeUnknown
	case catalog.TypeHash:
		return true
	case catalog.TypeIP:
		return arg == catalog.TypeIP || arg == catalog.TypeUnknown
	case catalog.TypeRTime:
		// Real code passes TIME values (std.integer2time(n)) as offsets.
		return arg == catalog.TypeTime || assignable(param, arg)
	}
	return assignable(param, arg)
}
