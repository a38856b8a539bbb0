package lsp

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/vclide/vclide/internal/fuzzmsg"
)

// stagedReader delivers its parts one after another, each when its gate
// opens, and closes last when it starts on the last one.
type stagedReader struct {
	parts [][]byte
	gates []chan struct{}
	last  chan struct{}
	cur   *bytes.Reader
}

func (r *stagedReader) Read(p []byte) (int, error) {
	for r.cur == nil || r.cur.Len() == 0 {
		if len(r.parts) == 0 {
			return 0, io.EOF
		}
		if len(r.parts) == 1 {
			close(r.last)
		}
		if r.gates[0] != nil {
			<-r.gates[0]
		}
		r.cur = bytes.NewReader(r.parts[0])
		r.parts, r.gates = r.parts[1:], r.gates[1:]
	}
	return r.cur.Read(p)
}

// TestRequestsAfterExitDoNotCrash: a client (over --listen, where the
// process outlives the session) sends exit and then more requests. The
// error reply to one could not be written; the handler returned that error
// to jsonrpc2, which failed the connection with it and then again with the
// read error, and jsonrpc2 panics when the two differ in type: the whole
// process died. Found by FuzzLSPDispatch.
func TestRequestsAfterExitDoNotCrash(t *testing.T) {
	served := make(chan struct{})
	r := &stagedReader{
		parts: [][]byte{
			[]byte(frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`) + frame(`{"jsonrpc":"2.0","method":"exit"}`)),
			[]byte(frame(`{"jsonrpc":"2.0","id":2,"method":"no/such/method"}`)),
		},
		gates: []chan struct{}{nil, served},
		last:  make(chan struct{}),
	}
	srv := NewServer(Options{Logger: zap.NewNop(), NoWorkspaceIndex: true})
	srv.Serve(context.Background(), fuzzmsg.NewConn(r, time.Millisecond))
	close(served)
	select {
	case <-r.last:
	case <-time.After(5 * time.Second):
		t.Fatal("the connection stopped reading")
	}
	// A panic in jsonrpc2's read goroutine would end the test binary here.
	time.Sleep(200 * time.Millisecond)
}
