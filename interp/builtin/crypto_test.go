package builtin

import (
	"crypto"
	"crypto/aes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/vclide/vclide/interp/value"
)

var idv = value.ID

// Published AES test vectors (NIST SP 800-38A F.2.1 and F.5.1, and GCM test
// case 2 of the GCM specification) run through crypto.encrypt_hex and back
// through crypto.decrypt_hex.
func TestCryptoVectors(t *testing.T) {
	const key = "2b7e151628aed2a6abf7158809cf4f3c"
	const pt = "6bc1bee22e409f96e93d7e117393172a"
	for _, c := range []struct {
		name, cipher, mode, padding, key, iv, plain, want string
	}{
		{"cbc nopad", "aes128", "cbc", "nopad", key, "000102030405060708090a0b0c0d0e0f", pt, "7649abac8119b246cee98e9b12e9197d"},
		{"ctr", "aes128", "ctr", "nopad", key, "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", pt, "874d6191b620e3261bef6864990db6ce"},
		{"gcm appends the tag", "aes128", "gcm", "nopad", strings.Repeat("00", 16), strings.Repeat("00", 12), strings.Repeat("00", 16),
			"0388dace60b6a392f328c2b971b2fe78" + "ab6e47d42cec13bdf53a67b21257bddf"},
		{"upper-case hex accepted", "aes128", "cbc", "nopad", strings.ToUpper(key), "000102030405060708090A0B0C0D0E0F", strings.ToUpper(pt), "7649abac8119b246cee98e9b12e9197d"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := call(t, newEnv(), "crypto.encrypt_hex", idv(c.cipher), idv(c.mode), idv(c.padding), vs(c.key), vs(c.iv), vs(c.plain))
			if err != nil || got.Str != c.want {
				t.Fatalf("encrypt = %q, %v; want %q", got.Str, err, c.want)
			}
			back, err := call(t, newEnv(), "crypto.decrypt_hex", idv(c.cipher), idv(c.mode), idv(c.padding), vs(c.key), vs(c.iv), vs(c.want))
			if err != nil || back.Str != strings.ToLower(c.plain) {
				t.Fatalf("decrypt = %q, %v; want %q", back.Str, err, strings.ToLower(c.plain))
			}
		})
	}
}

// Every supported cipher/mode/padding combination round-trips through the
// Base64 variants, with the documented key and IV lengths.
func TestCryptoBase64RoundTrip(t *testing.T) {
	plain := base64.StdEncoding.EncodeToString([]byte("attack at dawn, bring snacks"))
	for _, cipher := range []string{"aes128", "aes192", "aes256"} {
		key := strings.Repeat("ab", aesKeySizes[cipher])
		for _, m := range []struct{ mode, padding, iv string }{
			{"cbc", "pkcs7", strings.Repeat("01", 16)},
			{"ctr", "nopad", strings.Repeat("02", 16)},
			{"gcm", "nopad", strings.Repeat("03", 12)},
			{"ccm", "nopad", strings.Repeat("04", 7)},
		} {
			args := []value.Value{idv(cipher), idv(m.mode), idv(m.padding), vs(key), vs(m.iv)}
			enc, err := call(t, newEnv(), "crypto.encrypt_base64", append(args, vs(plain))...)
			if err != nil || enc.NotSet {
				t.Fatalf("%s %s encrypt: %v %v", cipher, m.mode, enc, err)
			}
			dec, err := call(t, newEnv(), "crypto.decrypt_base64", append(args, vs(enc.Str))...)
			if err != nil || dec.Str != plain {
				t.Fatalf("%s %s decrypt = %q, %v; want %q", cipher, m.mode, dec.Str, err, plain)
			}
		}
	}
}

