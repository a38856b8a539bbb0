package analysis

import (
	"sort"
	"strings"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/analysis/pcre"
	"github.com/vclide/vclide/analysis/syntax"
	"github.com/vclide/vclide/internal/lru"
)

// access is how a variable is used.
type access int

const (
	accRead access = iota
	accSet
	accUnset
)

var accessVerb = [...]string{"read", "set", "unset"}

func (c *checker) checkSub(s *Sub) {
	if s.Test {
		// Test code runs outside the request flow: keep it out of the
		// clustering facts.
		nw, nr, nrs, ne, nf := len(c.reqWrites), len(c.reqReads), len(c.restarts), len(c.errors), len(c.firstPass)
		defer func() {
			c.reqWrites, c.reqReads, c.restarts, c.errors, c.firstPass = c.reqWrites[:nw], c.reqReads[:nr], c.restarts[:nrs], c.errors[:ne], c.firstPass[:nf]
		}()
	}
	c.sub = s
	c.scopes = s.Scopes
	defer func() { s.unit.info = c.b.finish() }()
	c.recordDecl(s)
	for i := range s.numParts() {
		part := s.part(i)
		c.file = part.File
		c.collectLabels(s, part)
	}
	if s.Snippet && s.Kind == catalog.SubRecv && s.Scopes == catalog.SetOf(catalog.SubRecv) {
		// A recv snippet is placed at #FASTLY recv, after Fastly's
		// generated declarations.
		c.declareMacroLocals(s, "recv", Location{File: s.File.Source})
	}
	for i := range s.numParts() {
		part := s.part(i)
		c.file = part.File
		if part.Body != nil {
			c.checkBlock(part.Body)
		}
	}
	c.file = s.File
	if s.Builtin && !s.HasMacro && !s.Snippet && !expandedMacro(s) {
		d := c.at(s.Decl.Name.Range, SeverityWarning, CodeMissingMacro,
			s.Name+" has no #FASTLY "+s.Kind.String()+" macro: Fastly's generated code for this subroutine (backend selection, default TTLs, …) will not run. Add `#FASTLY "+s.Kind.String()+"` at the top of the body")
		d.Data = map[string]string{"macro": "#FASTLY " + s.Kind.String()}
	}
}

// recordDecl makes the subroutine's symbol tables, declares its
// parameters and records what the names of its definitions and
// parameters refer to.
func (c *checker) recordDecl(s *Sub) {
	s.Locals = map[string]*Symbol{}
	s.Labels = map[string]*Symbol{}
	for i := range s.numParts() {
		part := s.part(i)
		if part.Decl != nil && part.Decl.Name != nil {
			c.b.setRef(part.Decl.Name, refOwnSub, nil)
		}
	}
	if s.Decl == nil {
		return
	}
	for _, p := range s.Decl.Params {
		if p.Name != nil && p.Name.Name != "" {
			c.b.setRef(p.Name, refLocal, nil)
			s.Locals[p.Name.Name] = &Symbol{Kind: SymParam, Name: p.Name.Name, Decl: p, NameLoc: Location{s.File.Source, p.Name.Range}, Type: p.VarType, Owner: s}
		}
	}
}

// expandedMacro reports whether a subroutine holds Fastly's already
// expanded generated code (`#--FASTLY RECV BEGIN` markers), as in the VCL
// Fastly shows for a service version.
func expandedMacro(s *Sub) bool {
	for i := range s.numParts() {
		part := s.part(i)
		if part.Decl == nil {
			continue
		}
		for _, cm := range part.File.Comments {
			if cm.Start >= part.Decl.Start && cm.End <= part.Decl.End && strings.HasPrefix(cm.Text, "#--FASTLY") {
				return true
			}
		}
	}
	return false
}

// collectLabels records a body's labels before checking, so forward gotos
// resolve.
func (c *checker) collectLabels(s *Sub, part SubPart) {
	if !part.File.HasLabels && len(part.File.Includes) == 0 {
		return
	}
	c.walkBody(part.Body, func(n syntax.Node, file *syntax.File) bool {
		switch n := n.(type) {
		case *syntax.LabelStmt:
			if prev, ok := s.Labels[n.Label.Name]; ok {
				d := c.report(file.Source, n.Label.Range, SeverityError, CodeDuplicateDecl, "label "+n.Label.Name+" is already defined in "+s.Name)
				d.Related = append(d.Related, Related{File: prev.NameLoc.File, Range: prev.NameLoc.Range, Message: "first defined here"})
				return true
			}
			sym := &Symbol{Kind: SymLabel, Name: n.Label.Name, Decl: n, NameLoc: Location{file.Source, n.Label.Range}, Owner: s}
			c.b.setRef(n.Label, refLabel, nil)
			s.Labels[n.Label.Name] = sym
		case syntax.Expr:
			return false
		}
		return true
	}, part.File)
}

