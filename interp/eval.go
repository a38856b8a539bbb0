package interp

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/builtin"
	"github.com/vclide/vclide/interp/value"
)

func (e *constExpr) eval(*execState) (value.Value, error) { return e.v, nil }

func (e *varExpr) eval(x *execState) (value.Value, error) { return e.v.get(x) }

func (e *concatExpr) eval(x *execState) (value.Value, error) {
	if len(e.parts) == 1 {
		v, err := e.parts[0].eval(x)
		if err != nil {
			return v, err
		}
		return value.String(v.String()), nil
	}
	var b strings.Builder
	for _, p := range e.parts {
		v, err := p.eval(x)
		if err != nil {
			return v, err
		}
		if v.T == catalog.TypeVoid {
			return value.Value{}, errors.New("a function that returns nothing cannot be part of a string")
		}
		b.WriteString(v.String())
	}
	return value.String(b.String()), nil
}

func (e *notExpr) eval(x *execState) (value.Value, error) {
	v, err := e.x.eval(x)
	if err != nil {
		return v, err
	}
	return value.Bool(!value.Truthy(v)), nil
}

func (e *negExpr) eval(x *execState) (value.Value, error) {
	v, err := e.x.eval(x)
	if err != nil {
		return v, err
	}
	switch v.T {
	case catalog.TypeInteger:
		v.Int = -v.Int
	case catalog.TypeFloat:
		v.Float = -v.Float
	case catalog.TypeRTime:
		v.Dur = -v.Dur
	default:
		return v, fmt.Errorf("unary - needs a number, not %s", v.T)
	}
	return v, nil
}

func (e *andExpr) applyLeft(x *execState, a value.Value) (value.Value, error) {
	if !value.Truthy(a) {
		return value.Bool(false), nil
	}
	b, err := e.b.eval(x)
	return value.Bool(err == nil && value.Truthy(b)), err
}

func (e *orExpr) applyLeft(x *execState, a value.Value) (value.Value, error) {
	if value.Truthy(a) {
		return value.Bool(true), nil
	}
	b, err := e.b.eval(x)
	return value.Bool(err == nil && value.Truthy(b)), err
}

func (e *cmpExpr) applyLeft(x *execState, a value.Value) (value.Value, error) {
	b, err := e.b.eval(x)
	if err != nil {
		return b, err
	}
	r, err := value.Compare(e.op, a, b)
	if err != nil && errors.Is(err, value.ErrType) && (e.op == "==" || e.op == "!=") &&
		(a.T == catalog.TypeString || b.T == catalog.TypeString) {
		// STRING compares with any value by its string form.
		eq := !a.NotSet && !b.NotSet && a.String() == b.String()
		return value.Bool(eq == (e.op == "==")), nil
	}
	if err != nil {
		return value.Value{}, err
	}
	return value.Bool(r), nil
}

func (e *matchExpr) applyLeft(x *execState, v value.Value) (value.Value, error) {
	if e.re == nil {
		return value.Value{}, fmt.Errorf("regular expression cannot run: %v", e.err)
	}
	s := v.String()
	if !e.neg && x.e.usesGroups {
		m, err := e.re.TryFindStringSubmatch(s)
		if err != nil {
			return value.Value{}, err
		}
		if m != nil {
			x.reGroups = m
		}
		return value.Bool(m != nil), nil
	}
	ok, err := e.re.TryMatchString(s)
	if err != nil {
		return value.Value{}, err
	}
	return value.Bool(ok != e.neg), nil
}

func (e *aclExpr) applyLeft(x *execState, v value.Value) (value.Value, error) {
	var ip netip.Addr
	switch v.T {
	case catalog.TypeIP:
		ip = v.IP
	case catalog.TypeString:
		ip, _ = netip.ParseAddr(strings.TrimSpace(v.Str))
	default:
		return value.Value{}, fmt.Errorf("ACL %s needs an IP, not %s", e.acl.name, v.T)
	}
	return value.Bool(e.acl.match(ip) != e.neg), nil
}

func (e *arithExpr) applyLeft(x *execState, a value.Value) (value.Value, error) {
	b, err := e.b.eval(x)
	if err != nil {
		return b, err
	}
	r, code, err := value.ApplyAssign(e.op, a, b)
	if err != nil && a.T != b.T {
		if cb, cerr := convertFor(b, a.T); cerr == nil {
			r, code, err = value.ApplyAssign(e.op, a, cb)
		}
	}
	if err != nil {
		return value.Value{}, err
	}
	if code != "" {
		x.fastlyEr = code
	}
	return r, nil
}

func (e *plusStrExpr) applyLeft(x *execState, a value.Value) (value.Value, error) {
	b, err := e.b.eval(x)
	if err != nil {
		return b, err
	}
	if e.dynamic && isNumeric(a.T) && isNumeric(b.T) || e.dynamic && a.T == catalog.TypeTime && b.T == catalog.TypeRTime {
		r, _, err := value.ApplyAssign("+=", a, b)
		if err == nil {
			return r, nil
		}
	}
	return value.String(a.String() + b.String()), nil
}

