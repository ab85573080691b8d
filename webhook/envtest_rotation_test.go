package webhook_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/util/wait"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/feastflow/kubectl-feastflow/certs"
)

// TestCertificateRotationUnderTrafficFailsNoRequest renews the serving
// certificate three times while requests flow through the API server to
// the webhook (failurePolicy Fail, so a failed TLS handshake would fail a
// request), and checks each renewal is really served.
func TestCertificateRotationUnderTrafficFailsNoRequest(t *testing.T) {
	s := cluster(t)
	namespaceWithDefaultDeny(t, s.admin, "rotation", nil)
	ctx, stop := context.WithCancel(context.Background())
	var sent, failed atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				d := compliantDeployment(t, "rotation", fmt.Sprintf("api-%d-%d", w, i))
				sent.Add(1)
				if err := s.admin.Create(context.Background(), d, client.DryRunAll); err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		}(w)
	}
	bundle := s.bundle
	for round := 0; round < 3; round++ {
		renewed, err := bundle.Renew(s.certOpts)
		require.NoError(t, err)
		require.NoError(t, renewed.WriteFiles(s.certDir))
		want, err := certs.ParseCertificate(renewed.Cert)
		require.NoError(t, err)
		err = wait.PollUntilContextTimeout(context.Background(), 20*time.Millisecond, 20*time.Second, true, func(context.Context) (bool, error) {
			served, err := servedCertificate(s)
			return err == nil && served.SerialNumber.Cmp(want.SerialNumber) == 0, nil
		})
		require.NoError(t, err, "round %d: the renewed certificate is never served", round)
		before := sent.Load()
		require.NoError(t, wait.PollUntilContextTimeout(context.Background(), 10*time.Millisecond, 20*time.Second, true,
			func(context.Context) (bool, error) { return sent.Load() >= before+20, nil }), "traffic stalled")
		bundle = renewed
	}
	stop()
	wg.Wait()
	require.Zero(t, failed.Load(), "failed %d of %d requests; first: %v", failed.Load(), sent.Load(), firstErr.Load())
	assert.Greater(t, sent.Load(), int64(60))
}

// servedCertificate is the leaf the enforcing webhook presents now.
func servedCertificate(s *suite) (*x509.Certificate, error) {
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(s.bundle.CACert)
	conn, err := tls.Dial("tcp", s.enforceAddr, &tls.Config{RootCAs: roots, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12})
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	return conn.ConnectionState().PeerCertificates[0], nil
}
