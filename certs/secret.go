package certs

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Secret returns a kubernetes.io/tls Secret holding the serving
// certificate and key (tls.crt, tls.key) and the CA certificate (ca.crt).
// The CA key is left out: a Bundle written this way is replaced, not
// renewed, and the in-cluster rotator, which keeps its own RSA CA key in
// the Secret, regenerates a Secret without one.
func (b *Bundle) Secret(name, namespace string) *corev1.Secret {
	return &corev1.Secret{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace},
		Type:       corev1.SecretTypeTLS,
		Data: map[string][]byte{
			CertFile: b.Cert,
			KeyFile:  b.Key,
			CAFile:   b.CACert,
		},
	}
}

// ApplySecret creates secret or, when it exists, replaces its data and
// merges its labels and annotations, retrying on conflict. An existing
// Secret keeps its type, which the API server does not let change.
func ApplySecret(ctx context.Context, c client.Client, secret *corev1.Secret) error {
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		current := &corev1.Secret{}
		err := c.Get(ctx, client.ObjectKeyFromObject(secret), current)
		if apierrors.IsNotFound(err) {
			return c.Create(ctx, secret.DeepCopy())
		}
		if err != nil {
			return err
		}
		current.Data = secret.Data
		current.StringData = nil
		current.Labels = merge(current.Labels, secret.Labels)
		current.Annotations = merge(current.Annotations, secret.Annotations)
		return c.Update(ctx, current)
	})
	if err != nil {
		return fmt.Errorf("apply secret %s/%s: %w", secret.Namespace, secret.Name, err)
	}
	return nil
}

// EnsureSecret creates an empty Opaque Secret named key when none exists,
// for the rotator, which only updates an existing Secret. Call it before
// the manager starts, with a client that reads from the API server (the
// manager's cached client cannot read before then); an existing Secret is
// left as it is.
func EnsureSecret(ctx context.Context, c client.Client, key types.NamespacedName) error {
	err := c.Get(ctx, key, &corev1.Secret{})
	if err == nil {
		return nil
	}
	if !apierrors.IsNotFound(err) {
		return fmt.Errorf("ensure secret %s: %w", key, err)
	}
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: key.Name, Namespace: key.Namespace},
		Type:       corev1.SecretTypeOpaque,
	}
	if err := c.Create(ctx, secret); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("ensure secret %s: %w", key, err)
	}
	return nil
}

func merge(dst, src map[string]string) map[string]string {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = make(map[string]string, len(src))
	}
	for k, v := range src {
		dst[k] = v
	}
	return dst
}
