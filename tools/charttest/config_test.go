package charttest

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/feastflow/kubectl-feastflow/policies"
	"github.com/feastflow/kubectl-feastflow/policies/config"
)

// TestWebhookPolicyConfig: the chart's policy.config becomes the
// configuration file the server reads with --config (strictly valid, every
// rule name known to the catalog), beside policy.params.
func TestWebhookPolicyConfig(t *testing.T) {
	manifest := render(t, chartCase{chart: "feastflow-webhook", release: "feastflow-webhook", namespace: "feastflow-system",
		set: []string{"policy.params.cpu_limit=deny", "policy.config.rules.disable={image-tag-pinned}", "policy.config.severity.probes=warn"}})
	objs := objects(t, manifest)
	data := loadPolicyConfig(t, objs)
	assert.Contains(t, data, "params.yaml")

	deploy := objs["Deployment/feastflow-system/feastflow-webhook"]
	containers := dig(t, deploy, "spec", "template", "spec", "containers").([]any)
	args := fmt.Sprint(containers[0].(map[string]any)["args"])
	assert.Contains(t, args, "--config=/etc/feastflow/config.yaml")
	assert.Contains(t, args, "--params-file=/etc/feastflow/params.yaml")

	defaults := objects(t, render(t, chartCase{chart: "feastflow-webhook", release: "feastflow-webhook", namespace: "feastflow-system"}))
	assert.NotContains(t, defaults, "ConfigMap/feastflow-system/feastflow-webhook-policy", "no ConfigMap without policy values")
}

func dig(t *testing.T, obj map[string]any, path ...string) any {
	t.Helper()
	var cur any = obj
	for _, p := range path {
		m, ok := cur.(map[string]any)
		require.True(t, ok, "at %s", p)
		cur = m[p]
	}
	return cur
}

// TestPolicyComponentConfig: the configuration the kustomize policy
// Component ships is strictly valid and loads into the admission engine.
func TestPolicyComponentConfig(t *testing.T) {
	loadPolicyConfig(t, objects(t, kustomizeBuild(t, "tools/charttest/testdata/policy")))
}

// loadPolicyConfig finds the ConfigMap feastflow-webhook-policy in objs,
// checks that its config.yaml parses strictly and loads into an admission
// engine (every rule name known to the catalog), and returns its data.
func loadPolicyConfig(t *testing.T, objs map[string]object) map[string]any {
	t.Helper()
	cm, ok := objs["ConfigMap/feastflow-system/feastflow-webhook-policy"]
	require.True(t, ok, "policy ConfigMap rendered: %v", keys(objs))
	data, _ := cm["data"].(map[string]any)
	raw, _ := data["config.yaml"].(string)
	cfg, err := config.Parse("config.yaml", "/etc/feastflow", []byte(raw))
	require.NoError(t, err, raw)
	opts := policies.Options{Mode: policies.ModeAdmission}
	cfg.Apply(&opts)
	_, err = policies.New(context.Background(), opts)
	require.NoError(t, err, "every rule name in the configuration is known")
	return data
}
