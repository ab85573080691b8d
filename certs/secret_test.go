package certs

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"
)

func TestBundleSecret(t *testing.T) {
	b, err := Generate(testOptions())
	require.NoError(t, err)
	s := b.Secret("feastflow-webhook-tls", "feastflow-system")
	assert.Equal(t, "feastflow-webhook-tls", s.Name)
	assert.Equal(t, "feastflow-system", s.Namespace)
	assert.Equal(t, corev1.SecretTypeTLS, s.Type)
	assert.Equal(t, map[string][]byte{"tls.crt": b.Cert, "tls.key": b.Key, "ca.crt": b.CACert}, s.Data)
}

func TestApplySecret(t *testing.T) {
	b, err := Generate(testOptions())
	require.NoError(t, err)
	key := types.NamespacedName{Namespace: "feastflow-system", Name: "feastflow-webhook-tls"}
	existing := func(typ corev1.SecretType) *corev1.Secret {
		return &corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{Name: key.Name, Namespace: key.Namespace, Labels: map[string]string{"keep": "me"}},
			Type:       typ,
			Data:       map[string][]byte{"ca.key": []byte("stale"), "tls.crt": []byte("old")},
		}
	}
	tests := []struct {
		name       string
		objs       []client.Object
		wantType   corev1.SecretType
		wantLabels map[string]string
	}{
		{"creates", nil, corev1.SecretTypeTLS, map[string]string{"app": "feastflow-webhook"}},
		{"replaces the data of a TLS Secret", []client.Object{existing(corev1.SecretTypeTLS)}, corev1.SecretTypeTLS,
			map[string]string{"keep": "me", "app": "feastflow-webhook"}},
		{"keeps the immutable type of an Opaque placeholder", []client.Object{existing(corev1.SecretTypeOpaque)}, corev1.SecretTypeOpaque,
			map[string]string{"keep": "me", "app": "feastflow-webhook"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newFakeClient(t, interceptor.Funcs{}, tt.objs...)
			want := b.Secret(key.Name, key.Namespace)
			want.Labels = map[string]string{"app": "feastflow-webhook"}
			require.NoError(t, ApplySecret(context.Background(), c, want))

			got := &corev1.Secret{}
			require.NoError(t, c.Get(context.Background(), key, got))
			assert.Equal(t, tt.wantType, got.Type)
			assert.Equal(t, want.Data, got.Data, "stale keys such as ca.key are dropped")
			assert.Equal(t, tt.wantLabels, got.Labels)
		})
	}
}

func TestApplySecretRetriesConflicts(t *testing.T) {
	b, err := Generate(testOptions())
	require.NoError(t, err)
	secret := b.Secret("tls", "ns")
	conflicts := 2
	c := newFakeClient(t, interceptor.Funcs{
		Update: func(ctx context.Context, c client.WithWatch, obj client.Object, opts ...client.UpdateOption) error {
			if conflicts > 0 {
				conflicts--
				return apierrors.NewConflict(schema.GroupResource{Resource: "secrets"}, obj.GetName(), errors.New("changed"))
			}
			return c.Update(ctx, obj, opts...)
		},
	}, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "tls", Namespace: "ns"}})
	require.NoError(t, ApplySecret(context.Background(), c, secret))
	assert.Zero(t, conflicts)
	got := &corev1.Secret{}
	require.NoError(t, c.Get(context.Background(), client.ObjectKeyFromObject(secret), got))
	assert.Equal(t, secret.Data, got.Data)
}

func TestApplySecretReportsErrors(t *testing.T) {
	c := newFakeClient(t, interceptor.Funcs{
		Get: func(context.Context, client.WithWatch, client.ObjectKey, client.Object, ...client.GetOption) error {
			return apierrors.NewForbidden(schema.GroupResource{Resource: "secrets"}, "tls", errors.New("no"))
		},
	})
	err := ApplySecret(context.Background(), c, (&Bundle{}).Secret("tls", "ns"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "apply secret ns/tls: ")
	assert.True(t, apierrors.IsForbidden(err), "the API error stays inspectable")
}

func TestEnsureSecret(t *testing.T) {
	key := types.NamespacedName{Namespace: "feastflow-system", Name: "feastflow-webhook-tls"}
	filled := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: key.Name, Namespace: key.Namespace},
		Data:       map[string][]byte{"tls.crt": []byte("x")},
	}
	tests := []struct {
		name     string
		objs     []client.Object
		wantData map[string][]byte
	}{
		{"creates an empty placeholder", nil, nil},
		{"leaves an existing Secret alone", []client.Object{filled}, filled.Data},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newFakeClient(t, interceptor.Funcs{}, tt.objs...)
			require.NoError(t, EnsureSecret(context.Background(), c, key))
			got := &corev1.Secret{}
			require.NoError(t, c.Get(context.Background(), key, got))
			assert.Equal(t, tt.wantData, got.Data)
		})
	}
}
