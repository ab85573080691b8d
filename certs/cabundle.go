package certs

import (
	"bytes"
	"context"
	"fmt"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	"k8s.io/client-go/util/retry"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// InjectCABundle sets clientConfig.caBundle to caPEM on every webhook of
// the named ValidatingWebhookConfiguration, retrying on conflict. Nothing
// is written when every webhook already carries caPEM.
func InjectCABundle(ctx context.Context, c client.Client, webhookConfigName string, caPEM []byte) error {
	if len(caPEM) == 0 {
		return fmt.Errorf("inject caBundle into %s: empty caBundle", webhookConfigName)
	}
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		cfg := &admissionregistrationv1.ValidatingWebhookConfiguration{}
		if err := c.Get(ctx, client.ObjectKey{Name: webhookConfigName}, cfg); err != nil {
			return err
		}
		changed := false
		for i := range cfg.Webhooks {
			if !bytes.Equal(cfg.Webhooks[i].ClientConfig.CABundle, caPEM) {
				cfg.Webhooks[i].ClientConfig.CABundle = caPEM
				changed = true
			}
		}
		if !changed {
			return nil
		}
		return c.Update(ctx, cfg)
	})
	if err != nil {
		return fmt.Errorf("inject caBundle into %s: %w", webhookConfigName, err)
	}
	return nil
}
