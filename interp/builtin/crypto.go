package builtin

import (
	"bytes"
	"crypto"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math/big"
	"strings"

	"github.com/vclide/vclide/interp/value"
)

// This file implements the crypto.* symmetric encryption builtins and the
// signature checks digest.rsa_verify and digest.ecdsa_verify.

// aesKeySizes maps the cipher identifiers to their key lengths in bytes.
var aesKeySizes = map[string]int{"aes128": 16, "aes192": 24, "aes256": 32}

// errCryptoInput marks encryption or decryption failures caused by the data
// (bad hex, wrong key or IV length, failed authentication or padding); they
// set fastly.error to EINVAL and return not set rather than failing VCL.
var errCryptoInput = errors.New("invalid input")

// ccmNonceSize and ccmTagSize are Fastly's AES-CCM parameters (56-bit
// nonce, 96-bit tag); GCM uses a 96-bit nonce and a 128-bit tag.
const (
	ccmNonceSize = 7
	ccmTagSize   = 12
	gcmTagSize   = 16
)

// cryptoParams checks the cipher, mode and padding identifiers of a
// crypto.* call; these are compile-time constants in Fastly, so a bad value
// is an error.
func cryptoParams(fn string, args []value.Value) (keySize int, mode string, pkcs7 bool, err error) {
	keySize, ok := aesKeySizes[argStr(args, 0)]
	if !ok {
		return 0, "", false, argError(fn, 0, "cipher %q is not aes128, aes192 or aes256", argStr(args, 0))
	}
	mode = argStr(args, 1)
	switch mode {
	case "cbc", "ctr", "gcm", "ccm":
	default:
		return 0, "", false, argError(fn, 1, "mode %q is not cbc, ctr, gcm or ccm", mode)
	}
	switch argStr(args, 2) {
	case "pkcs7":
		pkcs7 = true
	case "nopad":
	default:
		return 0, "", false, argError(fn, 2, "padding %q is not pkcs7 or nopad", argStr(args, 2))
	}
	if pkcs7 && mode != "cbc" {
		return 0, "", false, argError(fn, 2, "mode %s requires nopad", mode)
	}
	return keySize, mode, pkcs7, nil
}

// aesTransform encrypts (or decrypts) data with the given key, IV/nonce,
// mode and padding.
func aesTransform(encrypt bool, keySize int, mode string, pkcs7 bool, key, iv, data []byte) ([]byte, error) {
	if len(key) != keySize {
		return nil, errCryptoInput
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, errCryptoInput
	}
	switch mode {
	case "cbc":
		if len(iv) != aes.BlockSize {
			return nil, errCryptoInput
		}
		if encrypt {
			if pkcs7 {
				n := aes.BlockSize - len(data)%aes.BlockSize
				data = append(bytes.Clone(data), bytes.Repeat([]byte{byte(n)}, n)...)
			}
			if len(data) == 0 || len(data)%aes.BlockSize != 0 {
				return nil, errCryptoInput
			}
			out := make([]byte, len(data))
			cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, data)
			return out, nil
		}
		if len(data) == 0 || len(data)%aes.BlockSize != 0 {
			return nil, errCryptoInput
		}
		out := make([]byte, len(data))
		cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
		if pkcs7 {
			n := int(out[len(out)-1])
			if n == 0 || n > aes.BlockSize || !bytes.Equal(out[len(out)-n:], bytes.Repeat([]byte{byte(n)}, n)) {
				return nil, errCryptoInput
			}
			out = out[:len(out)-n]
		}
		return out, nil
	case "ctr":
		if len(iv) != aes.BlockSize {
			return nil, errCryptoInput
		}
		out := make([]byte, len(data))
		cipher.NewCTR(block, iv).XORKeyStream(out, data)
		return out, nil
	case "gcm":
		aead, err := cipher.NewGCM(block)
		if err != nil || len(iv) != aead.NonceSize() {
			return nil, errCryptoInput
		}
		if encrypt {
			return aead.Seal(nil, iv, data, nil), nil
		}
		out, err := aead.Open(nil, iv, data, nil)
		if err != nil {
			return nil, errCryptoInput
		}
		return out, nil
	default: // ccm
		if len(iv) != ccmNonceSize {
			return nil, errCryptoInput
		}
		if encrypt {
			return ccmSeal(block, iv, data, nil, ccmTagSize), nil
		}
		return ccmOpen(block, iv, data, nil, ccmTagSize)
	}
}

// ccmCounter returns CCM counter block i for nonce.
func ccmCounter(nonce []byte, i uint64) []byte {
	q := 15 - len(nonce)
	ctr := make([]byte, aes.BlockSize)
	ctr[0] = byte(q - 1)
	copy(ctr[1:], nonce)
	for j := 0; j < q && j < 8; j++ {
		ctr[15-j] = byte(i >> (8 * j))
	}
	return ctr
}

