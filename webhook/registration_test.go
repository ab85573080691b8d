package webhook

import (
	"crypto/x509"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	"k8s.io/utils/ptr"

	"github.com/feastflow/kubectl-feastflow/certs"
)

func TestSetFailurePolicy(t *testing.T) {
	vwc := &admissionregistrationv1.ValidatingWebhookConfiguration{Webhooks: []admissionregistrationv1.ValidatingWebhook{
		{Name: "a", FailurePolicy: ptr.To(admissionregistrationv1.Ignore)},
		{Name: "b"},
	}}
	assert.True(t, setFailurePolicy(vwc, admissionregistrationv1.Fail))
	for _, wh := range vwc.Webhooks {
		assert.Equal(t, admissionregistrationv1.Fail, *wh.FailurePolicy, wh.Name)
	}
	assert.False(t, setFailurePolicy(vwc, admissionregistrationv1.Fail), "nothing to change, nothing to write")
}

// TestTrusted: the failure policy is tightened only when the API server
// would accept the certificate the server presents.
func TestTrusted(t *testing.T) {
	bundle, err := certs.Generate(certs.Options{Service: "feastflow-webhook", Namespace: "feastflow-system", IPs: []net.IP{net.IPv4(127, 0, 0, 1)}})
	require.NoError(t, err)
	other, err := certs.Generate(certs.Options{Service: "feastflow-webhook", Namespace: "feastflow-system"})
	require.NoError(t, err)
	leaf, err := certs.ParseCertificate(bundle.Cert)
	require.NoError(t, err)
	service := func(ns string) admissionregistrationv1.WebhookClientConfig {
		return admissionregistrationv1.WebhookClientConfig{
			Service:  &admissionregistrationv1.ServiceReference{Name: "feastflow-webhook", Namespace: ns},
			CABundle: bundle.CACert,
		}
	}
	url := func(u string, ca []byte) admissionregistrationv1.WebhookClientConfig {
		return admissionregistrationv1.WebhookClientConfig{URL: &u, CABundle: ca}
	}
	tests := []struct {
		name    string
		cc      admissionregistrationv1.WebhookClientConfig
		leaf    *x509.Certificate
		wantErr string
	}{
		{name: "service, matching CA", cc: service("feastflow-system"), leaf: leaf},
		{name: "url, IP in the certificate", cc: url("https://127.0.0.1:9443/validate", bundle.CACert), leaf: leaf},
		{name: "no caBundle yet", cc: url("https://127.0.0.1:9443/validate", nil), leaf: leaf, wantErr: "caBundle holds no certificate"},
		{name: "another CA", cc: url("https://127.0.0.1:9443/validate", other.CACert), leaf: leaf, wantErr: "unknown authority"},
		{name: "service in another namespace", cc: service("elsewhere"), leaf: leaf, wantErr: "feastflow-webhook.elsewhere.svc"},
		{name: "no certificate loaded", cc: service("feastflow-system"), wantErr: "no serving certificate loaded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vwc := &admissionregistrationv1.ValidatingWebhookConfiguration{Webhooks: []admissionregistrationv1.ValidatingWebhook{{Name: "validate.policy.feastflow.io", ClientConfig: tt.cc}}}
			err := trusted(vwc, tt.leaf)
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}
