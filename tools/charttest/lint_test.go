package charttest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/lint/support"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/feastflow/kubectl-feastflow/certs"
	"github.com/feastflow/kubectl-feastflow/plugin/cmd/lint"
)

// testCAFile holds a real CA certificate for certificates.mode=secret
// renderings (--set-file certificates.caBundle=...).
var testCAFile = func() string {
	b, err := certs.Generate(certs.Options{Service: "feastflow-webhook", Namespace: "policy"})
	if err != nil {
		panic(err)
	}
	f, err := os.CreateTemp("", "feastflow-chart-ca-*.crt")
	if err == nil {
		_, err = f.Write(b.CACert)
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		panic(err)
	}
	return f.Name()
}()

// renderings are every values combination the charts ship or document.
var renderings = []chartCase{
	{name: "webhook defaults", chart: "feastflow-webhook", release: "feastflow-webhook", namespace: "feastflow-system"},
	{name: "webhook cert-manager", chart: "feastflow-webhook", release: "feastflow-webhook", namespace: "feastflow-system",
		set: []string{"certificates.mode=cert-manager"}},
	{name: "webhook provided secret, warn mode, params, ServiceMonitor", chart: "feastflow-webhook", release: "feastflow-webhook", namespace: "policy",
		setFile: []string{"certificates.caBundle=" + testCAFile},
		set: []string{"certificates.mode=secret", "mode=warn", "failurePolicy=Ignore",
			"policy.params.cpu_limit=deny", "metrics.serviceMonitor.enabled=true", "metrics.port=9090", "replicas=3"}},
	{name: "webhook minimal: one replica, no PDB, no metrics", chart: "feastflow-webhook", release: "w", namespace: "feastflow-system",
		set: []string{"replicas=1", "podDisruptionBudget.enabled=false", "metrics.enabled=false"}},
	{name: "feastflow defaults", chart: "feastflow", release: "feastflow", namespace: "feastflow"},
	{name: "feastflow dev", chart: "feastflow", release: "feastflow", namespace: "feastflow", valuesFiles: []string{"values-dev.yaml"}},
	{name: "feastflow prod", chart: "feastflow", release: "feastflow", namespace: "feastflow", valuesFiles: []string{"values-prod.yaml"}},
}

// TestHelmLint runs Helm's own lint (the SDK behind `helm lint`) on both
// charts with each shipped values file: no warning, no error.
func TestHelmLint(t *testing.T) {
	for _, c := range renderings {
		t.Run(c.name, func(t *testing.T) {
			vals, err := chartValues(c)
			require.NoError(t, err)
			lint := action.NewLint()
			lint.Namespace = c.namespace
			res := lint.Run([]string{filepath.Join(root, "charts", c.chart)}, vals)
			assert.Empty(t, res.Errors)
			for _, m := range res.Messages {
				assert.Less(t, m.Severity, support.WarningSev, "%s", m.Error())
			}
		})
	}
}

// TestRenderingsPassFeastflowLint lints each rendering with `kubectl
// feastflow lint --fail-on=warn`: zero findings.
func TestRenderingsPassFeastflowLint(t *testing.T) {
	for _, c := range renderings {
		t.Run(c.name, func(t *testing.T) {
			dir, err := os.MkdirTemp("", "feastflow-chart-lint-") // t.TempDir() has the subtest's name, commas included
			require.NoError(t, err)
			t.Cleanup(func() { _ = os.RemoveAll(dir) })
			file := filepath.Join(dir, c.chart+".yaml")
			require.NoError(t, os.WriteFile(file, []byte(render(t, c)), 0o600))
			var out bytes.Buffer
			streams := genericiooptions.IOStreams{In: &bytes.Buffer{}, Out: &out, ErrOut: &out}
			cmd := lint.NewCmdLint(streams, genericclioptions.NewConfigFlags(true))
			cmd.SetArgs([]string{"-f", file, "--fail-on=warn"})
			cmd.SetOut(&out)
			cmd.SetErr(&out)
			assert.NoError(t, cmd.Execute(), "%s", out.String())
		})
	}
}

// TestValuesSchemaRejectsBadValues: values.schema.json stops bad values
// before anything is rendered or installed.
func TestValuesSchemaRejectsBadValues(t *testing.T) {
	tests := []chartCase{
		{name: "unknown mode", chart: "feastflow-webhook", set: []string{"mode=block"}},
		{name: "unknown failurePolicy", chart: "feastflow-webhook", set: []string{"failurePolicy=fail"}},
		{name: "timeout over 30s", chart: "feastflow-webhook", set: []string{"timeoutSeconds=31"}},
		{name: "typo in a key", chart: "feastflow-webhook", set: []string{"replica=3"}},
		{name: "replicas as text", chart: "feastflow-webhook", set: []string{"replicas=two"}},
		{name: "secret mode without a CA", chart: "feastflow-webhook", set: []string{"certificates.mode=secret"}},
		{name: "unknown certificates mode", chart: "feastflow-webhook", set: []string{"certificates.mode=vault"}},
		{name: "bad excluded namespace", chart: "feastflow-webhook", set: []string{"excludedNamespaces={Kube_System}"}},
		{name: "zero replicas of a tier", chart: "feastflow", set: []string{"backend.replicas=0"}},
		{name: "bad quantity", chart: "feastflow", set: []string{"postgres.storage=lots"}},
		{name: "unknown log level", chart: "feastflow", set: []string{"logLevel=verbose"}},
		{name: "unknown PDB field", chart: "feastflow", set: []string{"podDisruptionBudget.field=maxAvailable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.release, tt.namespace = "x", "feastflow-system"
			_, err := tryRender(tt)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "values don't meet the specifications of the schema")
		})
	}
}