func terminates(st syntax.Stmt) bool {
	switch st.(type) {
	case *syntax.ReturnStmt, *syntax.ErrorStmt, *syntax.RestartStmt, *syntax.GotoStmt:
		return true
	}
	return false
}

func (c *checker) checkBlock(b *syntax.Block) {
	dead := false
	for _, st := range b.Stmts {
		if _, isLabel := st.(*syntax.LabelStmt); isLabel {
			dead = false
		}
		if dead {
			if _, bad := st.(*syntax.BadStmt); !bad {
				c.at(st.Span(), SeverityHint, CodeUnreachable, "unreachable statement: the statement before it always leaves this block")
			}
			dead = false // report once per run of dead code
			c.checkStmt(st)
			continue
		}
		c.checkStmt(st)
		if terminates(st) {
			dead = true
		}
	}
}

func (c *checker) checkStmt(st syntax.Stmt) {
	switch s := st.(type) {
	case *syntax.Block:
		c.checkBlock(s)
	case *syntax.SetStmt:
		c.checkSet(s)
	case *syntax.UnsetStmt:
		t := c.resolveVar(s.Target, accUnset)
		_ = t
	case *syntax.DeclareStmt:
		c.checkDeclare(s)
	case *syntax.IfStmt:
		c.checkIf(s)
	case *syntax.ReturnStmt:
		c.checkReturn(s)
	case *syntax.CallStmt:
		c.checkCallStmt(s)
	case *syntax.ErrorStmt:
		c.errors = append(c.errors, flowPoint{c.sub, c.scopes, c.loc(s.Range)})
		if s.Code != nil {
			t := c.checkExpr(s.Code, catalog.TypeInteger)
			if t != catalog.TypeInteger && t != catalog.TypeUnknown && t != catalog.TypeString {
				c.at(s.Code.Span(), SeverityError, CodeTypeMismatch, "the status of error must be an INTEGER, not "+t.String())
			}
		}
		if s.Response != nil {
			c.checkExpr(s.Response, catalog.TypeString)
		}
	case *syntax.RestartStmt:
		c.restarts = append(c.restarts, flowPoint{c.sub, c.scopes, c.loc(s.Range)})
		c.checkStatementScope(s.Range, "restart", catalog.SetOf(catalog.SubRecv, catalog.SubHit, catalog.SubFetch, catalog.SubError, catalog.SubDeliver))
	case *syntax.SyntheticStmt:
		c.checkExpr(s.Value, catalog.TypeString)
		c.checkStatementScope(s.Range, "synthetic", catalog.SetOf(catalog.SubError))
	case *syntax.EsiStmt:
		c.checkStatementScope(s.Range, "esi", catalog.SetOf(catalog.SubFetch))
	case *syntax.LogStmt:
		c.checkExpr(s.Value, catalog.TypeString)
	case *syntax.ExprStmt:
		c.checkCall(s.Call, true)
	case *syntax.GotoStmt:
		if sym, ok := c.sub.Labels[s.Label.Name]; ok {
			c.b.setRef(s.Label, refLabel, nil)
			sym.Refs = append(sym.Refs, c.loc(s.Label.Range))
		} else if s.Label.Name != "" {
			d := c.at(s.Label.Range, SeverityError, CodeUnknownLabel, "goto "+s.Label.Name+": no label "+s.Label.Name+": in "+c.sub.Name+" (labels are local to their subroutine)")
			d.Suggestions = closest(s.Label.Name, keys(c.sub.Labels))
		}
	case *syntax.IncludeStmt:
		if inner := c.included(s); inner != nil && inner.Snippet != nil && inner != c.file {
			c.noteWalked(inner)
			saved := c.file
			c.file = inner
			c.checkBlock(inner.Snippet)
			c.file = saved
		}
	case *syntax.MacroStmt:
		if c.sub.Builtin && s.Name != c.sub.Kind.String() {
			c.at(s.Range, SeverityWarning, CodeMacroMisplaced, "#FASTLY "+s.Name+" inside "+c.sub.Name+": the macro for this subroutine is #FASTLY "+c.sub.Kind.String())
		}
		if c.sub.Builtin && s.Name == c.sub.Kind.String() {
			c.declareMacroLocals(c.sub, s.Name, c.loc(s.Range))
		}
	}
}

