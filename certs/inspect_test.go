package certs

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNotAfter(t *testing.T) {
	b, err := Generate(testOptions())
	require.NoError(t, err)
	tests := []struct {
		name    string
		pem     []byte
		want    time.Time
		wantErr string
	}{
		{"serving certificate", b.Cert, testNow.Add(DefaultCertValidity), ""},
		{"CA", b.CACert, testNow.Add(DefaultCAValidity), ""},
		{"key before certificate", append(append([]byte{}, b.Key...), b.Cert...), testNow.Add(DefaultCertValidity), ""},
		{"key only", b.Key, time.Time{}, "no CERTIFICATE PEM block"},
		{"garbage", []byte("not pem"), time.Time{}, "no CERTIFICATE PEM block"},
		{"corrupt DER", []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), time.Time{}, "parse certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NotAfter(tt.pem)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestValidFor(t *testing.T) {
	b, err := Generate(testOptions())
	require.NoError(t, err)
	other, err := Generate(testOptions())
	require.NoError(t, err)
	host := "feastflow-webhook.feastflow-system.svc"
	tests := []struct {
		name    string
		caPEM   []byte
		certPEM []byte
		dnsName string
		now     time.Time
		wantErr string
	}{
		{"valid", b.CACert, b.Cert, host, testNow, ""},
		{"valid just before expiry", b.CACert, b.Cert, host, testNow.Add(DefaultCertValidity - time.Second), ""},
		{"caBundle with several CAs", append(append([]byte{}, other.CACert...), b.CACert...), b.Cert, host, testNow, ""},
		{"expired", b.CACert, b.Cert, host, testNow.Add(DefaultCertValidity + time.Second), "expired or is not yet valid"},
		{"not yet valid", b.CACert, b.Cert, host, testNow.Add(-2 * clockSkew), "expired or is not yet valid"},
		{"wrong name", b.CACert, b.Cert, "api.feastflow.svc", testNow, "certificate is valid for"},
		{"other CA", other.CACert, b.Cert, host, testNow, "unknown authority"},
		{"CA is not a server certificate for the service", b.CACert, b.CACert, host, testNow, "verify certificate"},
		{"empty caBundle", nil, b.Cert, host, testNow, "no CA certificate in caBundle"},
		{"no certificate", b.CACert, []byte("x"), host, testNow, "no CERTIFICATE PEM block"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidFor(tt.caPEM, tt.certPEM, tt.dnsName, tt.now)
			if tt.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestNeedsRotation(t *testing.T) {
	opts := testOptions()
	opts.CertValidity = 90 * 24 * time.Hour
	b, err := Generate(opts)
	require.NoError(t, err)
	notAfter := testNow.Add(90 * 24 * time.Hour)
	day := 24 * time.Hour
	tests := []struct {
		name      string
		certPEM   []byte
		now       time.Time
		threshold time.Duration
		want      bool
		wantErr   bool
	}{
		{"fresh", b.Cert, testNow, 30 * day, false, false},
		{"just outside the threshold", b.Cert, notAfter.Add(-30*day - time.Second), 30 * day, false, false},
		{"at the threshold", b.Cert, notAfter.Add(-30 * day), 30 * day, true, false},
		{"inside the threshold", b.Cert, notAfter.Add(-day), 30 * day, true, false},
		{"expired", b.Cert, notAfter.Add(time.Second), 30 * day, true, false},
		{"zero threshold, valid", b.Cert, notAfter.Add(-time.Second), 0, false, false},
		{"not yet valid", b.Cert, testNow.Add(-2 * clockSkew), 30 * day, true, false},
		{"unparsable", []byte("garbage"), testNow, 30 * day, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NeedsRotation(tt.certPEM, tt.now, tt.threshold)
			if tt.wantErr {
				require.Error(t, err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
