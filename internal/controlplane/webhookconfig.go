package controlplane

import (
	"fmt"
	"os"
	"path/filepath"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	"sigs.k8s.io/yaml"
)

// ShippedWebhookConfig is the path of the repository's
// ValidatingWebhookConfiguration (manifests/webhook).
func ShippedWebhookConfig() (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, "manifests", "webhook", "validatingwebhookconfiguration.yaml"), nil
}

// LocalWebhookConfig reads the ValidatingWebhookConfiguration in file
// (strictly: a typo in the shipped manifest fails here) and points every
// webhook at url, trusting caBundle: how a webhook running as a local
// process is registered with a local API server.
func LocalWebhookConfig(file, url string, caBundle []byte) (*admissionregistrationv1.ValidatingWebhookConfiguration, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read webhook configuration: %w", err)
	}
	config := &admissionregistrationv1.ValidatingWebhookConfiguration{}
	if err := yaml.UnmarshalStrict(data, config); err != nil {
		return nil, fmt.Errorf("decode %s: %w", file, err)
	}
	for i := range config.Webhooks {
		config.Webhooks[i].ClientConfig = admissionregistrationv1.WebhookClientConfig{URL: &url, CABundle: caBundle}
	}
	return config, nil
}