// checkStatementScope reports a statement used in a subroutine where Fastly
// does not allow it.
func (c *checker) checkStatementScope(r syntax.Range, what string, allowed catalog.SubSet) {
	if bad := c.scopes &^ allowed; c.scopes != 0 && bad != 0 {
		c.at(r, SeverityError, CodeVariableScope, what+" is not allowed in "+bad.String()+c.viaCallers()+"; it is allowed in "+allowed.String())
	}
}

// viaCallers explains, for a custom sub, where its scope comes from.
func (c *checker) viaCallers() string {
	if c.sub == nil || c.sub.Builtin || c.sub.Snippet {
		return ""
	}
	if c.sub.Test {
		return " (the scope of test " + c.sub.Name + ": set it with `// @scope: NAME` above the test; without one a test runs in recv)"
	}
	return " (" + c.sub.Name + " is called from there)"
}

func (c *checker) checkSet(s *syntax.SetStmt) {
	target := c.resolveVar(s.Target, accSet)
	if s.Add && !strings.Contains(s.Target.Name, ".http.") {
		c.at(s.Target.Range, SeverityError, CodeOperator, "add only works on HTTP headers (like resp.http.Set-Cookie), not "+s.Target.Name)
	}
	vt := c.checkExpr(s.Value, target)
	if s.Op == syntax.ASSIGN {
		c.checkAssignable(s.Value, target, vt, s.Target.Name)
		return
	}
	c.checkCompound(s, target, vt)
}

func (c *checker) checkCompound(s *syntax.SetStmt, target, vt catalog.Type) {
	op := s.Op.String()
	r := syntax.Range{Start: s.OpPos, End: s.OpPos + syntax.Pos(len(op))}
	switch s.Op {
	case syntax.ADD_ASSIGN:
		switch target {
		case catalog.TypeString, catalog.TypeHash, catalog.TypeInteger, catalog.TypeFloat, catalog.TypeRTime, catalog.TypeTime, catalog.TypeUnknown:
			return
		}
	case syntax.SUB_ASSIGN:
		switch target {
		case catalog.TypeInteger, catalog.TypeFloat, catalog.TypeRTime, catalog.TypeTime, catalog.TypeUnknown:
			return
		}
	case syntax.MUL_ASSIGN, syntax.QUO_ASSIGN, syntax.REM_ASSIGN:
		switch target {
		case catalog.TypeInteger, catalog.TypeFloat, catalog.TypeRTime, catalog.TypeUnknown:
			return
		}
	case syntax.LAND_ASSIGN, syntax.LOR_ASSIGN:
		if target == catalog.TypeBool || target == catalog.TypeUnknown {
			return
		}
	default: // bitwise and rotations
		if target == catalog.TypeInteger || target == catalog.TypeUnknown {
			return
		}
	}
	c.at(r, SeverityError, CodeOperator, "operator "+op+" cannot be used on "+s.Target.Name+" ("+target.String()+")")
}

// assignable reports whether a value of type v may be stored in t, with
// Fastly's implicit conversions.
func assignable(t, v catalog.Type) bool {
	if t == v || t == catalog.TypeUnknown || v == catalog.TypeUnknown || t == catalog.TypeAny || v == catalog.TypeAny {
		return true
	}
	switch t {
	case catalog.TypeString:
		return v != catalog.TypeVoid && v != catalog.TypeACL && v != catalog.TypeTable
	case catalog.TypeInteger, catalog.TypeFloat:
		return v == catalog.TypeInteger || v == catalog.TypeFloat || v == catalog.TypeRTime
	case catalog.TypeRTime:
		return v == catalog.TypeInteger || v == catalog.TypeFloat
	case catalog.TypeIP:
		return false
	case catalog.TypeBackend:
		return false
	case catalog.TypeID:
		return true
	}
	return false
}

func (c *checker) checkAssignable(value syntax.Expr, target, vt catalog.Type, name string) {
	if assignable(target, vt) {
		return
	}
	if target == catalog.TypeIP && vt == catalog.TypeString {
		if lit, ok := value.(*syntax.StringLit); ok && looksLikeIP(lit.Value) {
			return
		}
	}
	msg := "cannot assign " + catalog.WithArticle(vt.String()) + " value to " + name + ", which is " + target.String()
	switch {
	case target == catalog.TypeIP && vt == catalog.TypeString:
		msg += ": convert with std.str2ip(value, fallback)"
	case target == catalog.TypeInteger && vt == catalog.TypeString:
		msg += ": convert with std.atoi()"
	case target == catalog.TypeTime && vt == catalog.TypeString:
		msg += ": convert with std.time() or parse_time_delta()"
	case target == catalog.TypeBool:
		msg += ": use a comparison"
	}
	c.at(value.Span(), SeverityError, CodeTypeMismatch, msg)
}

