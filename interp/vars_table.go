package interp

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/value"
)

// varTable maps the name of every simulated predefined variable (header
// families, re.group.N and backend health excepted) to its accessors.
var varTable = map[string]*varSpec{}

func def(name string, s *varSpec) {
	if _, dup := varTable[name]; dup {
		panic("interp: variable defined twice: " + name)
	}
	varTable[name] = s
}

// Accessor builders.

type getter = func(x *execState) (value.Value, error)

func roStr(f func(x *execState) string) *varSpec {
	return &varSpec{t: catalog.TypeString, get: func(x *execState) (value.Value, error) { return value.String(f(x)), nil }}
}

func roInt(f func(x *execState) int64) *varSpec {
	return &varSpec{t: catalog.TypeInteger, get: func(x *execState) (value.Value, error) { return value.Integer(f(x)), nil }}
}

func roBool(f func(x *execState) bool) *varSpec {
	return &varSpec{t: catalog.TypeBool, get: func(x *execState) (value.Value, error) { return value.Bool(f(x)), nil }}
}

func roDur(f func(x *execState) time.Duration) *varSpec {
	return &varSpec{t: catalog.TypeRTime, get: func(x *execState) (value.Value, error) { return value.RTime(f(x)), nil }}
}

func constSpec(v value.Value) *varSpec {
	return &varSpec{t: v.T, get: func(*execState) (value.Value, error) { return v, nil }}
}

// reqStr is a read-write STRING field of req.
func reqStr(get func(r *reqObj) string, set func(r *reqObj, s string)) *varSpec {
	return &varSpec{
		t:   catalog.TypeString,
		get: func(x *execState) (value.Value, error) { return value.String(get(x.req)), nil },
		set: func(x *execState, v value.Value) error { set(x.req, v.String()); return nil },
	}
}

func reqBool(p func(r *reqObj) *bool) *varSpec {
	return &varSpec{
		t:   catalog.TypeBool,
		get: func(x *execState) (value.Value, error) { return value.Bool(*p(x.req)), nil },
		set: func(x *execState, v value.Value) error { *p(x.req) = v.Bool; return nil },
	}
}

func reqDur(p func(r *reqObj) *time.Duration) *varSpec {
	return &varSpec{
		t:   catalog.TypeRTime,
		get: func(x *execState) (value.Value, error) { return value.RTime(*p(x.req)), nil },
		set: func(x *execState, v value.Value) error { *p(x.req) = v.Dur; return nil },
	}
}

// bereqField gives access to bereq, failing where it does not exist.
func bereqSpec(t catalog.Type, get func(b *bereqObj) value.Value, set func(b *bereqObj, v value.Value)) *varSpec {
	s := &varSpec{t: t, get: func(x *execState) (value.Value, error) {
		if x.bereq == nil {
			return value.Value{}, x.unavailable("bereq")
		}
		return get(x.bereq), nil
	}}
	if set != nil {
		s.set = func(x *execState, v value.Value) error {
			if x.bereq == nil {
				return x.unavailable("bereq")
			}
			set(x.bereq, v)
			return nil
		}
	}
	return s
}

// respSpec gives access to a field of beresp, obj or resp.
func respSpec(k objKind, t catalog.Type, get func(x *execState, o *respObj) value.Value, set func(x *execState, o *respObj, v value.Value)) *varSpec {
	s := &varSpec{t: t, get: func(x *execState) (value.Value, error) {
		o, err := x.respFor(k)
		if err != nil {
			return value.Value{}, err
		}
		return get(x, o), nil
	}}
	if set != nil {
		s.set = func(x *execState, v value.Value) error {
			o, err := x.respFor(k)
			if err != nil {
				return err
			}
			set(x, o, v)
			return nil
		}
	}
	return s
}

func init() {
	defReqVars()
	defBereqVars()
	defRespVars()
	defMiscVars()
	defClientVars()
}

