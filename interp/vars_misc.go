package interp

import (
	"fmt"
	"math"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/cache"
	"github.com/vclide/vclide/interp/value"
)

// stateString is fastly_info.state as it reads now.
func (x *execState) stateString() string {
	return cache.FormatState(x.state, cache.StateFlags{Refreshed: x.refreshed, Waited: x.waited, Clustered: x.clustered})
}

// serverIP is the address of the node running now.
func (x *execState) serverIP() netip.Addr {
	return netip.AddrFrom4([4]byte{192, 0, 2, byte(100 + x.node.Index)})
}

// timeParts defines NAME, NAME.sec, .msec, .usec, .msec_frac and .usec_frac
// for a TIME.
func timeParts(name string, f func(x *execState) time.Time) {
	def(name, &varSpec{t: catalog.TypeTime, get: func(x *execState) (value.Value, error) { return value.Time(f(x)), nil }})
	def(name+".sec", roStr(func(x *execState) string { return strconv.FormatInt(f(x).Unix(), 10) }))
	def(name+".msec", roStr(func(x *execState) string { return strconv.FormatInt(f(x).UnixMilli(), 10) }))
	def(name+".usec", roStr(func(x *execState) string { return strconv.FormatInt(f(x).UnixMicro(), 10) }))
	def(name+".msec_frac", roStr(func(x *execState) string { return fmt.Sprintf("%03d", f(x).Nanosecond()/1e6) }))
	def(name+".usec_frac", roStr(func(x *execState) string { return fmt.Sprintf("%06d", f(x).Nanosecond()/1e3) }))
}