func looksLikeIP(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' || r == '.' || r == ':') {
			return false
		}
	}
	return true
}

func (c *checker) checkDeclare(s *syntax.DeclareStmt) {
	name := s.Name.Name
	if name == "" {
		return
	}
	if prev, ok := c.sub.Locals[name]; ok && prev.Decl != s && !prev.External {
		d := c.at(s.Name.Range, SeverityError, CodeDuplicateDecl, name+" is already declared in "+c.sub.Name)
		d.Related = append(d.Related, Related{File: prev.NameLoc.File, Range: prev.NameLoc.Range, Message: "first declared here"})
		return
	}
	sym := &Symbol{Kind: SymLocal, Name: name, Decl: s, NameLoc: c.loc(s.Name.Range), Type: s.VarType, Owner: c.sub}
	c.b.setRef(s.Name, refLocal, nil)
	c.sub.Locals[name] = sym
	if s.Value != nil {
		vt := c.checkExpr(s.Value, s.VarType)
		c.checkAssignable(s.Value, s.VarType, vt, name)
	}
}

func (c *checker) checkIf(s *syntax.IfStmt) {
	c.checkCond(s.Cond)
	c.noteFirstPass(s)
	c.checkBlock(s.Then)
	if s.Else != nil {
		c.checkStmt(s.Else)
	}
}

// checkCond checks a condition: BOOL, or a STRING (true when set, the
// header truthiness real code relies on).
func (c *checker) checkCond(e syntax.Expr) {
	if e == nil {
		return
	}
	c.condType(e, c.checkExpr(e, catalog.TypeBool))
}

// condType reports a condition e whose type t is not usable as one.
func (c *checker) condType(e syntax.Expr, t catalog.Type) {
	switch t {
	case catalog.TypeBool, catalog.TypeString, catalog.TypeUnknown, catalog.TypeAny:
		return
	}
	sev := SeverityError
	if t == catalog.TypeInteger || t == catalog.TypeFloat {
		sev = SeverityWarning // accepted by some real code; intent is unclear
	}
	c.at(e.Span(), sev, CodeTypeMismatch, "a condition should be BOOL (or a STRING, true when set), not "+t.String()+": compare it explicitly (for example `!= 0`)")
}

func (c *checker) checkReturn(s *syntax.ReturnStmt) {
	sub := c.sub
	if sub.ReturnT != catalog.TypeUnknown {
		if s.Value == nil && s.Action == nil {
			c.at(s.Range, SeverityError, CodeInvalidReturn, sub.Name+" returns "+sub.ReturnT.String()+": return a value")
			return
		}
		if s.Value != nil {
			vt := c.checkExpr(s.Value, sub.ReturnT)
			c.checkAssignable(s.Value, sub.ReturnT, vt, "the result of "+sub.Name)
		}
		return
	}
	if s.Value != nil {
		if id, ok := s.Value.(*syntax.Ident); ok && !strings.Contains(id.Name, ".") {
			c.at(id.Range, SeverityError, CodeInvalidReturn, "unknown return action "+id.Name+validReturnsHint(c.scopes))
			return
		}
		c.checkExpr(s.Value, catalog.TypeUnknown)
		c.at(s.Value.Span(), SeverityError, CodeInvalidReturn, sub.Name+" has no return type, so it cannot return a value: declare it as `sub "+sub.Name+" TYPE { … }`")
		return
	}
	if s.Action == nil {
		return
	}
	action := s.Action.Name
	if c.scopes == 0 {
		return
	}
	var bad catalog.SubSet
	for _, k := range c.scopes.Subs() {
		if !catalog.ValidReturn(k, action) {
			bad = bad.With(k)
		}
	}
	if bad != 0 {
		d := c.at(s.Action.Range, SeverityError, CodeInvalidReturn, "return("+action+") is not valid in "+bad.String()+c.viaCallers()+validReturnsHint(bad))
		for _, k := range bad.Subs() {
			d.Suggestions = append(d.Suggestions, catalog.SubInfoOf(k).Returns...)
			break
		}
	}
}

func validReturnsHint(scopes catalog.SubSet) string {
	subs := scopes.Subs()
	if len(subs) != 1 {
		return ""
	}
	info := catalog.SubInfoOf(subs[0])
	if info == nil {
		return ""
	}
	return "; valid here: " + strings.Join(info.Returns, ", ")
}