// NIST SP 800-38C Appendix C example 1 (7-byte nonce, 8 bytes of associated
// data, 4-byte tag) checks the CCM construction.
func TestCCMVector(t *testing.T) {
	key, _ := hex.DecodeString("404142434445464748494a4b4c4d4e4f")
	nonce, _ := hex.DecodeString("10111213141516")
	ad, _ := hex.DecodeString("0001020304050607")
	pt, _ := hex.DecodeString("20212223")
	block, _ := aes.NewCipher(key)
	sealed := ccmSeal(block, nonce, pt, ad, 4)
	if got := hex.EncodeToString(sealed); got != "7162015b4dac255d" {
		t.Fatalf("ccmSeal = %s, want 7162015b4dac255d", got)
	}
	back, err := ccmOpen(block, nonce, sealed, ad, 4)
	if err != nil || hex.EncodeToString(back) != "20212223" {
		t.Fatalf("ccmOpen = %x, %v", back, err)
	}
	sealed[0] ^= 1
	if _, err := ccmOpen(block, nonce, sealed, ad, 4); err == nil {
		t.Fatal("tampered ciphertext accepted")
	}
}

// Bad identifiers are errors; bad data sets fastly.error and gives not set.
func TestCryptoErrors(t *testing.T) {
	key, iv := strings.Repeat("00", 16), strings.Repeat("00", 16)
	for _, c := range []struct {
		name                string
		cipher, mode, pad   string
		key, iv, data       string
		wantErr, wantNotSet bool
		fn                  string
	}{
		{name: "unknown cipher", cipher: "des", mode: "cbc", pad: "nopad", key: key, iv: iv, data: key, wantErr: true},
		{name: "unknown mode", cipher: "aes128", mode: "ecb", pad: "nopad", key: key, iv: iv, data: key, wantErr: true},
		{name: "ctr needs nopad", cipher: "aes128", mode: "ctr", pad: "pkcs7", key: key, iv: iv, data: key, wantErr: true},
		{name: "short key", cipher: "aes256", mode: "cbc", pad: "pkcs7", key: key, iv: iv, data: "00", wantNotSet: true},
		{name: "short iv", cipher: "aes128", mode: "cbc", pad: "pkcs7", key: key, iv: "00", data: "00", wantNotSet: true},
		{name: "bad hex", cipher: "aes128", mode: "cbc", pad: "pkcs7", key: key, iv: iv, data: "zz", wantNotSet: true},
		{name: "nopad needs whole blocks", cipher: "aes128", mode: "cbc", pad: "nopad", key: key, iv: iv, data: "0011", wantNotSet: true},
		{name: "bad padding on decrypt", fn: "crypto.decrypt_hex", cipher: "aes128", mode: "cbc", pad: "pkcs7", key: key, iv: iv, data: strings.Repeat("00", 16), wantNotSet: true},
		{name: "gcm tag mismatch", fn: "crypto.decrypt_hex", cipher: "aes128", mode: "gcm", pad: "nopad", key: key, iv: strings.Repeat("00", 12), data: strings.Repeat("00", 32), wantNotSet: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			fn := c.fn
			if fn == "" {
				fn = "crypto.encrypt_hex"
			}
			env := newEnv()
			got, err := call(t, env, fn, idv(c.cipher), idv(c.mode), idv(c.pad), vs(c.key), vs(c.iv), vs(c.data))
			if c.wantErr {
				if err == nil {
					t.Fatalf("no error, got %q", got.Str)
				}
				return
			}
			if err != nil || !got.NotSet || env.vars["fastly.error"].Str != "EINVAL" {
				t.Fatalf("got %q (not set %v), err %v, fastly.error %q", got.Str, got.NotSet, err, env.vars["fastly.error"].Str)
			}
		})
	}
}

