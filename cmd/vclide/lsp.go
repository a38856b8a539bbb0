package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/vclide/vclide/internal/loopback"
	"github.com/vclide/vclide/lsp"
)

func init() {
	register(command{"lsp", "the language server (stdio, or --listen on loopback)", runLSP})
}

// lspStdin and lspContext are variables so that tests can drive runLSP.
var (
	lspStdin   io.Reader = os.Stdin
	lspContext           = context.Background
)

// stdio joins stdin and stdout into the server's stream.
type stdio struct {
	io.Reader
	io.Writer
}

func (stdio) Close() error { return nil }

func runLSP(args []string, stdout, stderr io.Writer) int {
	fl := newCmdFlags("lsp", "vclide lsp [flags]",
		"Speak the Language Server Protocol on stdin/stdout, or with --listen to one client per\nTCP connection on a loopback address. Takes no positional arguments.", stderr)
	listen := fl.String("listen", "", "serve LSP clients on this loopback TCP address (127.0.0.1:PORT) instead of stdio")
	logFile := fl.String("log", "", "write the log to this file (default: stderr)")
	logLevel := fl.String("log-level", "info", "log level: debug, info, warn or error")
	fl.Bool("stdio", true, "speak LSP over stdin/stdout (the default; accepted for editors that pass it)")
	pos, exit, ok := fl.parse(args, stdout)
	if !ok {
		return exit
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "vclide lsp: unexpected argument %q\n", pos[0])
		return 2
	}
	logger, closeLog, err := newLogger("vclide-lsp", *logFile, *logLevel, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "vclide lsp:", err)
		return 2
	}
	defer closeLog()
	ctx, stop := signal.NotifyContext(lspContext(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := lsp.Options{Logger: logger, Version: version}

	if *listen == "" {
		logger.Info("serving on stdio", zap.String("version", version))
		return lsp.NewServer(opts).Serve(ctx, stdio{Reader: lspStdin, Writer: stdout})
	}
	tcpOpts := opts
	tcpOpts.StrictFraming = true // refuse HTTP and anything else that is not LSP
	return serveTCP(ctx, "lsp", *listen, logger, stderr, nil, func(conn net.Conn) error {
		if code := lsp.NewServer(tcpOpts).Serve(ctx, conn); code != 0 {
			return fmt.Errorf("exit code %d", code)
		}
		return nil
	})
}

// checkLoopback refuses addresses that would expose a server beyond this
// machine.
func checkLoopback(addr string) error { return loopback.Check(addr) }

// newLogger builds the zap logger: JSON lines to a file, or console lines
// to stderr. Never stdout, which carries the protocol.
func newLogger(name, path, level string, stderr io.Writer) (*zap.Logger, func(), error) {
	var lvl zapcore.Level
	switch strings.ToLower(level) {
	case "debug":
		lvl = zapcore.DebugLevel
	case "info", "":
		lvl = zapcore.InfoLevel
	case "warn", "warning":
		lvl = zapcore.WarnLevel
	case "error":
		lvl = zapcore.ErrorLevel
	default:
		return nil, nil, fmt.Errorf("--log-level must be debug, info, warn or error, not %q", level)
	}
	encCfg := zap.NewProductionEncoderConfig()
	encCfg.EncodeTime = zapcore.ISO8601TimeEncoder
	var core zapcore.Core
	closeFn := func() {}
	if path != "" {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, nil, fmt.Errorf("--log: %w", err)
		}
		closeFn = func() { f.Close() }
		core = zapcore.NewCore(zapcore.NewJSONEncoder(encCfg), zapcore.AddSync(f), lvl)
	} else {
		core = zapcore.NewCore(zapcore.NewConsoleEncoder(encCfg), zapcore.Lock(zapcore.AddSync(stderr)), lvl)
	}
	logger := zap.New(core).Named(name)
	return logger, func() { _ = logger.Sync(); closeFn() }, nil
}
