package builtin

import (
	"testing"

	"github.com/vclide/vclide/interp/value"
)

// svals makes STRING values.
func svals(s ...string) []value.Value {
	out := make([]value.Value, len(s))
	for i := range s {
		out[i] = vs(s[i])
	}
	return out
}

// Fastly's documented accept.language_lookup examples.
func TestAcceptLanguageLookup(t *testing.T) {
	const fn = "accept.language_lookup"
	runStringCases(t, []stringCase{
		{name: "pt from pt-BR list", fn: fn, args: svals("en:de:fr:pt:es:zh-CN", "en", "pt-BR,pt;q=0.8,en-US;q=0.6,en;q=0.4"), want: "pt"},
		{name: "subtags removed from the range", fn: fn, args: svals("en", "nl", "en-GB"), want: "en"},
		{name: "q-value beats exactness", fn: fn, args: svals("en:nl", "nl", "en-GB,nl;q=0.5"), want: "en"},
		{name: "available tags not truncated", fn: fn, args: svals("en-US:nl", "nl", "en-GB,nl;q=0.5"), want: "nl"},
		{name: "case insensitive, spelled as available", fn: fn, args: svals("en-US:nl", "nl", "en-us,nl;q=0.5"), want: "en-US"},
		{name: "zero weight gives not set", fn: fn, args: svals("en-US:nl", "nl", "en-GB,nl;q=0"), notSet: true},
		{name: "no match gives default", fn: fn, args: svals("en:de", "en", "ja"), want: "en"},
		{name: "empty header gives default", fn: fn, args: svals("en:de", "de", ""), want: "de"},
		{name: "wildcard ignored by lookup", fn: fn, args: svals("en:de", "en", "*"), want: "en"},
		{name: "single-letter subtag dropped with its successor", fn: fn, args: svals("zh:zh-Hant", "en", "zh-Hant-x-private"), want: "zh-Hant"},
		{name: "excluded range skipped", fn: fn, args: svals("de:fr", "en", "de;q=0,fr;q=0.5"), want: "fr"},
	})
}

func TestAcceptLanguageFilterBasic(t *testing.T) {
	const fn = "accept.language_filter_basic"
	call4 := func(avail, def, header string, n int64) []value.Value {
		return []value.Value{vs(avail), vs(def), vs(header), vi(n)}
	}
	hdr := "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"
	runStringCases(t, []stringCase{
		{name: "two best (documented call shape)", fn: fn, args: call4("en:de:fr:nl", "nl", hdr, 2), want: "fr,en"},
		{name: "wildcard adds the rest", fn: fn, args: call4("en:de:fr:nl", "nl", hdr, 10), want: "fr,en,de,nl"},
		{name: "range is a prefix of the tag", fn: fn, args: call4("en-US:en-GB:de", "x", "en", 5), want: "en-US,en-GB"},
		{name: "range longer than tag does not match", fn: fn, args: call4("en:de", "x", "en-GB", 5), want: "x"},
		{name: "zero weight excluded from wildcard", fn: fn, args: call4("en:de:fr", "x", "*, de;q=0", 5), want: "en,fr"},
		{name: "no match", fn: fn, args: call4("en:de", "nl", "ja", 1), want: "nl"},
	})
}

func TestAcceptCharsetEncoding(t *testing.T) {
	runStringCases(t, []stringCase{
		{name: "charset explicit (documented call)", fn: "accept.charset_lookup", args: svals("iso-8859-5:iso-8859-2", "utf-8", "iso-8859-5, unicode-1-1;q=0.8"), want: "iso-8859-5"},
		{name: "charset by quality", fn: "accept.charset_lookup", args: svals("iso-8859-5:iso-8859-2", "utf-8", "iso-8859-5;q=0.2, ISO-8859-2;q=0.9"), want: "iso-8859-2"},
		{name: "charset wildcard", fn: "accept.charset_lookup", args: svals("iso-8859-5:iso-8859-2", "utf-8", "*"), want: "iso-8859-5"},
		{name: "charset unmentioned is unacceptable", fn: "accept.charset_lookup", args: svals("iso-8859-5:iso-8859-2", "utf-8", "utf-8"), want: "utf-8"},
		{name: "charset wildcard with exclusion", fn: "accept.charset_lookup", args: svals("iso-8859-5:iso-8859-2", "utf-8", "*, iso-8859-5;q=0"), want: "iso-8859-2"},
		{name: "encoding (documented call)", fn: "accept.encoding_lookup", args: svals("compress:gzip", "identity", "gzip;q=1.0, identity; q=0.5, *;q=0"), want: "gzip"},
		{name: "encoding tie goes to header order", fn: "accept.encoding_lookup", args: svals("compress:gzip", "identity", "gzip, compress"), want: "gzip"},
		{name: "encoding by quality", fn: "accept.encoding_lookup", args: svals("compress:gzip", "identity", "gzip;q=0.5, compress;q=0.8"), want: "compress"},
		{name: "encoding none acceptable", fn: "accept.encoding_lookup", args: svals("compress:gzip", "identity", "br"), want: "identity"},
		{name: "encoding identity implicitly acceptable", fn: "accept.encoding_lookup", args: svals("identity:gzip", "none", "br"), want: "identity"},
		{name: "encoding identity excluded", fn: "accept.encoding_lookup", args: svals("identity:gzip", "none", "br, identity;q=0"), want: "none"},
		{name: "encoding empty header", fn: "accept.encoding_lookup", args: svals("gzip", "identity", ""), want: "identity"},
		{name: "malformed q dropped", fn: "accept.encoding_lookup", args: svals("gzip:br", "identity", "gzip;q=2, br;q=0.1"), want: "br"},
	})
}

// The documented accept.media_lookup call: image/jpeg and image/png map to
// themselves, image/* to image/tiff, text/* to text/html, */* to text/plain.
func TestAcceptMediaLookup(t *testing.T) {
	const fn = "accept.media_lookup"
	doc := func(accept string) []value.Value {
		return svals("image/jpeg:image/png", "text/plain", "image/tiff:text/html", accept)
	}
	runStringCases(t, []stringCase{
		{name: "image/jpeg", fn: fn, args: doc("image/jpeg"), want: "image/jpeg"},
		{name: "image/png", fn: fn, args: doc("image/png"), want: "image/png"},
		{name: "image/*", fn: fn, args: doc("image/*"), want: "image/tiff"},
		{name: "text/*", fn: fn, args: doc("text/*"), want: "text/html"},
		{name: "*/*", fn: fn, args: doc("*/*"), want: "text/plain"},
		{name: "browser header", fn: fn, args: doc("text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8"), want: "text/plain"},
		{name: "quality order", fn: fn, args: doc("image/jpeg;q=0.5, image/png"), want: "image/png"},
		{name: "specific before wildcard", fn: fn, args: doc("image/*, image/png"), want: "image/png"},
		{name: "case insensitive", fn: fn, args: doc("IMAGE/PNG"), want: "image/png"},
		{name: "parameters ignored", fn: fn, args: doc("image/png;level=1;q=0.9"), want: "image/png"},
		{name: "nothing acceptable", fn: fn, args: doc("application/json"), want: "text/plain"},
		{name: "no range default uses an available type", fn: fn, args: svals("image/png:image/jpeg", "x/y", "", "image/*, image/png;q=0"), want: "image/jpeg"},
		{name: "excluded exact type", fn: fn, args: svals("image/png", "x/y", "", "image/png;q=0, */*;q=0.1"), want: "x/y"},
	})
}
