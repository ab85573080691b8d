package webhook_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/feastflow/kubectl-feastflow/policies"
	"github.com/feastflow/kubectl-feastflow/webhook"
)

// TestShutdownDrainsBeforeStopping: once its context ends (SIGTERM), the
// server reports not ready at once but keeps answering reviews for the
// drain delay, so endpoints drop it before it stops listening.
func TestShutdownDrainsBeforeStopping(t *testing.T) {
	s := cluster(t)
	ctx := context.Background()
	engine, err := policies.New(ctx, policies.Options{Mode: policies.ModeAdmission})
	require.NoError(t, err)
	port, err := freePort()
	require.NoError(t, err)
	srv, err := webhook.NewServer(ctx, webhook.Config{
		RestConfig: s.env.Config, Engine: engine, Host: "127.0.0.1", Port: port, CertDir: s.certDir,
		MetricsAddr: "0", ProbeAddr: "0", DrainDelay: 2 * time.Second, Log: logr.Discard(),
	})
	require.NoError(t, err)
	require.False(t, srv.Ready(), "not ready before it starts")

	runCtx, sigterm := context.WithCancel(ctx)
	stopped := make(chan error, 1)
	go func() { stopped <- srv.Start(runCtx) }()
	require.NoError(t, wait.PollUntilContextTimeout(ctx, 20*time.Millisecond, 30*time.Second, true,
		func(context.Context) (bool, error) { return srv.Ready(), nil }))

	sigterm()
	assert.False(t, srv.Ready(), "not ready while draining")
	resp := postReview(t, s, port)
	assert.Equal(t, http.StatusOK, resp, "still answering while draining")
	require.NoError(t, <-stopped)
}

func postReview(t *testing.T, s *suite, port int) int {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("..", "testdata", "admission", "deployment-without-probes.json"))
	require.NoError(t, err)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(s.bundle.CACert)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}}}
	resp, err := c.Post(fmt.Sprintf("https://127.0.0.1:%d%s", port, webhook.ValidatePath), "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	return resp.StatusCode
}
