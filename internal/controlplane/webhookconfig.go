package controlplane

import (
	"fmt"
	"os"
	"path/filepath"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	"k8s.io/utils/ptr"
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
// webhook at url, trusting caBundle, with failurePolicy Fail: how a
// webhook running as a local process, already serving, is registered with
// a local API server. (The shipped file says Ignore, which the in-cluster
// server tightens to Fail once it serves: Fail is what a serving install
// ends with.)
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
		config.Webhooks[i].FailurePolicy = ptr.To(admissionregistrationv1.Fail)
	}
	return config, nil
}
