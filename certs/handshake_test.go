package certs

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTLSHandshake serves the generated certificate over real TLS and
// connects with clients that trust only the generated CA, as the API
// server does with the caBundle.
func TestTLSHandshake(t *testing.T) {
	opts := testOptions()
	opts.Now = nil // the handshake checks validity against the real clock
	opts.ExtraDNSNames = []string{"localhost"}
	opts.IPs = []net.IP{net.ParseIP("127.0.0.1")}
	b, err := Generate(opts)
	require.NoError(t, err)
	other, err := Generate(opts)
	require.NoError(t, err)

	pair, err := tls.X509KeyPair(b.Cert, b.Key)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok")
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)

	tests := []struct {
		name       string
		caPEM      []byte
		serverName string
		wantErr    string
	}{
		{"service host", b.CACert, "feastflow-webhook.feastflow-system.svc", ""},
		{"cluster.local name", b.CACert, "feastflow-webhook.feastflow-system.svc.cluster.local", ""},
		{"short name", b.CACert, "feastflow-webhook", ""},
		{"localhost", b.CACert, "localhost", ""},
		{"loopback IP", b.CACert, "127.0.0.1", ""},
		{"name not in the certificate", b.CACert, "other.feastflow-system.svc", "certificate is valid for"},
		{"client trusts another CA", other.CACert, "feastflow-webhook.feastflow-system.svc", "certificate signed by unknown authority"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			roots := x509.NewCertPool()
			require.True(t, roots.AppendCertsFromPEM(tt.caPEM))
			client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{
				RootCAs:    roots,
				ServerName: tt.serverName,
				MinVersion: tls.VersionTLS12,
			}}}
			t.Cleanup(client.CloseIdleConnections)
			resp, err := client.Get(srv.URL)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, "ok", string(body))
			require.NotNil(t, resp.TLS)
			assert.GreaterOrEqual(t, resp.TLS.Version, uint16(tls.VersionTLS12))
		})
	}
}