// pemPublicKey encodes pub as a PKIX PEM block.
func pemPublicKey(t *testing.T, pub any) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func TestDigestRSAVerify(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	payload := "header.claims"
	sum := sha256.Sum256([]byte(payload))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	pubPEM := pemPublicKey(t, &key.PublicKey)
	oneLine := strings.ReplaceAll(pubPEM, "\n", "")
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&key.PublicKey)}))
	for _, c := range []struct {
		name string
		args []value.Value
		want bool
	}{
		{"url_nopad default", []value.Value{idv("sha256"), vs(pubPEM), vs(payload), vs(base64.RawURLEncoding.EncodeToString(sig))}, true},
		{"explicit standard", []value.Value{idv("default"), vs(pubPEM), vs(payload), vs(base64.StdEncoding.EncodeToString(sig)), idv("standard")}, true},
		{"key on one line", []value.Value{idv("sha256"), vs(oneLine), vs(payload), vs(base64.RawURLEncoding.EncodeToString(sig)), idv("url_nopad")}, true},
		{"PKCS #1 key", []value.Value{idv("sha256"), vs(pkcs1), vs(payload), vs(base64.RawURLEncoding.EncodeToString(sig))}, true},
		{"wrong payload", []value.Value{idv("sha256"), vs(pubPEM), vs(payload + "x"), vs(base64.RawURLEncoding.EncodeToString(sig))}, false},
		{"wrong hash", []value.Value{idv("sha512"), vs(pubPEM), vs(payload), vs(base64.RawURLEncoding.EncodeToString(sig))}, false},
		{"not a key", []value.Value{idv("sha256"), vs("nonsense"), vs(payload), vs(base64.RawURLEncoding.EncodeToString(sig))}, false},
	} {
		got, err := call(t, newEnv(), "digest.rsa_verify", c.args...)
		if err != nil || got.Bool != c.want {
			t.Errorf("%s: rsa_verify = %v, %v; want %v", c.name, got.Bool, err, c.want)
		}
	}
	if _, err := call(t, newEnv(), "digest.rsa_verify", idv("md4"), vs(pubPEM), vs(payload), vs("")); err == nil {
		t.Error("unknown hash method accepted")
	}
}

func TestDigestECDSAVerify(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	payload := "header.claims"
	sum := sha256.Sum256([]byte(payload))
	der, err := ecdsa.SignASN1(rand.Reader, key, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	r, s, err := ecdsa.Sign(rand.Reader, key, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	jwt := make([]byte, 64)
	r.FillBytes(jwt[:32])
	s.FillBytes(jwt[32:])
	pubPEM := pemPublicKey(t, &key.PublicKey)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	for _, c := range []struct {
		name string
		args []value.Value
		want bool
	}{
		{"der", []value.Value{idv("sha256"), vs(pubPEM), vs(payload), vs(base64.RawURLEncoding.EncodeToString(der)), idv("der")}, true},
		{"jwt", []value.Value{idv("sha256"), vs(pubPEM), vs(payload), vs(base64.RawURLEncoding.EncodeToString(jwt)), idv("jwt"), idv("url_nopad")}, true},
		{"jwt standard base64", []value.Value{idv("sha256"), vs(pubPEM), vs(payload), vs(base64.StdEncoding.EncodeToString(jwt)), idv("jwt"), idv("standard")}, true},
		{"jwt only with sha256", []value.Value{idv("sha384"), vs(pubPEM), vs(payload), vs(base64.RawURLEncoding.EncodeToString(jwt)), idv("jwt")}, false},
		{"format mismatch", []value.Value{idv("sha256"), vs(pubPEM), vs(payload), vs(base64.RawURLEncoding.EncodeToString(jwt)), idv("der")}, false},
		{"wrong payload", []value.Value{idv("sha256"), vs(pubPEM), vs("x"), vs(base64.RawURLEncoding.EncodeToString(der)), idv("der")}, false},
		{"P-384 key rejected", []value.Value{idv("sha256"), vs(pemPublicKey(t, &p384.PublicKey)), vs(payload), vs(base64.RawURLEncoding.EncodeToString(der)), idv("der")}, false},
	} {
		got, err := call(t, newEnv(), "digest.ecdsa_verify", c.args...)
		if err != nil || got.Bool != c.want {
			t.Errorf("%s: ecdsa_verify = %v, %v; want %v", c.name, got.Bool, err, c.want)
		}
	}
	if _, err := call(t, newEnv(), "digest.ecdsa_verify", idv("sha256"), vs(pubPEM), vs(payload), vs(""), idv("pem")); err == nil {
		t.Error("unknown digest format accepted")
	}
}
