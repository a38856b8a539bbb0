package lsp

import (
	"sync"
	"testing"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"
)

// testLogger logs warnings to the test's log until the test ends, and
// drops what the server's goroutines log after that: testing panics on a
// t.Log after the test has completed, and a server may still be finishing
// a diagnostics pass when its test returns.
func testLogger(t testing.TB) *zap.Logger {
	g := &testLogGate{}
	t.Cleanup(g.close)
	return zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel), zaptest.WrapOptions(zap.WrapCore(func(c zapcore.Core) zapcore.Core {
		return &gatedCore{Core: c, gate: g}
	})))
}

// testLogGate is closed when the test ends.
type testLogGate struct {
	mu     sync.RWMutex
	closed bool
}

func (g *testLogGate) close() {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
}

// gatedCore writes through to the test log only while the gate is open.
type gatedCore struct {
	zapcore.Core
	gate *testLogGate
}

func (c *gatedCore) With(fields []zapcore.Field) zapcore.Core {
	return &gatedCore{Core: c.Core.With(fields), gate: c.gate}
}

func (c *gatedCore) Check(e zapcore.Entry, ce *zapcore.CheckedEntry) *zapcore.CheckedEntry {
	if c.Enabled(e.Level) {
		return ce.AddCore(e, c)
	}
	return ce
}

func (c *gatedCore) Write(e zapcore.Entry, fields []zapcore.Field) error {
	c.gate.mu.RLock()
	defer c.gate.mu.RUnlock()
	if c.gate.closed {
		return nil
	}
	return c.Core.Write(e, fields)
}

// TestLogAfterTestEndIsDropped: what a server goroutine logs after its
// test has ended never reaches the test's log (where testing would panic:
// "Log in goroutine after … has completed").
func TestLogAfterTestEndIsDropped(t *testing.T) {
	obs, logs := observer.New(zap.WarnLevel)
	g := &testLogGate{}
	log := zap.New(&gatedCore{Core: obs, gate: g})
	log.Warn("while the test runs")
	g.close()
	log.Warn("after the test ended")
	log.With(zap.String("k", "v")).Warn("after the test ended, with fields")
	if got := logs.Len(); got != 1 {
		t.Fatalf("%d entries reached the log, want only the one written before the end: %v", got, logs.All())
	}
}
