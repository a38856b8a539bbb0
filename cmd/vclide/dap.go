package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"go.uber.org/zap"

	"github.com/vclide/vclide/dap"
)

func init() {
	register(command{"dap", "the debug adapter (stdio, or --listen on loopback)", runDAP})
}

func runDAP(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return dapMain(ctx, args, os.Stdin, stdout, stderr, nil)
}

// dapMain runs the debug adapter over stdin/stdout, or over TCP with
// --listen (one session per connection). ready, when not nil, is called
// with the listening address.
func dapMain(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, ready func(addr string)) int {
	fl := newCmdFlags("dap", "vclide dap [flags]",
		"Speak the Debug Adapter Protocol on stdin/stdout, or with --listen to one client per\nTCP connection on a loopback address. Takes no positional arguments.", stderr)
	listen := fl.String("listen", "", "serve DAP clients on this loopback TCP address (127.0.0.1:PORT) instead of stdio")
	logFile := fl.String("log", "", "write the log to this file (default: stderr)")
	logLevel := fl.String("log-level", "info", "log level: debug, info, warn or error")
	pos, exit, ok := fl.parse(args, stdout)
	if !ok {
		return exit
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "vclide dap: unexpected argument %q\n", pos[0])
		return 2
	}
	logger, closeLog, err := newLogger("vclide-dap", *logFile, *logLevel, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "vclide dap:", err)
		return 2
	}
	defer closeLog()

	if *listen == "" {
		logger.Info("serving on stdio", zap.String("version", version))
		if err := dap.NewSession(stdin, stdout, logger).Run(); err != nil {
			logger.Error("session failed", zap.Error(err))
			return 1
		}
		return 0
	}
	return serveTCP(ctx, "dap", *listen, logger, stderr, ready, func(conn net.Conn) error {
		return dap.NewSession(conn, conn, logger.With(zap.String("remote", conn.RemoteAddr().String()))).Run()
	})
}
