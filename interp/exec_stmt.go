package interp

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/value"
)

func (s *blockStmt) exec(x *execState) ctl   { return x.runBlock(s.b, 0) }
func (s *includeStmt) exec(x *execState) ctl { return x.runBlock(s.b, 0) }
func (s *labelStmt) exec(*execState) ctl     { return ctlNext }

func (s *gotoStmt) exec(x *execState) ctl {
	x.gotoLabel = s.label
	return ctlGoto
}

func (s *setStmt) exec(x *execState) ctl {
	v, err := s.val.eval(x)
	if err != nil {
		return x.fail(err)
	}
	if s.add {
		if h, ok := s.target.(*headerVar); ok {
			sv, err := convertFor(v, catalog.TypeString)
			if err != nil {
				return x.fail(err)
			}
			if err := h.add(x, sv); err != nil {
				return x.fail(err)
			}
			return ctlNext
		}
	}
	if s.op != "" {
		cur, err := s.target.get(x)
		if err != nil {
			return x.fail(err)
		}
		if cur.T == catalog.TypeString && cur.NotSet && s.op == "+=" {
			cur = value.String("")
		}
		nv, code, err := value.ApplyAssign(s.op, cur, v)
		if err != nil && errors.Is(err, value.ErrType) && cur.T != v.T {
			// Fastly converts the right side to the variable's type
			// first (set var.i += 1.0; set beresp.ttl += 10;).
			if cv, cerr := convertFor(v, cur.T); cerr == nil {
				nv, code, err = value.ApplyAssign(s.op, cur, cv)
			}
		}
		if err != nil {
			return x.fail(fmt.Errorf("set %s %s: %v", s.target.name(), s.op, err))
		}
		if code != "" {
			x.fastlyEr = code
		}
		v = nv
	}
	cv, err := convertFor(v, s.target.typ())
	if err != nil {
		return x.fail(fmt.Errorf("set %s: %v", s.target.name(), err))
	}
	if err := s.target.set(x, cv); err != nil {
		return x.fail(err)
	}
	return ctlNext
}

func (s *unsetStmt) exec(x *execState) ctl {
	if err := s.target.unset(x); err != nil {
		return x.fail(err)
	}
	return ctlNext
}

func (s *declareStmt) exec(x *execState) ctl {
	v := zeroValue(s.t)
	if s.init != nil {
		iv, err := s.init.eval(x)
		if err != nil {
			return x.fail(err)
		}
		if v, err = convertFor(iv, s.t); err != nil {
			return x.fail(err)
		}
	}
	x.slab[x.base+s.slot] = v
	return ctlNext
}

func (s *ifStmt) exec(x *execState) ctl {
	v, err := s.cond.eval(x)
	if err != nil {
		return x.fail(err)
	}
	if value.Truthy(v) {
		return x.runBlock(s.then, 0)
	}
	if s.els != nil {
		return s.els.exec(x)
	}
	return ctlNext
}

func (s *returnStmt) exec(x *execState) ctl {
	if s.bad != "" {
		// The checker has accepted the action (it refuses names Fastly does not
		// have), so this is one the simulator does not model, such as pipe.
		return x.fail(fmt.Errorf("return(%s): not simulated by vclide (see the README, \"What the simulator does not model\")", s.bad))
	}
	x.act = s.act
	if s.val != nil {
		v, err := s.val.eval(x)
		if err != nil {
			return x.fail(err)
		}
		x.retVal = v
		x.act = actNone
	}
	return ctlReturn
}

func (s *callStmt) exec(x *execState) ctl {
	args, err := x.evalArgs(s.args)
	if err != nil {
		return x.fail(err)
	}
	c := x.call(x.callee(s.callee), args)
	if c == ctlReturn && x.act == actNone {
		return ctlNext
	}
	return c
}