func defReqVars() {
	def("req.url", reqStr(func(r *reqObj) string { return r.url }, func(r *reqObj, s string) { r.url = s }))
	def("req.url.path", roStr(func(x *execState) string { return urlPath(x.req.url) }))
	def("req.url.qs", roStr(func(x *execState) string { return urlQS(x.req.url) }))
	def("req.url.basename", roStr(func(x *execState) string { return urlBasename(x.req.url) }))
	def("req.url.dirname", roStr(func(x *execState) string { return urlDirname(x.req.url) }))
	def("req.url.ext", roStr(func(x *execState) string { return urlExt(x.req.url) }))
	method := reqStr(func(r *reqObj) string { return r.method }, func(r *reqObj, s string) { r.method = s })
	def("req.method", method)
	def("req.request", method)
	def("req.proto", roStr(func(x *execState) string { return x.req.proto }))
	def("req.protocol", roStr(func(x *execState) string {
		if x.res.Request.TLS {
			return "https"
		}
		return "http"
	}))
	def("req.restarts", roInt(func(x *execState) int64 { return int64(x.restarts) }))
	def("req.backend", &varSpec{
		t:   catalog.TypeBackend,
		get: func(x *execState) (value.Value, error) { return value.Backend(x.req.backend), nil },
		set: func(x *execState, v value.Value) error { x.req.backend = v.Str; return nil },
	})
	def("req.backend.name", roStr(func(x *execState) string { return x.req.backend }))
	def("req.backend.healthy", roBool(func(*execState) bool { return true }))
	def("req.backend.is_shield", roBool(func(*execState) bool { return false }))
	def("req.backend.is_origin", roBool(func(*execState) bool { return true }))
	def("req.backend.is_cluster", roBool(func(x *execState) bool { return x.clustered }))
	def("req.backend.ip", &varSpec{t: catalog.TypeIP, get: func(x *execState) (value.Value, error) {
		if b := x.e.resolveBackend(x, x.req.backend); b != nil {
			return value.IP(b.ip), nil
		}
		return value.Value{T: catalog.TypeIP, NotSet: true}, nil
	}})
	def("req.backend.port", roInt(func(x *execState) int64 {
		if b := x.e.resolveBackend(x, x.req.backend); b != nil {
			return b.port
		}
		return 0
	}))
	def("req.hash", &varSpec{
		t:   catalog.TypeHash,
		get: func(x *execState) (value.Value, error) { return value.String(x.req.hash), nil },
		set: func(x *execState, v value.Value) error { x.req.hash = v.String(); return nil },
	})
	def("req.digest", roStr(func(x *execState) string { return digestOf(x.req.hash) }))
	def("req.digest.ratio", &varSpec{t: catalog.TypeFloat, get: func(x *execState) (value.Value, error) {
		d := sha256.Sum256([]byte(x.req.hash))
		n := uint32(d[0])<<24 | uint32(d[1])<<16 | uint32(d[2])<<8 | uint32(d[3])
		return value.Float(float64(n) / float64(1<<32)), nil
	}})
	def("req.hash_always_miss", reqBool(func(r *reqObj) *bool { return &r.hashAlwaysMiss }))
	def("req.hash_ignore_busy", reqBool(func(r *reqObj) *bool { return &r.hashIgnoreBusy }))
	def("req.esi", reqBool(func(r *reqObj) *bool { return &r.esi }))
	def("req.enable_range_on_pass", reqBool(func(r *reqObj) *bool { return &r.rangeOnPass }))
	def("req.enable_segmented_caching", reqBool(func(r *reqObj) *bool { return &r.segmented }))
	def("req.esi_level", roInt(func(x *execState) int64 { return int64(x.req.esiLevel) }))
	def("req.grace", reqDur(func(r *reqObj) *time.Duration { return &r.grace }))
	def("req.max_stale_if_error", reqDur(func(r *reqObj) *time.Duration { return &r.maxStaleIfError }))
	def("req.max_stale_while_revalidate", reqDur(func(r *reqObj) *time.Duration { return &r.maxStaleReval }))
	def("req.is_ipv6", roBool(func(x *execState) bool { return x.clientIP().Is6() && !x.clientIP().Is4In6() }))
	def("req.is_ssl", roBool(func(x *execState) bool { return x.res.Request.TLS }))
	def("req.is_purge", roBool(func(x *execState) bool { return x.req.method == "FASTLYPURGE" }))
	def("req.is_esi_subreq", roBool(func(x *execState) bool { return x.req.esiLevel > 0 }))
	def("req.is_background_fetch", roBool(func(x *execState) bool { return x.req.isBgFetch }))
	def("req.is_clustering", roBool(func(x *execState) bool { return x.onFetch }))
	def("req.service_id", constSpec(value.String("vclidesimulatedservice")))
	def("req.customer_id", constSpec(value.String("vclidesimulatedcustomer")))
	def("req.vcl", constSpec(value.String("vclidesimulatedservice.1_0-vclide")))
	def("req.vcl.generation", constSpec(value.Integer(1)))
	def("req.vcl.version", constSpec(value.Integer(1)))
	def("req.vcl.md5", roStr(func(x *execState) string { return x.e.vclMD5 }))
	def("req.xid", roStr(func(x *execState) string { return strconv.FormatInt(x.seq, 10) }))
	def("req.topurl", roStr(func(x *execState) string {
		if x.req.esiLevel > 0 {
			return x.req.topurl
		}
		return x.req.url
	}))
	def("req.body", roStr(func(x *execState) string { return string(x.req.body) }))
	def("req.postbody", roStr(func(x *execState) string { return string(x.req.body) }))
	def("req.body.base64", roStr(func(x *execState) string { return base64.StdEncoding.EncodeToString(x.req.body) }))
	def("req.header_bytes_read", roInt(func(x *execState) int64 { return headerBytes(x.req.method+" "+x.req.url+" "+x.req.proto, x.req.header) }))
	def("req.body_bytes_read", roInt(func(x *execState) int64 { return int64(len(x.req.body)) }))
	def("req.bytes_read", roInt(func(x *execState) int64 {
		return headerBytes(x.req.method+" "+x.req.url+" "+x.req.proto, x.req.header) + int64(len(x.req.body))
	}))
}