// chainLink is a binary operator applied to a left operand already
// evaluated: one link of a chainExpr.
type chainLink interface {
	applyLeft(x *execState, a value.Value) (value.Value, error)
}

// constLink is a link that could not be compiled (an error was reported):
// it yields v whatever its left operand.
type constLink struct{ v value.Value }

func (e *constLink) applyLeft(*execState, value.Value) (value.Value, error) { return e.v, nil }

// eval folds the chain from its first operand, link by link, so a chain of
// any length evaluates without deep recursion. A run of string
// concatenations ("a" + "b" + …) is built in one buffer, not copied at
// every link (which was quadratic). An unchecked '+' (debugger eval) whose
// left operand is a STRING concatenates too, so it may join the run.
func (e *chainExpr) eval(x *execState) (value.Value, error) {
	v, err := e.first.eval(x)
	if err != nil {
		return v, err
	}
	for i := 0; i < len(e.links); i++ {
		if ps, ok := e.links[i].(*plusStrExpr); ok && (!ps.dynamic || v.T == catalog.TypeString) {
			var b strings.Builder
			b.WriteString(v.String())
			for ; i < len(e.links); i++ {
				ps, ok := e.links[i].(*plusStrExpr)
				if !ok {
					break
				}
				y, err := ps.b.eval(x)
				if err != nil {
					return y, err
				}
				b.WriteString(y.String())
			}
			v = value.String(b.String())
			i--
			continue
		}
		if v, err = e.links[i].applyLeft(x, v); err != nil {
			return v, err
		}
	}
	return v, nil
}

func (e *ifExpr) eval(x *execState) (value.Value, error) {
	c, err := e.cond.eval(x)
	if err != nil {
		return c, err
	}
	if value.Truthy(c) {
		return e.then.eval(x)
	}
	return e.els.eval(x)
}

func (e *callExpr) eval(x *execState) (value.Value, error) {
	start := len(x.argStack)
	for i, a := range e.args {
		v, err := a.eval(x)
		if err != nil {
			x.argStack = x.argStack[:start]
			return v, err
		}
		x.argStack = append(x.argStack, convertArg(v, e.ptypes[i]))
	}
	end := len(x.argStack)
	r, err := e.fn(x, x.argStack[start:end:end])
	clear(x.argStack[start:end])
	x.argStack = x.argStack[:start]
	if err != nil {
		if errors.Is(err, builtin.ErrNotSupported) {
			return value.Value{}, fmt.Errorf("%s: %w (%w)", e.name, err, errNotSimulated)
		}
		return value.Value{}, fmt.Errorf("%s: %w", e.name, err)
	}
	return r, nil
}

// convertArg converts an argument to the parameter type of a builtin,
// leaving it unchanged when the conversion does not apply (builtins accept
// loosely typed arguments and convert them themselves).
func convertArg(v value.Value, pt catalog.Type) value.Value {
	switch pt {
	case catalog.TypeUnknown, catalog.TypeAny, catalog.TypeID, catalog.TypeTable, catalog.TypeHash:
		return v
	case catalog.TypeRegex:
		if v.T == catalog.TypeString {
			return value.Value{T: catalog.TypeRegex, Str: v.Str}
		}
		return v
	}
	if v.T == pt {
		return v
	}
	if pt == catalog.TypeStringList {
		pt = catalog.TypeString
	}
	if cv, err := convertFor(v, pt); err == nil {
		return cv
	}
	return v
}

func (e *subCallExpr) eval(x *execState) (value.Value, error) {
	args, err := x.evalArgs(e.args)
	if err != nil {
		return value.Value{}, err
	}
	x.retVal = zeroValue(e.sub.retType)
	switch x.call(x.callee(e.sub), args) {
	case ctlAbort:
		return value.Value{}, x.err
	case ctlReturn:
		if x.act != actNone {
			return value.Value{}, fmt.Errorf("return(%s) inside %s, which is called as a function", x.act, e.sub.name)
		}
	}
	v := x.retVal
	x.retVal = value.Value{}
	return convertFor(v, e.sub.retType)
}

func (e *regsubExpr) eval(x *execState) (value.Value, error) {
	s, err := e.subject.eval(x)
	if err != nil {
		return s, err
	}
	r, err := e.repl.eval(x)
	if err != nil {
		return r, err
	}
	if e.re == nil {
		return value.Value{}, fmt.Errorf("regular expression cannot run: %v", e.err)
	}
	var out string
	if e.all {
		out, err = e.re.TryReplaceAll(s.String(), r.String())
	} else {
		out, err = e.re.TryReplaceFirst(s.String(), r.String())
	}
	if err != nil {
		return value.Value{}, err
	}
	return value.String(out), nil
}

func (e *unsupportedCall) eval(*execState) (value.Value, error) {
	return value.Value{}, fmt.Errorf("function %s is %w", e.name, errNotSimulated)
}