// evalArgs evaluates the arguments of a user subroutine call.
func (x *execState) evalArgs(args []cexpr) ([]value.Value, error) {
	if len(args) == 0 {
		return nil, nil
	}
	out := make([]value.Value, len(args))
	for i, a := range args {
		v, err := a.eval(x)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (s *errorStmt) exec(x *execState) ctl {
	code := int64(503)
	if s.code != nil {
		v, err := s.code.eval(x)
		if err != nil {
			return x.fail(err)
		}
		if code, err = value.ToInteger(v); err != nil {
			return x.fail(fmt.Errorf("error status: %v", err))
		}
	}
	x.errCode = int(code)
	x.errResp = statusText(int(code))
	if s.resp != nil {
		v, err := s.resp.eval(x)
		if err != nil {
			return x.fail(err)
		}
		x.errResp = v.String()
	}
	x.act = actError
	return ctlReturn
}

func (s *restartStmt) exec(x *execState) ctl {
	x.act = actRestart
	return ctlReturn
}

func (s *syntheticStmt) exec(x *execState) ctl {
	v, err := s.val.eval(x)
	if err != nil {
		return x.fail(err)
	}
	if x.obj == nil {
		return x.fail(x.unavailable("synthetic"))
	}
	body := []byte(v.String())
	if s.b64 {
		body = decodeBase64Lenient(v.String())
	}
	x.obj.body = body
	return ctlNext
}

// decodeBase64Lenient decodes standard or URL-safe base64, padded or not,
// ignoring white space; undecodable input gives what decoded so far.
func decodeBase64Lenient(s string) []byte {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		case '-':
			return '+'
		case '_':
			return '/'
		}
		return r
	}, s)
	s = strings.TrimRight(s, "=")
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		var ce base64.CorruptInputError
		if errors.As(err, &ce) {
			b, _ = base64.RawStdEncoding.DecodeString(s[:int(ce)/4*4])
		}
	}
	return b
}

func (s *esiStmt) exec(x *execState) ctl {
	if x.beresp != nil {
		x.beresp.doESI = true
	}
	if x.hooks != nil {
		x.event("esi", "ESI processing enabled")
	}
	return ctlNext
}

func (s *logStmt) exec(x *execState) ctl {
	v, err := s.val.eval(x)
	if err != nil {
		return x.fail(err)
	}
	line := v.String()
	x.res.Logs = append(x.res.Logs, line)
	if x.hooks != nil {
		x.event("log", line)
	}
	return ctlNext
}

func (s *exprStmt) exec(x *execState) ctl {
	if _, err := s.call.eval(x); err != nil {
		return x.fail(err)
	}
	return ctlNext
}

func (s *macroStmt) exec(x *execState) ctl {
	if x.macro(s.name); x.err != nil {
		return ctlAbort
	}
	// Fastly's generated vcl_recv declares var.fastly_req_do_shield and
	// sets it to (req.restarts == 0); it is the only macro local.
	for _, slot := range s.locals {
		x.slab[x.base+slot] = value.Bool(x.restarts == 0)
	}
	return ctlNext
}

// convertFor converts a value for assignment to a variable of type t, with
// Fastly's implicit conversions (value.Convert) and the numeric ones the
// checker allows (INTEGER, FLOAT and RTIME into each other; a STRING of
// seconds into an RTIME, as `set beresp.ttl = beresp.http.Cache-Control:max-age;`
// in Fastly's subfield reference).
func convertFor(v value.Value, t catalog.Type) (value.Value, error) {
	if v.T == t {
		return v, nil
	}
	switch t {
	case catalog.TypeUnknown, catalog.TypeAny, catalog.TypeID, catalog.TypeVoid:
		return v, nil
	case catalog.TypeHash:
		return value.Convert(v, catalog.TypeString)
	case catalog.TypeString, catalog.TypeStringList:
		if v.T == catalog.TypeVoid {
			return value.Value{}, errors.New("a function that returns nothing has no value")
		}
		return value.Convert(v, catalog.TypeString)
	case catalog.TypeInteger:
		n, err := value.ToInteger(v)
		return value.Integer(n), err
	case catalog.TypeFloat:
		f, err := value.ToFloat(v)
		return value.Float(f), err
	case catalog.TypeRTime:
		d, err := value.ToRTime(v)
		if err != nil && v.T == catalog.TypeString && !v.NotSet {
			if f, ferr := strconv.ParseFloat(strings.TrimSpace(v.Str), 64); ferr == nil {
				fd, ferr := value.ToRTime(value.Float(f))
				return value.RTime(fd), ferr
			}
		}
		return value.RTime(d), err
	case catalog.TypeTime:
		tm, err := value.ToTime(v)
		return value.Time(tm), err
	case catalog.TypeBool:
		b, err := value.ToBool(v)
		return value.Bool(b), err
	case catalog.TypeIP:
		if v.NotSet {
			return value.Value{T: catalog.TypeIP, NotSet: true}, nil
		}
		a, err := value.ToIP(v)
		return value.IP(a), err
	case catalog.TypeBackend, catalog.TypeACL:
		return value.Value{T: t, Str: v.Str}, nil
	}
	return value.Convert(v, t)
}