func (c *checker) checkCallStmt(s *syntax.CallStmt) {
	name := s.Name.Name
	callee, ok := c.subNamed(name)
	if !ok {
		if name == "" {
			return
		}
		if ext := c.siblingSub(name); ext != nil {
			c.siblingCall(name, ext, s.Name.Range)
			for _, a := range s.Args {
				c.checkExpr(a, catalog.TypeUnknown)
			}
			return
		}
		d := c.at(s.Name.Range, SeverityError, CodeUnknownSub, "unknown subroutine "+name)
		d.Suggestions = closest(name, c.subNames())
		return
	}
	c.refSub(callee, s.Name)
	c.checkArgs(s.Name, callee, s.Args)
}

func (c *checker) refSub(callee *Sub, id *syntax.Ident) {
	c.b.setRef(id, refSub, nil)
	if callee.Symbol != nil {
		c.addRef(callee.Symbol, true, id.Range)
	}
}

func (c *checker) checkArgs(id *syntax.Ident, callee *Sub, args []syntax.Expr) {
	var params []*syntax.Param
	if callee.Decl != nil {
		params = callee.Decl.Params
	}
	if len(args) != len(params) {
		c.at(id.Range, SeverityError, CodeArgCount, callee.Name+" takes "+plural(len(params), "argument")+", not "+itoa(len(args)))
	}
	for i, a := range args {
		want := catalog.TypeUnknown
		if i < len(params) {
			want = params[i].VarType
		}
		t := c.checkExpr(a, want)
		if i < len(params) && !assignable(want, t) {
			c.at(a.Span(), SeverityError, CodeArgType, "argument "+itoa(i+1)+" of "+callee.Name+" must be "+want.String()+", not "+t.String())
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return itoa(n) + " " + word + "s"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// checkRegex validates a regular expression literal with PCRE's rules.
func (c *checker) checkRegex(e syntax.Expr) {
	lit, ok := e.(*syntax.StringLit)
	if !ok {
		return
	}
	if c.rec != nil {
		c.rec.regexLits = append(c.rec.regexLits, lit) // see Program.RegexLits
	}
	if err := checkPattern(lit.Value); err != nil {
		r := lit.Range
		// Point inside the literal when the text maps 1:1 (no escapes).
		if !lit.Long && int(r.End-r.Start) == len(lit.Value)+2 && err.Offset >= 0 && err.Offset <= len(lit.Value) {
			start := r.Start + 1 + syntax.Pos(err.Offset)
			r = syntax.Range{Start: start, End: min(start+1, r.End-1)}
		}
		c.at(r, SeverityError, CodeRegex, "invalid regular expression: "+err.Msg)
	}
}

// patternCache memoises PCRE syntax checks: the language server re-checks
// the same patterns on every keystroke. Its keys are copied (a literal's
// value is sliced out of the whole document, so keeping it would keep one
// copy of the document per keystroke) and it is bounded by bytes.
var patternCache = lru.NewStrings(2<<20, func(err *pcre.SyntaxError) int64 {
	if err == nil {
		return 8
	}
	return 48 + int64(len(err.Msg))
})

func checkPattern(p string) *pcre.SyntaxError {
	if err, ok := patternCache.Get(p); ok {
		return err
	}
	err := pcre.Check(p)
	patternCache.Add(p, err)
	return err
}

// MacroLocals lists the locals Fastly's generated code declares in place of
// `#FASTLY <name>`: the generated vcl_recv starts with
// `declare local var.fastly_req_do_shield BOOL;` (set to req.restarts == 0)
// and code placed after the macro, such as Fastly's Magento module
// snippets, reads and sets it.
var MacroLocals = map[string]map[string]catalog.Type{
	"recv": {"var.fastly_req_do_shield": catalog.TypeBool},
}

// declareMacroLocals declares in s the locals the macro's generated code
// declares, located at the macro. They are External: never reported unused.
func (c *checker) declareMacroLocals(s *Sub, macro string, at Location) {
	for name, t := range MacroLocals[macro] {
		if _, ok := s.Locals[name]; !ok {
			s.Locals[name] = &Symbol{Kind: SymLocal, Name: name, NameLoc: at, Type: t, External: true, Owner: s}
		}
	}
}

// noteWalked records that the subroutine being checked walks the snippet
// file f inline, so its nodes are found in the subroutine's unit.
func (c *checker) noteWalked(f *syntax.File) {
	if c.walked == nil {
		c.walked = map[*Sub][]*syntax.File{}
	}
	for _, g := range c.walked[c.sub] {
		if g == f {
			return
		}
	}
	c.walked[c.sub] = append(c.walked[c.sub], f)
}
