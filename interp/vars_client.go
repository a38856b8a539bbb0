package interp

import (
	"github.com/vclide/vclide/analysis/catalog"
	"github.com/vclide/vclide/interp/value"
)

// geoDefaults are the fixed answers of the simulated geolocation database:
// a client in San Francisco.
var geoDefaults = map[string]value.Value{
	"area_code":         value.Integer(415),
	"city":              value.String("san francisco"),
	"conn_speed":        value.String("broadband"),
	"conn_type":         value.String("wired"),
	"continent_code":    value.String("NA"),
	"country_code":      value.String("US"),
	"country_code3":     value.String("USA"),
	"country_name":      value.String("united states"),
	"gmt_offset":        value.Integer(-800),
	"latitude":          value.Float(37.775),
	"longitude":         value.Float(-122.418),
	"metro_code":        value.Integer(807),
	"postal_code":       value.String("94107"),
	"proxy_description": value.String("?"),
	"proxy_type":        value.String("?"),
	"region":            value.String("CA"),
	"utc_offset":        value.Integer(-800),
}

func defClientVars() {
	def("client.ip", &varSpec{t: catalog.TypeIP, get: func(x *execState) (value.Value, error) { return value.IP(x.clientIP()), nil }})
	def("client.port", roInt(func(x *execState) int64 { return 50000 + x.seq%10000 }))
	// remote.port is undocumented; Fastly's Magento module reads it as the
	// client connection's remote port, the same as client.port.
	def("remote.port", roInt(func(x *execState) int64 { return 50000 + x.seq%10000 }))
	def("client.requests", constSpec(value.Integer(1)))
	def("client.identity", &varSpec{
		t: catalog.TypeString,
		get: func(x *execState) (value.Value, error) {
			if x.req.identitySet {
				return value.String(x.req.identity), nil
			}
			return value.String(x.clientIP().String()), nil
		},
		set: func(x *execState, v value.Value) error {
			x.req.identity, x.req.identitySet = v.String(), true
			return nil
		},
	})
	def("client.identified", roBool(func(x *execState) bool { return x.req.identitySet }))
	def("client.sess_timeout", &varSpec{
		t:   catalog.TypeRTime,
		get: func(*execState) (value.Value, error) { return value.RTime(0), nil },
		set: func(*execState, value.Value) error { return nil },
	})
	for _, prefix := range []string{"client.geo.", "geoip."} {
		for k, v := range geoDefaults {
			def(prefix+k, constSpec(v))
			switch k {
			case "city", "country_name", "region":
				for _, enc := range []string{".ascii", ".latin1", ".utf8"} {
					def(prefix+k+enc, constSpec(v))
				}
			}
		}
		override := &varSpec{
			t:   catalog.TypeString,
			get: func(*execState) (value.Value, error) { return value.NullString(), nil },
			set: func(*execState, value.Value) error { return nil },
		}
		def(prefix+"ip_override", override)
	}
	def("geoip.use_x_forwarded_for", &varSpec{
		t:   catalog.TypeBool,
		get: func(*execState) (value.Value, error) { return value.Bool(false), nil },
		set: func(*execState, value.Value) error { return nil },
	})
	def("client.as.name", constSpec(value.String("vclide simulated network")))
	def("client.as.number", constSpec(value.Integer(64496)))
	for _, n := range []string{"client.browser.name", "client.browser.version", "client.os.name", "client.os.version",
		"client.bot.name", "client.platform.vendor", "client.platform.model", "client.platform.hwtype"} {
		def(n, constSpec(value.String("")))
	}
	for _, n := range []string{"client.display.height", "client.display.width", "client.display.ppi"} {
		def(n, constSpec(value.Integer(0)))
	}
	for _, n := range []string{"client.display.touchscreen", "client.class.bot", "client.class.browser", "client.class.checker",
		"client.class.downloader", "client.class.feedreader", "client.class.filter", "client.class.masquerading",
		"client.class.spam", "client.platform.ereader", "client.platform.gameconsole", "client.platform.mediaplayer",
		"client.platform.mobile", "client.platform.smarttv", "client.platform.tablet", "client.platform.tvplayer"} {
		def(n, constSpec(value.Bool(false)))
	}
	for _, n := range []string{"client.socket.cwnd", "client.socket.nexthop", "client.socket.tcpi_min_rtt", "client.socket.tcpi_rtt",
		"client.socket.tcpi_rttvar", "client.socket.tcpi_pacing_rate", "client.socket.tcpi_delivery_rate",
		"client.socket.tcpi_snd_cwnd", "client.socket.tcpi_total_retrans", "client.socket.ploss"} {
		def(n, constSpec(value.Integer(0)))
	}
}
