package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"go.uber.org/zap"
)

// serveTCP listens on a loopback address and runs session for each client
// connection until ctx is done; it backs `--listen` of lsp and dap. ready,
// when not nil, is called with the bound address. It returns the exit code.
func serveTCP(ctx context.Context, name, addr string, logger *zap.Logger, stderr io.Writer, ready func(string), session func(conn net.Conn) error) int {
	if err := checkLoopback(addr); err != nil {
		fmt.Fprintf(stderr, "vclide %s: --listen: %v\n", name, err)
		return 2
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(stderr, "vclide %s: %v\n", name, err)
		return 1
	}
	defer ln.Close()
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	logger.Info("listening", zap.String("address", ln.Addr().String()))
	fmt.Fprintf(stderr, "vclide %s: listening on %s\n", name, ln.Addr())
	if ready != nil {
		ready(ln.Addr().String())
	}
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return 0
			}
			logger.Warn("accept failed", zap.Error(err))
			continue
		}
		remote := conn.RemoteAddr().String()
		logger.Info("client connected", zap.String("remote", remote))
		go func() {
			defer conn.Close()
			err := session(conn)
			logger.Info("client done", zap.String("remote", remote), zap.Error(err))
		}()
	}
}
