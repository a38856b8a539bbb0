// Package loopback decides whether a listen address stays on this machine:
// every server vclide starts (lsp, dap, serve) listens on loopback only.
package loopback

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// Is reports whether host:port accepts connections only from this machine
// (127.0.0.0/8, ::1 or localhost). An empty host listens everywhere, so it
// is not loopback. The error is for addresses that are not host:port.
func Is(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, err
	}
	if strings.EqualFold(host, "localhost") {
		return true, nil
	}
	if i := strings.IndexByte(host, '%'); i >= 0 {
		host = host[:i] // zone of a link-local address
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false, nil
	}
	return ip.IsLoopback(), nil
}

// Check returns an error naming the problem when addr is not a loopback
// host:port with a port.
func Check(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port: %v (use 127.0.0.1:PORT)", addr, err)
	}
	if port == "" {
		return fmt.Errorf("%q has no port (use 127.0.0.1:PORT)", addr)
	}
	if ok, _ := Is(addr); !ok {
		return fmt.Errorf("%q is not a loopback address: only loopback addresses (127.0.0.1, ::1, localhost) are allowed, since the server has no authentication", addr)
	}
	return nil
}
