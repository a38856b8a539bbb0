package builtin

import (
	"math/big"

	"github.com/vclide/vclide/interp/value"
)

func init() {
	register("addr.is_ipv4", addrIsIPv4)
	register("addr.is_ipv6", addrIsIPv6)
	register("addr.extract_bits", addrExtractBits)
}

// addrIsIPv4 implements addr.is_ipv4: whether the address family is IPv4.
func addrIsIPv4(env Env, a []value.Value) (value.Value, error) {
	ip, ok, err := argIP("addr.is_ipv4", a, 0)
	if err != nil {
		return value.Value{}, err
	}
	return value.Bool(ok && ip.Is4()), nil
}

// addrIsIPv6 implements addr.is_ipv6: whether the address family is IPv6
// (an IPv4-mapped IPv6 address is IPv6).
func addrIsIPv6(env Env, a []value.Value) (value.Value, error) {
	ip, ok, err := argIP("addr.is_ipv6", a, 0)
	if err != nil {
		return value.Value{}, err
	}
	return value.Bool(ok && ip.Is6()), nil
}

// addrExtractBits implements addr.extract_bits: bit_count bits (at most 32)
// starting at start_bit, counted from 0 at the lowest bit of the last byte,
// of the address seen as 128 bits (an IPv4 address is padded with zeros on
// the left). Fastly rejects invalid counts at compile time; the simulator
// reports them as errors. A not-set address gives 0.
func addrExtractBits(env Env, a []value.Value) (value.Value, error) {
	const fn = "addr.extract_bits"
	start, err := argInt(fn, a, 1)
	if err != nil {
		return value.Value{}, err
	}
	count, err := argInt(fn, a, 2)
	if err != nil {
		return value.Value{}, err
	}
	switch {
	case count < 0 || count > 32:
		return value.Value{}, argError(fn, 2, "bit count %d is not between 0 and 32", count)
	case start < 0 || start >= 128:
		return value.Value{}, argError(fn, 1, "start bit %d is not between 0 and 127", start)
	case start+count > 128:
		return value.Value{}, argError(fn, 2, "start bit plus bit count exceeds 128")
	}
	ip, ok, err := argIP(fn, a, 0)
	if err != nil {
		return value.Value{}, err
	}
	if !ok {
		return value.Integer(0), nil
	}
	var b [16]byte
	if ip.Is4() {
		v4 := ip.As4()
		copy(b[12:], v4[:])
	} else {
		b = ip.As16()
	}
	n := new(big.Int).SetBytes(b[:])
	n.Rsh(n, uint(start))
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(count)), big.NewInt(1))
	n.And(n, mask)
	return value.Integer(n.Int64()), nil
}