// digestOf is req.digest: the hex SHA-256 of the cache key.
func digestOf(hash string) string {
	d := sha256.Sum256([]byte(hash))
	return hex.EncodeToString(d[:])
}

func defBereqVars() {
	str := func(f func(b *bereqObj) string) func(b *bereqObj) value.Value {
		return func(b *bereqObj) value.Value { return value.String(f(b)) }
	}
	url := bereqSpec(catalog.TypeString, str(func(b *bereqObj) string { return b.url }), func(b *bereqObj, v value.Value) { b.url = v.String() })
	def("bereq.url", url)
	def("bereq.url.path", bereqSpec(catalog.TypeString, str(func(b *bereqObj) string { return urlPath(b.url) }), nil))
	def("bereq.url.qs", bereqSpec(catalog.TypeString, str(func(b *bereqObj) string { return urlQS(b.url) }), nil))
	def("bereq.url.basename", bereqSpec(catalog.TypeString, str(func(b *bereqObj) string { return urlBasename(b.url) }), nil))
	def("bereq.url.dirname", bereqSpec(catalog.TypeString, str(func(b *bereqObj) string { return urlDirname(b.url) }), nil))
	def("bereq.url.ext", bereqSpec(catalog.TypeString, str(func(b *bereqObj) string { return urlExt(b.url) }), nil))
	method := bereqSpec(catalog.TypeString, str(func(b *bereqObj) string { return b.method }), func(b *bereqObj, v value.Value) { b.method = v.String() })
	def("bereq.method", method)
	def("bereq.request", method)
	def("bereq.proto", bereqSpec(catalog.TypeString, str(func(b *bereqObj) string { return b.proto }), nil))
	dur := func(p func(b *bereqObj) *time.Duration) *varSpec {
		return bereqSpec(catalog.TypeRTime, func(b *bereqObj) value.Value { return value.RTime(*p(b)) },
			func(b *bereqObj, v value.Value) { *p(b) = v.Dur })
	}
	def("bereq.connect_timeout", dur(func(b *bereqObj) *time.Duration { return &b.connectTimeout }))
	def("bereq.first_byte_timeout", dur(func(b *bereqObj) *time.Duration { return &b.firstByteTimeout }))
	def("bereq.fetch_timeout", dur(func(b *bereqObj) *time.Duration { return &b.fetchTimeout }))
	def("bereq.between_bytes_timeout", dur(func(b *bereqObj) *time.Duration { return &b.betweenBytesTimeout }))
	def("bereq.max_reuse_idle_time", dur(func(b *bereqObj) *time.Duration { return &b.maxReuseIdle }))
	def("bereq.is_clustering", roBool(func(x *execState) bool { return x.onFetch }))
	written := func(body bool, hdr bool) *varSpec {
		return roInt(func(x *execState) int64 {
			b := x.lastBReq
			if b == nil {
				return 0
			}
			var n int64
			if hdr {
				n += headerBytes(b.Method+" "+b.URL+" HTTP/1.1", b.Header)
			}
			if body {
				n += int64(len(b.Body))
			}
			return n
		})
	}
	def("bereq.header_bytes_written", written(false, true))
	def("bereq.body_bytes_written", written(true, false))
	def("bereq.bytes_written", written(true, true))
}