// ccmMAC computes the untruncated CBC-MAC of NIST SP 800-38C over the
// formatted B0 block, the encoded associated data and the payload.
func ccmMAC(block cipher.Block, nonce, payload, ad []byte, tagSize int) []byte {
	q := 15 - len(nonce)
	b0 := make([]byte, aes.BlockSize)
	b0[0] = byte((tagSize-2)/2<<3 | (q - 1))
	if len(ad) > 0 {
		b0[0] |= 0x40
	}
	copy(b0[1:], nonce)
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(payload)))
	copy(b0[16-q:], n[8-q:])

	mac := make([]byte, aes.BlockSize)
	absorb := func(data []byte) {
		for len(data) > 0 {
			chunk := data[:min(aes.BlockSize, len(data))]
			subtle.XORBytes(mac, mac, append(chunk[:len(chunk):len(chunk)], make([]byte, aes.BlockSize-len(chunk))...))
			block.Encrypt(mac, mac)
			data = data[len(chunk):]
		}
	}
	absorb(b0)
	if len(ad) > 0 { // associated data shorter than 2^16-2^8 bytes
		absorb(append([]byte{byte(len(ad) >> 8), byte(len(ad))}, ad...))
	}
	absorb(payload)
	return mac
}

// ccmCrypt XORs data with the CCM key stream starting at counter 1.
func ccmCrypt(block cipher.Block, nonce, data []byte) []byte {
	out := make([]byte, len(data))
	ks := make([]byte, aes.BlockSize)
	for i := 0; i < len(data); i += aes.BlockSize {
		block.Encrypt(ks, ccmCounter(nonce, uint64(i/aes.BlockSize+1)))
		subtle.XORBytes(out[i:], data[i:], ks)
	}
	return out
}

// ccmSeal encrypts and authenticates plaintext with AES-CCM, returning the
// ciphertext followed by the tag.
func ccmSeal(block cipher.Block, nonce, plaintext, ad []byte, tagSize int) []byte {
	tag := ccmMAC(block, nonce, plaintext, ad, tagSize)[:tagSize]
	s0 := make([]byte, aes.BlockSize)
	block.Encrypt(s0, ccmCounter(nonce, 0))
	subtle.XORBytes(tag, tag, s0)
	return append(ccmCrypt(block, nonce, plaintext), tag...)
}

// ccmOpen decrypts and verifies ciphertext||tag produced by ccmSeal.
func ccmOpen(block cipher.Block, nonce, sealed, ad []byte, tagSize int) ([]byte, error) {
	if len(sealed) < tagSize {
		return nil, errCryptoInput
	}
	ct, tag := sealed[:len(sealed)-tagSize], sealed[len(sealed)-tagSize:]
	pt := ccmCrypt(block, nonce, ct)
	want := ccmMAC(block, nonce, pt, ad, tagSize)[:tagSize]
	s0 := make([]byte, aes.BlockSize)
	block.Encrypt(s0, ccmCounter(nonce, 0))
	subtle.XORBytes(want, want, s0)
	if subtle.ConstantTimeCompare(want, tag) != 1 {
		return nil, errCryptoInput
	}
	return pt, nil
}

// cryptoFunc builds crypto.{en,de}crypt_{hex,base64}. The key and IV are
// always hex; the data and result are hex or (lenient on input, padded on
// output) standard Base64.
func cryptoFunc(fn string, encrypt, asBase64 bool) Func {
	return func(env Env, args []value.Value) (value.Value, error) {
		keySize, mode, pkcs7, err := cryptoParams(fn, args)
		if err != nil {
			return value.Value{}, err
		}
		key, kerr := hex.DecodeString(argStr(args, 3))
		iv, ierr := hex.DecodeString(argStr(args, 4))
		var data []byte
		var derr error
		if asBase64 {
			data = decodeBase64Lenient(argStr(args, 5), b64Standard)
		} else {
			data, derr = hex.DecodeString(argStr(args, 5))
		}
		var out []byte
		if kerr == nil && ierr == nil && derr == nil {
			out, err = aesTransform(encrypt, keySize, mode, pkcs7, key, iv, data)
		}
		if kerr != nil || ierr != nil || derr != nil || err != nil {
			setFastlyErr(env, "EINVAL")
			return value.NullString(), nil
		}
		if asBase64 {
			return value.String(base64.StdEncoding.EncodeToString(out)), nil
		}
		return value.String(hex.EncodeToString(out)), nil
	}
}

// signatureHash maps a hash_method identifier to a crypto.Hash.
func signatureHash(fn, name string) (crypto.Hash, error) {
	switch name {
	case "sha1":
		return crypto.SHA1, nil
	case "sha256", "default":
		return crypto.SHA256, nil
	case "sha384":
		return crypto.SHA384, nil
	case "sha512":
		return crypto.SHA512, nil
	}
	return 0, argError(fn, 0, "hash method %q is not sha1, sha256, sha384, sha512 or default", name)
}

