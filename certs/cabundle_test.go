package certs

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
)

func webhookConfig(caBundles ...[]byte) *admissionregistrationv1.ValidatingWebhookConfiguration {
	cfg := &admissionregistrationv1.ValidatingWebhookConfiguration{ObjectMeta: metav1.ObjectMeta{Name: "feastflow-webhook"}}
	for i, ca := range caBundles {
		path, none := "/validate", admissionregistrationv1.SideEffectClassNone
		cfg.Webhooks = append(cfg.Webhooks, admissionregistrationv1.ValidatingWebhook{
			Name:                    []string{"validate.policy.feastflow.io", "second.policy.feastflow.io"}[i],
			SideEffects:             &none,
			AdmissionReviewVersions: []string{"v1"},
			ClientConfig: admissionregistrationv1.WebhookClientConfig{
				Service:  &admissionregistrationv1.ServiceReference{Namespace: "feastflow-system", Name: "feastflow-webhook", Path: &path},
				CABundle: ca,
			},
		})
	}
	return cfg
}

func TestInjectCABundle(t *testing.T) {
	b, err := Generate(testOptions())
	require.NoError(t, err)
	ctx := context.Background()
	tests := []struct {
		name        string
		existing    *admissionregistrationv1.ValidatingWebhookConfiguration
		conflicts   int
		wantUpdates int
	}{
		{"fills empty caBundles of every webhook", webhookConfig(nil, nil), 0, 1},
		{"replaces an old caBundle", webhookConfig([]byte("old"), b.CACert), 0, 1},
		{"writes nothing when already injected", webhookConfig(b.CACert, b.CACert), 0, 0},
		{"retries on conflict", webhookConfig(nil), 2, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conflicts, updates := tt.conflicts, 0
			c := newFakeClient(t, interceptor.Funcs{
				Update: func(ctx context.Context, c client.WithWatch, obj client.Object, opts ...client.UpdateOption) error {
					updates++
					if conflicts > 0 {
						conflicts--
						return apierrors.NewConflict(schema.GroupResource{Resource: "validatingwebhookconfigurations"}, obj.GetName(), errors.New("changed"))
					}
					return c.Update(ctx, obj, opts...)
				},
			}, tt.existing)
			require.NoError(t, InjectCABundle(ctx, c, "feastflow-webhook", b.CACert))
			assert.Equal(t, tt.wantUpdates, updates)

			got := &admissionregistrationv1.ValidatingWebhookConfiguration{}
			require.NoError(t, c.Get(ctx, client.ObjectKey{Name: "feastflow-webhook"}, got))
			require.Len(t, got.Webhooks, len(tt.existing.Webhooks))
			for _, wh := range got.Webhooks {
				assert.Equal(t, b.CACert, wh.ClientConfig.CABundle, wh.Name)
				assert.Equal(t, "/validate", *wh.ClientConfig.Service.Path, "the rest of clientConfig is kept")
			}
		})
	}
}

func TestInjectCABundleErrors(t *testing.T) {
	tests := []struct {
		name    string
		ca      []byte
		wantErr string
		check   func(error) bool
	}{
		{"missing configuration", []byte("ca"), "inject caBundle into feastflow-webhook: ", apierrors.IsNotFound},
		{"empty caBundle", nil, "empty caBundle", func(error) bool { return true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := InjectCABundle(context.Background(), newFakeClient(t, interceptor.Funcs{}), "feastflow-webhook", tt.ca)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.True(t, tt.check(err))
		})
	}
}