// headerBytes estimates the size of a request or status line plus headers.
func headerBytes(first string, h map[string][]string) int64 {
	n := int64(len(first) + 2)
	for k, vs := range h {
		for _, v := range vs {
			n += int64(len(k) + 2 + len(v) + 2)
		}
	}
	return n + 2
}

func defRespVars() {
	for _, k := range []objKind{kBeresp, kObj, kResp} {
		p := objNames[k] + "."
		def(p+"status", respSpec(k, catalog.TypeInteger,
			func(_ *execState, o *respObj) value.Value { return value.Integer(int64(o.status)) },
			func(_ *execState, o *respObj, v value.Value) { o.status = int(v.Int) }))
		def(p+"response", respSpec(k, catalog.TypeString,
			func(_ *execState, o *respObj) value.Value { return value.String(o.response) },
			func(_ *execState, o *respObj, v value.Value) { o.response = v.String() }))
		def(p+"proto", respSpec(k, catalog.TypeString,
			func(_ *execState, o *respObj) value.Value { return value.String(o.proto) }, nil))
	}
	dur := func(k objKind, f func(o *respObj) *time.Duration, settable bool) *varSpec {
		var set func(x *execState, o *respObj, v value.Value)
		if settable {
			set = func(_ *execState, o *respObj, v value.Value) { *f(o) = v.Dur }
		}
		return respSpec(k, catalog.TypeRTime, func(_ *execState, o *respObj) value.Value { return value.RTime(*f(o)) }, set)
	}
	boolean := func(k objKind, f func(o *respObj) *bool, settable bool) *varSpec {
		var set func(x *execState, o *respObj, v value.Value)
		if settable {
			set = func(_ *execState, o *respObj, v value.Value) { *f(o) = v.Bool }
		}
		return respSpec(k, catalog.TypeBool, func(_ *execState, o *respObj) value.Value { return value.Bool(*f(o)) }, set)
	}
	// beresp
	def("beresp.ttl", respSpec(kBeresp, catalog.TypeRTime,
		func(_ *execState, o *respObj) value.Value { return value.RTime(o.ttl) },
		func(_ *execState, o *respObj, v value.Value) { o.ttl, o.ttlSet = v.Dur, true }))
	def("beresp.grace", dur(kBeresp, func(o *respObj) *time.Duration { return &o.grace }, true))
	def("beresp.stale_if_error", dur(kBeresp, func(o *respObj) *time.Duration { return &o.sie }, true))
	def("beresp.stale_while_revalidate", dur(kBeresp, func(o *respObj) *time.Duration { return &o.swr }, true))
	def("beresp.saintmode", dur(kBeresp, func(o *respObj) *time.Duration { return &o.saintmode }, true))
	def("beresp.cacheable", boolean(kBeresp, func(o *respObj) *bool { return &o.cacheable }, true))
	def("beresp.do_esi", boolean(kBeresp, func(o *respObj) *bool { return &o.doESI }, true))
	def("beresp.do_stream", boolean(kBeresp, func(o *respObj) *bool { return &o.doStream }, true))
	def("beresp.gzip", boolean(kBeresp, func(o *respObj) *bool { return &o.gzip }, true))
	def("beresp.brotli", boolean(kBeresp, func(o *respObj) *bool { return &o.brotli }, true))
	def("beresp.hipaa", boolean(kBeresp, func(o *respObj) *bool { return &o.hipaa }, true))
	def("beresp.pci", boolean(kBeresp, func(o *respObj) *bool { return &o.pci }, true))
	def("beresp.used_alternate_path_to_origin", constSpec(value.Bool(false)))
	def("beresp.handshake_time_to_origin_ms", constSpec(value.Integer(0)))
	def("beresp.backend.requests", constSpec(value.Integer(1)))
	def("beresp.backend.alternate_ips", constSpec(value.String("")))
	backendName := func(x *execState) string {
		if x.beresp != nil && x.beresp.backend != "" {
			return x.beresp.backend
		}
		if x.lastBReq != nil {
			return x.lastBReq.Backend
		}
		return ""
	}
	def("beresp.backend.name", roStr(backendName))
	def("beresp.backend.host", roStr(func(x *execState) string {
		if b := x.e.backends[backendName(x)]; b != nil {
			return b.host
		}
		return ""
	}))
	def("beresp.backend.ip", &varSpec{t: catalog.TypeIP, get: func(x *execState) (value.Value, error) {
		if b := x.e.backends[backendName(x)]; b != nil {
			return value.IP(b.ip), nil
		}
		return value.Value{T: catalog.TypeIP, NotSet: true}, nil
	}})
	def("beresp.backend.port", roInt(func(x *execState) int64 {
		if b := x.e.backends[backendName(x)]; b != nil {
			return b.port
		}
		return 0
	}))
	def("beresp.backend.src_ip", &varSpec{t: catalog.TypeIP, get: func(x *execState) (value.Value, error) { return value.IP(x.serverIP()), nil }})
	def("beresp.backend.src_port", roInt(func(x *execState) int64 { return 40000 + x.seq%20000 }))

	// obj
	def("obj.ttl", respSpec(kObj, catalog.TypeRTime,
		func(_ *execState, o *respObj) value.Value { return value.RTime(o.ttl) },
		func(x *execState, o *respObj, v value.Value) {
			o.ttl = v.Dur
			if h := x.hitObj; h != nil && x.sub == catalog.SubHit {
				// vcl_hit may change the stored object's lifetime.
				h.TTL = x.now().Sub(h.StoredAt) + v.Dur
			}
		}))
	def("obj.grace", dur(kObj, func(o *respObj) *time.Duration { return &o.grace }, true))
	def("obj.stale_if_error", dur(kObj, func(o *respObj) *time.Duration { return &o.sie }, false))
	def("obj.stale_while_revalidate", dur(kObj, func(o *respObj) *time.Duration { return &o.swr }, false))
	def("obj.age", dur(kObj, func(o *respObj) *time.Duration { return &o.age }, false))
	def("obj.lastuse", dur(kObj, func(o *respObj) *time.Duration { return &o.lastuse }, false))
	def("obj.entered", respSpec(kObj, catalog.TypeRTime, func(x *execState, o *respObj) value.Value {
		if o.entered.IsZero() {
			return value.RTime(0)
		}
		return value.RTime(x.now().Sub(o.entered))
	}, nil))
	def("obj.hits", respSpec(kObj, catalog.TypeInteger, func(_ *execState, o *respObj) value.Value { return value.Integer(int64(o.hits)) }, nil))
	def("obj.cacheable", boolean(kObj, func(o *respObj) *bool { return &o.cacheable }, false))
	def("obj.is_pci", boolean(kObj, func(o *respObj) *bool { return &o.pci }, false))

	// resp
	def("resp.is_locally_generated", boolean(kResp, func(o *respObj) *bool { return &o.synth }, false))
	staleFlag := func(f func(o *respObj) *bool) *varSpec {
		return &varSpec{
			t: catalog.TypeBool,
			get: func(x *execState) (value.Value, error) {
				if x.resp == nil {
					return value.Bool(false), nil
				}
				return value.Bool(*f(x.resp)), nil
			},
			set: func(x *execState, v value.Value) error {
				if x.resp != nil {
					*f(x.resp) = v.Bool
				}
				return nil
			},
		}
	}
	def("resp.stale", staleFlag(func(o *respObj) *bool { return &o.stale }))
	def("resp.stale.is_error", staleFlag(func(o *respObj) *bool { return &o.staleErr }))
	def("resp.stale.is_revalidating", staleFlag(func(o *respObj) *bool { return &o.staleRev }))
	def("resp.completed", roBool(func(x *execState) bool { return x.sub == catalog.SubLog }))
	respBytes := func(body, hdr bool) *varSpec {
		return respSpec(kResp, catalog.TypeInteger, func(_ *execState, o *respObj) value.Value {
			var n int64
			if hdr {
				n += headerBytes(o.proto+" "+strconv.Itoa(o.status)+" "+o.response, o.header)
			}
			if body {
				n += int64(len(o.body))
			}
			return value.Integer(n)
		}, nil)
	}
	def("resp.header_bytes_written", respBytes(false, true))
	def("resp.body_bytes_written", respBytes(true, false))
	def("resp.bytes_written", respBytes(true, true))
}
