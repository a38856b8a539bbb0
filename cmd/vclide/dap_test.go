package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/go-dap"
)

func TestDAPFlags(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"remote listen", []string{"--listen", "0.0.0.0:4711"}, 2, "not a loopback address"},
		{"bad log level", []string{"--log-level", "loud"}, 2, "--log-level"},
		{"argument", []string{"extra"}, 2, `unexpected argument "extra"`},
		{"unknown flag", []string{"--nope"}, 2, "flag provided but not defined"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stderr strings.Builder
			code := dapMain(context.Background(), tc.args, strings.NewReader(""), io.Discard, &stderr, nil)
			if code != tc.code || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr.String(), tc.code, tc.want)
			}
		})
	}
}

// initialize sends an initialize request over w and reads the answer.
func initialize(t *testing.T, w io.Writer, r *bufio.Reader) *dap.InitializeResponse {
	t.Helper()
	err := dap.WriteProtocolMessage(w, &dap.InitializeRequest{
		Request:   dap.Request{ProtocolMessage: dap.ProtocolMessage{Seq: 1, Type: "request"}, Command: "initialize"},
		Arguments: dap.InitializeRequestArguments{AdapterID: "vcl", LinesStartAt1: true, ColumnsStartAt1: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := dap.ReadProtocolMessage(r)
	if err != nil {
		t.Fatal(err)
	}
	resp, ok := m.(*dap.InitializeResponse)
	if !ok || !resp.Success || !resp.Body.SupportsStepBack {
		t.Fatalf("initialize answered %#v", m)
	}
	return resp
}

func TestDAPStdio(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- dapMain(context.Background(), []string{"--log-level", "debug"}, inR, outW, &stderr, nil)
		outW.Close()
	}()
	initialize(t, inW, bufio.NewReader(outR))
	inW.Close()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("vclide dap did not end when stdin closed")
	}
	if !strings.Contains(stderr.String(), "serving on stdio") {
		t.Errorf("no log on stderr: %q", stderr.String())
	}
}

func TestDAPListen(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan int, 1)
	var stderr syncBuffer
	go func() {
		done <- dapMain(ctx, []string{"--listen", "127.0.0.1:0"}, strings.NewReader(""), io.Discard, &stderr, func(a string) { addrc <- a })
	}()
	var addr string
	select {
	case addr = <-addrc:
	case code := <-done:
		t.Fatalf("exited early with %d: %s", code, stderr.String())
	}
	for i := 0; i < 2; i++ { // one session per connection
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		initialize(t, conn, bufio.NewReader(conn))
		conn.Close()
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("vclide dap --listen did not stop")
	}
}
