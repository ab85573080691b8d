package webhook_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/wait"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/feastflow/kubectl-feastflow/certs"
	"github.com/feastflow/kubectl-feastflow/policies"
	"github.com/feastflow/kubectl-feastflow/webhook"
)

// TestInClusterCertificateRotation runs the server as the shipped
// Deployment does (--cert-rotation): starting with no certificate at all,
// cert-controller's rotator fills the Secret and injects the CA into the
// configuration's caBundle, the server becomes ready once the certificate
// is mounted (a stand-in copies the Secret into the cert directory, as
// the kubelet does), and the API server then calls it over verified TLS.
func TestInClusterCertificateRotation(t *testing.T) {
	s := cluster(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const ns, config, secret = "ffw-rotation", "ffw-rotation", "ffw-rotation-tls"
	require.NoError(t, s.admin.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}))
	namespaceWithDefaultDeny(t, s.admin, "rotated", map[string]string{"test.feastflow.io/rotation": "true"})
	port, err := freePort()
	require.NoError(t, err)
	require.NoError(t, s.admin.Create(ctx, rotationConfig(t, config, port)))

	certDir := filepath.Join(t.TempDir(), "certs")
	go mountSecret(ctx, s.admin, types.NamespacedName{Namespace: ns, Name: secret}, certDir)
	engine, err := policies.New(ctx, policies.Options{Mode: policies.ModeAdmission})
	require.NoError(t, err)
	srv, err := webhook.NewServer(ctx, webhook.Config{
		RestConfig: s.env.Config, Engine: engine, Host: "127.0.0.1", Port: port, CertDir: certDir,
		MetricsAddr: "0", ProbeAddr: "0", Log: logr.Discard(),
		CertRotation: &certs.RotationOptions{
			SecretName: secret, Namespace: ns, Service: "feastflow-webhook",
			ExtraDNSNames: []string{"localhost"}, WebhookConfigName: config,
		},
	})
	require.NoError(t, err)
	go func() { _ = srv.Start(ctx) }()
	require.NoError(t, wait.PollUntilContextTimeout(ctx, 50*time.Millisecond, 60*time.Second, true,
		func(context.Context) (bool, error) { return srv.Ready(), nil }), "ready once the rotator's certificate is mounted")

	vwc := &admissionregistrationv1.ValidatingWebhookConfiguration{}
	require.NoError(t, s.admin.Get(ctx, client.ObjectKey{Name: config}, vwc))
	caBundle := vwc.Webhooks[0].ClientConfig.CABundle
	require.NotEmpty(t, caBundle, "the rotator injects the CA")
	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM(caBundle))
	conn, err := tls.Dial("tcp", fmt.Sprintf("localhost:%d", port), &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12})
	require.NoError(t, err, "the served certificate verifies against the injected caBundle")
	require.NoError(t, conn.Close())

	err = wait.PollUntilContextTimeout(ctx, 50*time.Millisecond, 30*time.Second, true, func(ctx context.Context) (bool, error) {
		err := s.admin.Create(ctx, withoutProbes(t, compliantDeployment(t, "rotated", "api")), client.DryRunAll)
		return err != nil && strings.Contains(err.Error(), `"validate.policy.feastflow.io" denied`), nil
	})
	require.NoError(t, err, "the API server calls the webhook through the rotated certificate")
	assert.NoError(t, s.admin.Create(ctx, compliantDeployment(t, "rotated", "api"), client.DryRunAll))
}

// rotationConfig is the shipped configuration, without a caBundle, called
// by URL, for namespaces labelled test.feastflow.io/rotation only.
func rotationConfig(t *testing.T, name string, port int) *admissionregistrationv1.ValidatingWebhookConfiguration {
	t.Helper()
	vwc, err := shippedConfig(fmt.Sprintf("https://localhost:%d%s", port, webhook.ValidatePath), nil)
	require.NoError(t, err)
	vwc.Name = name
	for i := range vwc.Webhooks {
		vwc.Webhooks[i].NamespaceSelector = &metav1.LabelSelector{MatchLabels: map[string]string{"test.feastflow.io/rotation": "true"}}
	}
	return vwc
}

// mountSecret stands in for the kubelet: it copies the Secret's tls.crt
// and tls.key into dir whenever they change, until ctx ends.
func mountSecret(ctx context.Context, c client.Client, key types.NamespacedName, dir string) {
	var last string
	_ = wait.PollUntilContextCancel(ctx, 50*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		secret := &corev1.Secret{}
		if err := c.Get(ctx, key, secret); err != nil || len(secret.Data[certs.CertFile]) == 0 {
			return false, nil
		}
		if string(secret.Data[certs.CertFile]) == last {
			return false, nil
		}
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return false, err
		}
		for _, name := range []string{certs.KeyFile, certs.CertFile} {
			if err := os.WriteFile(filepath.Join(dir, name), secret.Data[name], 0o600); err != nil {
				return false, err
			}
		}
		last = string(secret.Data[certs.CertFile])
		return false, nil
	})
}