func defMiscVars() {
	def("LF", constSpec(value.String("\n")))
	def("fastly_info.state", roStr(func(x *execState) string { return x.stateString() }))
	def("fastly_info.is_cluster_edge", roBool(func(x *execState) bool { return x.clustered && !x.onFetch }))
	def("fastly_info.is_cluster_shield", roBool(func(x *execState) bool { return x.onFetch }))
	def("fastly_info.is_h2", constSpec(value.Bool(false)))
	def("fastly_info.is_h3", constSpec(value.Bool(false)))
	def("fastly_info.h2.is_push", constSpec(value.Bool(false)))
	def("fastly_info.h2.stream_id", constSpec(value.Integer(0)))
	// Fingerprints of HTTP/2 settings and of the header order: the
	// simulator's clients speak HTTP/1.1 and send no fingerprintable
	// order, so both are not set.
	def("fastly_info.h2.fingerprint", constSpec(value.NullString()))
	def("fastly_info.oh_fingerprint", constSpec(value.NullString()))
	def("fastly_info.edge.is_tls", roBool(func(x *execState) bool { return x.res.Request.TLS }))
	def("fastly_info.request_id", roStr(func(x *execState) string { return fmt.Sprintf("%016x", x.seq) }))
	def("fastly_info.host_header", roStr(func(x *execState) string { h, _ := headerGet(x.req.header, "Host"); return h }))
	def("fastly_info.version", constSpec(value.String("vclide-simulator")))
	def("fastly.error", &varSpec{
		t: catalog.TypeString,
		get: func(x *execState) (value.Value, error) {
			if x.fastlyEr == "" {
				return value.NullString(), nil
			}
			return value.String(x.fastlyEr), nil
		},
		set:   func(x *execState, v value.Value) error { x.fastlyEr = v.String(); return nil },
		unset: func(x *execState) error { x.fastlyEr = ""; return nil },
	})
	def("fastly.ff.visits_this_service", constSpec(value.Integer(0)))
	def("fastly.ff.visits_this_pop", constSpec(value.Integer(0)))
	def("fastly.ff.visits_this_pop_this_service", constSpec(value.Integer(0)))
	def("fastly.is_staging", constSpec(value.Bool(false)))
	def("fastly.ddos_detected", constSpec(value.Bool(false)))
	def("fastly.bot.analyzed", constSpec(value.Bool(false)))
	def("fastly.bot.detected", constSpec(value.Bool(false)))
	def("fastly.bot.name", constSpec(value.String("")))
	def("fastly.bot.category", constSpec(value.String("")))
	for _, c := range []string{"accessibility", "ai_crawler", "ai_fetcher", "content_fetcher", "monitoring_and_site_tools",
		"online_marketing", "page_preview", "platform_integrations", "research", "search_engine_crawler",
		"search_engine_optimization", "security_tools", "verified"} {
		def("fastly.bot.category.is_"+c, constSpec(value.Bool(false)))
	}
	def("workspace.bytes_total", constSpec(value.Integer(131072)))
	def("workspace.bytes_free", constSpec(value.Integer(131072)))
	def("workspace.overflowed", constSpec(value.Bool(false)))
	def("transport.type", constSpec(value.String("tcp")))
	def("esi.allow_inside_cdata", &varSpec{
		t:   catalog.TypeBool,
		get: func(*execState) (value.Value, error) { return value.Bool(false), nil },
		set: func(*execState, value.Value) error { return nil },
	})
	for i, obj := range objNames {
		k := objKind(i)
		def(obj+".headers", &varSpec{t: catalog.TypeString, get: func(x *execState) (value.Value, error) {
			h, err := x.headerMap(k)
			if err != nil {
				return value.Value{}, err
			}
			return value.String(headerDump(h)), nil
		}})
	}
	def("stale.exists", roBool(func(x *execState) bool {
		return x.key != "" && !x.staleUnusable() && x.node.Store.StaleExists(x.key, x.now())
	}))
	def("now", &varSpec{t: catalog.TypeTime, get: func(x *execState) (value.Value, error) { return value.Time(x.now()), nil }})
	def("now.sec", roStr(func(x *execState) string { return strconv.FormatInt(x.now().Unix(), 10) }))
	timeParts("time.start", func(x *execState) time.Time { return x.start })
	timeParts("time.end", func(x *execState) time.Time { return x.now() })
	elapsed := func(x *execState) time.Duration { return x.now().Sub(x.start) }
	def("time.elapsed", roDur(elapsed))
	def("time.to_first_byte", roDur(elapsed))
	def("time.elapsed.sec", roStr(func(x *execState) string { return strconv.FormatInt(int64(elapsed(x)/time.Second), 10) }))
	def("time.elapsed.msec", roStr(func(x *execState) string { return strconv.FormatInt(elapsed(x).Milliseconds(), 10) }))
	def("time.elapsed.usec", roStr(func(x *execState) string { return strconv.FormatInt(elapsed(x).Microseconds(), 10) }))
	def("time.elapsed.msec_frac", roStr(func(x *execState) string { return fmt.Sprintf("%03d", elapsed(x).Milliseconds()%1000) }))
	def("time.elapsed.usec_frac", roStr(func(x *execState) string { return fmt.Sprintf("%06d", elapsed(x).Microseconds()%1000000) }))

	def("server.identity", roStr(func(x *execState) string { return x.node.ID }))
	def("server.hostname", roStr(func(x *execState) string { return x.node.ID }))
	def("server.datacenter", constSpec(value.String("SIM")))
	def("server.pop", constSpec(value.String("SIM")))
	def("server.region", constSpec(value.String("US-West")))
	def("server.billing_region", constSpec(value.String("North America")))
	def("server.ip", &varSpec{t: catalog.TypeIP, get: func(x *execState) (value.Value, error) { return value.IP(x.serverIP()), nil }})
	def("server.port", roInt(func(x *execState) int64 {
		if x.res.Request.TLS {
			return 443
		}
		return 80
	}))

	for name, v := range map[string]float64{
		"math.PI": math.Pi, "math.E": math.E, "math.TAU": 2 * math.Pi, "math.PHI": math.Phi,
		"math.2PI": 2 * math.Pi, "math.PI_2": math.Pi / 2, "math.PI_4": math.Pi / 4,
		"math.1_PI": 1 / math.Pi, "math.2_PI": 2 / math.Pi, "math.2_SQRTPI": 2 / math.Sqrt(math.Pi),
		"math.SQRT2": math.Sqrt2, "math.SQRT1_2": 1 / math.Sqrt2, "math.LN2": math.Ln2, "math.LN10": math.Ln10,
		"math.LOG2E": math.Log2E, "math.LOG10E": math.Log10E,
		"math.FLOAT_MAX": math.MaxFloat64, "math.FLOAT_MIN": 2.2250738585072014e-308,
		"math.FLOAT_EPSILON": 2.220446049250313e-16, "math.NAN": math.NaN(),
		"math.POS_INFINITY": math.Inf(1), "math.NEG_INFINITY": math.Inf(-1),
		"math.POS_HUGE_VAL": math.Inf(1), "math.NEG_HUGE_VAL": math.Inf(-1),
	} {
		def(name, constSpec(value.Float(v)))
	}
	for name, v := range map[string]int64{
		"math.FLOAT_DIG": 15, "math.FLOAT_MANT_DIG": 53, "math.FLOAT_MAX_10_EXP": 308, "math.FLOAT_MAX_EXP": 1024,
		"math.FLOAT_MIN_10_EXP": -307, "math.FLOAT_MIN_EXP": -1021, "math.FLOAT_RADIX": 2,
		"math.INTEGER_BIT": 64, "math.INTEGER_MAX": math.MaxInt64, "math.INTEGER_MIN": math.MinInt64,
	} {
		def(name, constSpec(value.Integer(v)))
	}

	tlsStr := func(v string) *varSpec {
		return &varSpec{t: catalog.TypeString, get: func(x *execState) (value.Value, error) {
			if !x.res.Request.TLS {
				return value.NullString(), nil
			}
			return value.String(v), nil
		}}
	}
	def("tls.client.protocol", tlsStr("TLSv1.3"))
	def("tls.client.cipher", tlsStr("TLS_AES_128_GCM_SHA256"))
	def("tls.client.ciphers_sha", tlsStr("JZtiTn8H/ntxORk+XXvU2EvNoz8="))
	def("tls.client.ciphers_list_sha", tlsStr("JZtiTn8H/ntxORk+XXvU2EvNoz8="))
	def("tls.client.tlsexts_sha", tlsStr("Cc7BJKTw6QjRnFGUjkN5kO8rwvY="))
	def("tls.client.ja3_md5", tlsStr("773906b0efdefa24a7f2b8eb6985bf37"))
	def("tls.client.ja4", tlsStr("t13d1516h2_8daaf6152771_b0da82dd1658"))
	def("tls.client.servername", &varSpec{t: catalog.TypeString, get: func(x *execState) (value.Value, error) {
		if !x.res.Request.TLS {
			return value.NullString(), nil
		}
		h, _ := headerGet(x.req.header, "Host")
		return value.String(h), nil
	}})
	def("tls.client.iana_chosen_cipher_id", roInt(func(x *execState) int64 {
		if x.res.Request.TLS {
			return 4865
		}
		return 0
	}))
	def("tls.client.certificate.is_cert_missing", roBool(func(x *execState) bool { return true }))
	def("tls.client.certificate.is_verified", constSpec(value.Bool(false)))
	def("tls.client.certificate.is_cert_bad", constSpec(value.Bool(false)))
	def("tls.client.certificate.is_cert_expired", constSpec(value.Bool(false)))
	def("tls.client.certificate.is_cert_revoked", constSpec(value.Bool(false)))
	def("tls.client.certificate.is_cert_unknown", constSpec(value.Bool(false)))
	def("tls.client.certificate.is_unknown_ca", constSpec(value.Bool(false)))
	// The simulated POP never sees a client certificate: its validity
	// period reads as -1, Fastly's value for "no answer" (the variables'
	// reference: "Return value of -1 indicates error").
	def("tls.client.certificate.not_before", constSpec(value.Time(time.Unix(-1, 0).UTC())))
	def("tls.client.certificate.not_after", constSpec(value.Time(time.Unix(-1, 0).UTC())))
}

// headerDump renders headers as "Name: value" lines, sorted by name.
func headerDump(h map[string][]string) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range h[k] {
			b.WriteString(k + ": " + v + "\r\n")
		}
	}
	return b.String()
}