// signatureVariant maps an optional base64_variant identifier (default
// url_nopad) to the decoder variant.
func signatureVariant(fn string, args []value.Value, i int) (b64Variant, error) {
	if i >= len(args) {
		return b64URLNoPad, nil
	}
	switch argStr(args, i) {
	case "standard":
		return b64Standard, nil
	case "url":
		return b64URL, nil
	case "url_nopad", "default":
		return b64URLNoPad, nil
	}
	return 0, argError(fn, i, "base64 variant %q is not standard, url, url_nopad or default", argStr(args, i))
}

// parsePEMPublicKey reads the first PEM block of s, tolerating a key written
// on a single line (as VCL long strings often are), and parses it as a PKIX
// "PUBLIC KEY" or PKCS #1 "RSA PUBLIC KEY".
func parsePEMPublicKey(s string) (any, error) {
	const begin, dashes = "-----BEGIN ", "-----"
	i := strings.Index(s, begin)
	if i < 0 {
		return nil, errors.New("no PEM block")
	}
	rest := s[i+len(begin):]
	j := strings.Index(rest, dashes)
	if j < 0 {
		return nil, errors.New("malformed PEM header")
	}
	kind, rest := rest[:j], rest[j+len(dashes):]
	k := strings.Index(rest, "-----END ")
	if k < 0 {
		return nil, errors.New("no PEM footer")
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(rest[:k]), ""))
	if err != nil {
		return nil, err
	}
	if kind == "RSA PUBLIC KEY" {
		return x509.ParsePKCS1PublicKey(der)
	}
	return x509.ParsePKIXPublicKey(der)
}

// digestRSAVerify implements digest.rsa_verify(hash_method, public_key,
// payload, digest [, base64_variant]): an RSASSA-PKCS1-v1_5 check of the
// Base64 signature over payload. An unusable key or signature is false.
func digestRSAVerify(env Env, args []value.Value) (value.Value, error) {
	const fn = "digest.rsa_verify"
	h, err := signatureHash(fn, argStr(args, 0))
	if err != nil {
		return value.Value{}, err
	}
	variant, err := signatureVariant(fn, args, 4)
	if err != nil {
		return value.Value{}, err
	}
	key, err := parsePEMPublicKey(argStr(args, 1))
	pub, ok := key.(*rsa.PublicKey)
	if err != nil || !ok {
		return value.Bool(false), nil
	}
	hh := h.New()
	hh.Write([]byte(argStr(args, 2)))
	sig := decodeBase64Lenient(argStr(args, 3), variant)
	return value.Bool(rsa.VerifyPKCS1v15(pub, h, hh.Sum(nil), sig) == nil), nil
}

// digestECDSAVerify implements digest.ecdsa_verify(hash_method, public_key,
// payload, digest, digest_format [, base64_variant]) for NIST P-256 keys.
// digest_format der expects an ASN.1 ECDSA-Sig-Value; jwt expects the raw
// 64-byte r||s of RFC 7515 and, as documented, only works with sha256. Any
// other curve or an unusable key or signature is false.
func digestECDSAVerify(env Env, args []value.Value) (value.Value, error) {
	const fn = "digest.ecdsa_verify"
	h, err := signatureHash(fn, argStr(args, 0))
	if err != nil {
		return value.Value{}, err
	}
	format := argStr(args, 4)
	if format != "der" && format != "jwt" {
		return value.Value{}, argError(fn, 4, "digest format %q is not der or jwt", format)
	}
	variant, err := signatureVariant(fn, args, 5)
	if err != nil {
		return value.Value{}, err
	}
	key, err := parsePEMPublicKey(argStr(args, 1))
	pub, ok := key.(*ecdsa.PublicKey)
	if err != nil || !ok || pub.Curve != elliptic.P256() {
		return value.Bool(false), nil
	}
	hh := h.New()
	hh.Write([]byte(argStr(args, 2)))
	sum := hh.Sum(nil)
	sig := decodeBase64Lenient(argStr(args, 3), variant)
	if format == "der" {
		return value.Bool(ecdsa.VerifyASN1(pub, sum, sig)), nil
	}
	if h != crypto.SHA256 || len(sig) != 64 {
		return value.Bool(false), nil
	}
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	return value.Bool(ecdsa.Verify(pub, sum, r, s)), nil
}

func init() {
	register("crypto.encrypt_hex", cryptoFunc("crypto.encrypt_hex", true, false))
	register("crypto.decrypt_hex", cryptoFunc("crypto.decrypt_hex", false, false))
	register("crypto.encrypt_base64", cryptoFunc("crypto.encrypt_base64", true, true))
	register("crypto.decrypt_base64", cryptoFunc("crypto.decrypt_base64", false, true))
	register("digest.rsa_verify", digestRSAVerify)
	register("digest.ecdsa_verify", digestECDSAVerify)
}
