package builtin

import (
	"reflect"
	"testing"
)

// effectEnv records out-of-VCL effects.
type effectEnv struct {
	*fakeEnv
	effects []string
}

func (e *effectEnv) RecordEffect(fn, detail string) { e.effects = append(e.effects, fn+": "+detail) }

func TestConnectionEffects(t *testing.T) {
	env := &effectEnv{fakeEnv: newEnv()}
	callOK(t, env, "h2.push", vs("/style.css"))
	callOK(t, env, "h2.push", vs("/app.js"), vs("script"))
	callOK(t, env, "h2.disable_header_compression", vs("Authorization"), vs("Secret"))
	callOK(t, env, "h3.alt_svc")
	callOK(t, env, "early_hints", vs("link: </hinted.js>; rel=preload"), vs("link: </hinted.css>; rel=preload"))
	callOK(t, env, "resp.tarpit", vi(5), vi(1000))
	callOK(t, env, "resp.tarpit", vi(2))
	want := []string{
		"h2.push: /style.css",
		"h2.push: /app.js as script",
		"h2.disable_header_compression: Authorization, Secret",
		"h3.alt_svc: advertise HTTP/3 on the client response",
		"early_hints: 103 Early Hints: link: </hinted.js>; rel=preload; link: </hinted.css>; rel=preload",
		"resp.tarpit: send 1000-byte chunks every 5s (responses up to 4000 bytes)",
		"resp.tarpit: send 100-byte chunks every 2s (responses up to 4000 bytes)",
	}
	if !reflect.DeepEqual(env.effects, want) {
		t.Fatalf("effects =\n%q\nwant\n%q", env.effects, want)
	}
	if len(env.headers["resp"]) != 0 {
		t.Fatal("h3.alt_svc wrote a header VCL could read")
	}
	if _, err := call(t, env, "resp.tarpit", vi(-1)); err == nil {
		t.Fatal("negative interval accepted")
	}
	if _, err := call(t, env, "resp.tarpit", vi(1), vi(0)); err == nil {
		t.Fatal("zero chunk size accepted")
	}
	// Without a recorder the calls are harmless no-ops.
	callOK(t, newEnv(), "h2.push", vs("/x"))
}
