package certs

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testNow = time.Date(2027, 1, 15, 12, 0, 0, 0, time.UTC)

func fixedClock() time.Time { return testNow }

func testOptions() Options {
	return Options{Service: "feastflow-webhook", Namespace: "feastflow-system", Now: fixedClock}
}

func TestGenerate(t *testing.T) {
	tests := []struct {
		name         string
		opts         func(*Options)
		wantDNS      []string
		wantIPs      []string
		wantCAAfter  time.Time
		wantLeafTill time.Time
	}{
		{
			name: "defaults",
			opts: func(*Options) {},
			wantDNS: []string{
				"feastflow-webhook", "feastflow-webhook.feastflow-system",
				"feastflow-webhook.feastflow-system.svc", "feastflow-webhook.feastflow-system.svc.cluster.local",
			},
			wantCAAfter:  testNow.Add(DefaultCAValidity),
			wantLeafTill: testNow.Add(DefaultCertValidity),
		},
		{
			name: "extra names and IPs for a local process",
			opts: func(o *Options) {
				o.ExtraDNSNames = []string{"localhost"}
				o.IPs = []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")}
			},
			wantDNS: []string{
				"feastflow-webhook", "feastflow-webhook.feastflow-system",
				"feastflow-webhook.feastflow-system.svc", "feastflow-webhook.feastflow-system.svc.cluster.local",
				"localhost",
			},
			wantIPs:      []string{"127.0.0.1", "::1"},
			wantCAAfter:  testNow.Add(DefaultCAValidity),
			wantLeafTill: testNow.Add(DefaultCertValidity),
		},
		{
			name: "serving certificate never outlives its CA",
			opts: func(o *Options) {
				o.CAValidity = 48 * time.Hour
				o.CertValidity = 72 * time.Hour
			},
			wantDNS: []string{
				"feastflow-webhook", "feastflow-webhook.feastflow-system",
				"feastflow-webhook.feastflow-system.svc", "feastflow-webhook.feastflow-system.svc.cluster.local",
			},
			wantCAAfter:  testNow.Add(48 * time.Hour),
			wantLeafTill: testNow.Add(48 * time.Hour),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions()
			tt.opts(&opts)
			b, err := Generate(opts)
			require.NoError(t, err)

			ca, err := ParseCertificate(b.CACert)
			require.NoError(t, err)
			assert.True(t, ca.IsCA)
			assert.Equal(t, testNow.Add(-clockSkew), ca.NotBefore)
			assert.Equal(t, tt.wantCAAfter, ca.NotAfter)
			assertP256(t, ca.PublicKey)

			leaf, err := ParseCertificate(b.Cert)
			require.NoError(t, err)
			assert.False(t, leaf.IsCA)
			assert.Equal(t, tt.wantDNS, leaf.DNSNames)
			var ips []string
			for _, ip := range leaf.IPAddresses {
				ips = append(ips, ip.String())
			}
			assert.Equal(t, tt.wantIPs, ips)
			assert.Equal(t, tt.wantLeafTill, leaf.NotAfter)
			assert.Equal(t, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, leaf.ExtKeyUsage)
			assertP256(t, leaf.PublicKey)
			require.NoError(t, leaf.CheckSignatureFrom(ca))

			_, err = tls.X509KeyPair(b.Cert, b.Key)
			require.NoError(t, err, "serving key matches the certificate")
			_, err = tls.X509KeyPair(b.CACert, b.CAKey)
			require.NoError(t, err, "CA key matches the CA")
			for _, name := range tt.wantDNS {
				assert.NoError(t, ValidFor(b.CACert, b.Cert, name, testNow), name)
			}
		})
	}
}

func assertP256(t *testing.T, pub any) {
	t.Helper()
	key, ok := pub.(*ecdsa.PublicKey)
	require.True(t, ok, "ECDSA key, got %T", pub)
	assert.Equal(t, elliptic.P256(), key.Curve)
}

func TestGenerateKeysArePKCS8(t *testing.T) {
	b, err := Generate(testOptions())
	require.NoError(t, err)
	for _, keyPEM := range [][]byte{b.Key, b.CAKey} {
		block, _ := pem.Decode(keyPEM)
		require.NotNil(t, block)
		assert.Equal(t, "PRIVATE KEY", block.Type)
		_, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		require.NoError(t, err)
	}
}

func TestGenerateFreshMaterialEachTime(t *testing.T) {
	a, err := Generate(testOptions())
	require.NoError(t, err)
	b, err := Generate(testOptions())
	require.NoError(t, err)
	assert.NotEqual(t, a.CAKey, b.CAKey)
	assert.NotEqual(t, a.Key, b.Key)
	ca, err := ParseCertificate(a.CACert)
	require.NoError(t, err)
	other, err := ParseCertificate(b.CACert)
	require.NoError(t, err)
	assert.NotEqual(t, ca.SerialNumber, other.SerialNumber)
}

func TestGenerateRejectsBadOptions(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"no service", Options{Namespace: "ns"}, "service name is empty"},
		{"no namespace", Options{Service: "svc"}, "namespace is empty"},
		{"negative validity", Options{Service: "svc", Namespace: "ns", CertValidity: -time.Hour}, "validity must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Generate(tt.opts)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "generate certificates: "+tt.want)
		})
	}
}
