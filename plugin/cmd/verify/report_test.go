package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/policies"
)

var updateGolden = flag.Bool("update", false, "rewrite golden files")

func sampleVerifyReport() *VerifyReport {
	return &VerifyReport{Context: "prod", Checks: []Check{
		{Section: SectionWebhook, Name: "configuration", Status: StatusPass, Message: "ValidatingWebhookConfiguration feastflow-webhook: validate.policy.feastflow.io"},
		{Section: SectionWebhook, Name: "dry-run denied", Status: StatusFail, Message: "webhook unreachable: failed calling webhook\nsecond line",
			Details: []string{"  kubectl delete validatingwebhookconfiguration feastflow-webhook"}},
		{Section: SectionPolicies, Name: "Deployment shop/legacy", Status: StatusFail, Message: "1 denied, 0 warnings, 0 exempted",
			Details: []string{"deny    liveness-probe-required  container \"legacy\" has no livenessProbe", "warn    cpu-limit                container \"legacy\" has no cpu limit"},
			Findings: []policies.Finding{{RuleID: "liveness-probe-required", Severity: policies.SeverityDeny, Message: "container \"legacy\" has no livenessProbe",
				Object: policies.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "legacy"}}}},
		{Section: SectionRollouts, Name: "restarts (shop)", Status: StatusWarn, Message: "1 container above 5 restarts"},
		{Section: SectionNetwork, Name: "Service shop/api", Status: StatusPass, Message: "2/2 endpoints ready"},
	}}
}

func TestVerifyPrinters(t *testing.T) {
	for _, format := range verifyFormats {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, printVerifyReport(&buf, format, sampleVerifyReport()))
			golden := filepath.Join(verifyTestdata, "report."+format+".golden")
			if *updateGolden {
				require.NoError(t, os.WriteFile(golden, buf.Bytes(), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), buf.String())
		})
	}
}

func TestVerifySummaryLine(t *testing.T) {
	tests := []struct {
		summary CheckSummary
		want    string
	}{
		{CheckSummary{Pass: 3}, "✔ 3 checks passed"},
		{CheckSummary{Pass: 1, Warn: 1}, "! 1 check passed, 1 warning"},
		{CheckSummary{Pass: 2, Warn: 2, Fail: 1}, "✖ 1 check failed, 2 warnings, 2 passed"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, verifySummaryLine(tt.summary))
	}
}

// TestVerifyRunWithFakes runs the whole command logic on fake clients:
// exit codes and the JSON shape.
func TestVerifyRunWithFakes(t *testing.T) {
	compliant := loadManifests(t, "compliant.yaml", "shop")
	noncompliant := loadManifests(t, "noncompliant.yaml", "shop")
	tests := []struct {
		name      string
		objs      []runtime.Object
		listError error
		code      int
		failing   []string
	}{
		{name: "no webhook, compliant objects never rolled out", objs: unstructuredObjects(compliant),
			code: cmdutil.ExitFindings, failing: []string{"webhook/configuration", "rollouts/Deployment shop/api", "network/Service shop/api"}},
		{name: "non-compliant objects", objs: unstructuredObjects(append(compliant, noncompliant...)),
			code: cmdutil.ExitFindings, failing: []string{"policies/audit", "policies/Deployment shop/legacy", "policies/ConfigMap shop/legacy-config"}},
		{name: "cluster unreadable", listError: errors.New("connection refused"), code: cmdutil.ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dyn := fakeDynamic(append([]runtime.Object{namespaceObject("shop", nil)}, tt.objs...)...)
			if tt.listError != nil {
				dyn.PrependReactor("list", "*", func(k8stesting.Action) (bool, runtime.Object, error) { return true, nil, tt.listError })
			}
			var out bytes.Buffer
			ns := "shop"
			o := &VerifyOptions{
				IOStreams:   genericiooptions.IOStreams{Out: &out, ErrOut: &bytes.Buffer{}},
				ConfigFlags: &genericclioptions.ConfigFlags{Namespace: &ns},
				Output:      "json", WebhookConfig: DefaultWebhookConfig, WebhookNamespace: DefaultWebhookNamespace,
				WebhookSecret: DefaultWebhookSecret, MaxRestarts: DefaultMaxRestarts, DialTimeout: time.Second,
				kube: fake.NewClientset(nsTyped("shop")), dynamic: dyn,
			}
			require.NoError(t, o.Complete(context.Background()))
			require.NoError(t, o.Validate())
			err := o.Run(context.Background())
			require.Equal(t, tt.code, cmdutil.ExitCode(err), "%v", err)
			if tt.code == cmdutil.ExitUsage {
				assert.ErrorContains(t, err, "connection refused")
				return
			}
			var got struct {
				Checks  []Check      `json:"checks"`
				Summary CheckSummary `json:"summary"`
			}
			require.NoError(t, json.Unmarshal(out.Bytes(), &got), out.String())
			failing := map[string]bool{}
			for _, c := range got.Checks {
				require.NotEmpty(t, c.Section)
				require.NotEmpty(t, c.Name)
				if c.Status == StatusFail {
					failing[c.Section+"/"+c.Name] = true
				}
			}
			for _, name := range tt.failing {
				assert.True(t, failing[name], "%s should fail; failing: %v", name, failing)
			}
			assert.Equal(t, len(failing), got.Summary.Fail)
		})
	}
}

func unstructuredObjects[T runtime.Object](objs []T) []runtime.Object {
	out := make([]runtime.Object, len(objs))
	for i, o := range objs {
		out[i] = o
	}
	return out
}
