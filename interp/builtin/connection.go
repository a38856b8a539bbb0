package builtin

import (
	"fmt"
	"strings"

	"github.com/vclide/vclide/interp/value"
)

// This file holds the builtins whose only effect is on the client
// connection: h2.*, h3.alt_svc, early_hints and resp.tarpit.

// EffectRecorder is an optional interface an Env may implement to observe
// builtins whose only effect is on the client connection (HTTP/2 pushes,
// 103 Early Hints, Alt-Svc advertisement, tarpitting, header compression
// flags). Such effects happen outside VCL in Fastly, so the simulator cannot
// show them as variables; an Env that implements this interface receives a
// description of each one instead (for the debugger's event log).
type EffectRecorder interface {
	// RecordEffect notes that the builtin fn requested the given effect.
	RecordEffect(fn string, detail string)
}

// recordEffect passes an out-of-VCL effect to env when it records them.
func recordEffect(env Env, fn, detail string) {
	if r, ok := env.(EffectRecorder); ok {
		r.RecordEffect(fn, detail)
	}
}

func init() {
	register("h2.disable_header_compression", h2DisableHeaderCompression)
	register("h2.push", h2Push)
	register("h3.alt_svc", h3AltSvc)
	register("early_hints", earlyHints)
	register("resp.tarpit", respTarpit)
}

// h2DisableHeaderCompression implements h2.disable_header_compression: it
// only flags response headers for the HTTP/2 encoder, which the simulator
// does not run, so the call is recorded as an effect.
func h2DisableHeaderCompression(env Env, a []value.Value) (value.Value, error) {
	names := make([]string, 0, len(a))
	for i := range a {
		names = append(names, argStr(a, i))
	}
	recordEffect(env, "h2.disable_header_compression", strings.Join(names, ", "))
	return value.Void(), nil
}

// h2Push implements h2.push(resource [, as]): the push happens on the client
// connection, outside VCL, so it is recorded as an effect.
func h2Push(env Env, args []value.Value) (value.Value, error) {
	detail := argStr(args, 0)
	if len(args) > 1 && argStr(args, 1) != "" {
		detail += " as " + argStr(args, 1)
	}
	recordEffect(env, "h2.push", detail)
	return value.Void(), nil
}

// h3AltSvc implements h3.alt_svc: Fastly adds an Alt-Svc header after
// vcl_deliver has finished, invisible to VCL, so it is recorded as an
// effect rather than written to resp.http.
func h3AltSvc(env Env, a []value.Value) (value.Value, error) {
	recordEffect(env, "h3.alt_svc", "advertise HTTP/3 on the client response")
	return value.Void(), nil
}

// earlyHints implements early_hints(header...): a 103 informational
// response sent on the client connection, recorded as an effect.
func earlyHints(env Env, a []value.Value) (value.Value, error) {
	lines := make([]string, 0, len(a))
	for i := range a {
		lines = append(lines, argStr(a, i))
	}
	recordEffect(env, "early_hints", "103 Early Hints: "+strings.Join(lines, "; "))
	return value.Void(), nil
}

// respTarpit implements resp.tarpit(interval_s [, chunk_size_bytes]): it
// paces the delivery of the response body, which the simulator does not
// stream, so the pacing is validated and recorded as an effect.
func respTarpit(env Env, args []value.Value) (value.Value, error) {
	interval := argIntOrZero(args, 0)
	if interval < 0 {
		return value.Value{}, argError("resp.tarpit", 0, "interval %d is negative", interval)
	}
	chunk := int64(100) // the documented default
	if len(args) > 1 {
		chunk = argIntOrZero(args, 1)
		if chunk <= 0 {
			return value.Value{}, argError("resp.tarpit", 1, "chunk size %d is not positive", chunk)
		}
	}
	recordEffect(env, "resp.tarpit", fmt.Sprintf("send %d-byte chunks every %ds (responses up to 4000 bytes)", chunk, interval))
	return value.Void(), nil
}
