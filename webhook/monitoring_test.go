package webhook_test

import (
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/rulefmt"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/feastflow/kubectl-feastflow/webhook"
)

// monitoringDir holds the shipped dashboard and alerts (a kustomize
// Component of manifests/webhook).
var monitoringDir = filepath.Join("..", "manifests", "webhook", "monitoring")

// kubeStateMetrics are the metrics the alerts read from kube-state-metrics,
// not from the webhook: whether the configuration is registered and how many
// replicas are ready.
var kubeStateMetrics = map[string]bool{
	"kube_validatingwebhookconfiguration_info": true,
	"kube_deployment_status_replicas_ready":    true,
}

var promql = parser.NewParser(parser.Options{})

// loadAlertRules parses the PrometheusRule's spec with Prometheus' own rule
// file parser (strict: unknown fields, bad PromQL, bad templates fail).
func loadAlertRules(t *testing.T, file string) *rulefmt.RuleGroups {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	var rule struct {
		APIVersion string          `json:"apiVersion"`
		Kind       string          `json:"kind"`
		Spec       json.RawMessage `json:"spec"`
	}
	require.NoError(t, yaml.Unmarshal(b, &rule))
	require.Equal(t, "monitoring.coreos.com/v1", rule.APIVersion)
	require.Equal(t, "PrometheusRule", rule.Kind)
	// JSON is YAML: the spec is a Prometheus rule file's content.
	groups, errs := rulefmt.Parse(rule.Spec, false, model.LegacyValidation, promql, slog.New(slog.DiscardHandler))
	require.Empty(t, errs, "%s", file)
	return groups
}

// dashboard is the part of a Grafana dashboard the tests read.
type dashboard struct {
	UID    string `json:"uid"`
	Title  string `json:"title"`
	Panels []struct {
		ID      int    `json:"id"`
		Type    string `json:"type"`
		Title   string `json:"title"`
		GridPos struct {
			X, Y, W, H int
		} `json:"gridPos"`
		Targets []struct {
			RefID string `json:"refId"`
			Expr  string `json:"expr"`
		} `json:"targets"`
	} `json:"panels"`
	Templating struct {
		List []struct {
			Name string `json:"name"`
		} `json:"list"`
	} `json:"templating"`
}

// dashboardKey is the dashboard's key in the shipped ConfigMap.
const dashboardKey = "feastflow-webhook.json"

// loadDashboard reads the dashboard out of the shipped ConfigMap.
func loadDashboard(t *testing.T, file string) dashboard {
	t.Helper()
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	var cm corev1.ConfigMap
	require.NoError(t, yaml.UnmarshalStrict(b, &cm), file)
	assert.Equal(t, "1", cm.Labels["grafana_dashboard"], "Grafana's sidecar finds the dashboard by this label")
	var d dashboard
	require.NoError(t, json.Unmarshal([]byte(cm.Data[dashboardKey]), &d), "%s: data[%s]", file, dashboardKey)
	return d
}

// grafanaVariables stands in for the dashboard's variables so PromQL can
// parse the queries: Grafana substitutes them before Prometheus sees them.
var grafanaVariables = strings.NewReplacer("$__rate_interval", "5m", "$namespace", ".*")

// metricNames parses expr and returns the metric names it selects; every
// selector must name its metric.
func metricNames(t *testing.T, expr string) []string {
	t.Helper()
	e, err := promql.ParseExpr(expr)
	require.NoError(t, err, expr)
	var names []string
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		if vs, ok := n.(*parser.VectorSelector); ok {
			assert.NotEmpty(t, vs.Name, "selector %s names no metric", vs)
			names = append(names, vs.Name)
		}
		return nil
	})
	return names
}

// alertMetrics returns the metrics each alert reads, by alert name.
func alertMetrics(t *testing.T, groups *rulefmt.RuleGroups) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			require.NotEmpty(t, r.Alert, "only alerting rules are shipped")
			out[r.Alert] = metricNames(t, r.Expr)
			assert.NotEmpty(t, r.Labels["severity"], "%s has a severity", r.Alert)
			assert.NotEmpty(t, r.Annotations["summary"], "%s has a summary", r.Alert)
			assert.NotEmpty(t, r.Annotations["description"], "%s has a description", r.Alert)
		}
	}
	return out
}

// dashboardMetrics returns the metrics the dashboard's panels query.
func dashboardMetrics(t *testing.T, d dashboard) []string {
	t.Helper()
	var names []string
	for _, p := range d.Panels {
		require.NotEmpty(t, p.Targets, "panel %q has queries", p.Title)
		for _, target := range p.Targets {
			expr := grafanaVariables.Replace(target.Expr)
			require.NotContains(t, expr, "$", "panel %q uses an unknown variable: %s", p.Title, target.Expr)
			names = append(names, metricNames(t, expr)...)
		}
	}
	return names
}

func TestDashboardLayout(t *testing.T) {
	d := loadDashboard(t, filepath.Join(monitoringDir, "dashboard.yaml"))
	assert.Equal(t, "feastflow-webhook", d.UID)
	var variables []string
	for _, v := range d.Templating.List {
		variables = append(variables, v.Name)
	}
	assert.ElementsMatch(t, []string{"datasource", "namespace"}, variables)
	ids := map[int]bool{}
	for _, p := range d.Panels {
		assert.False(t, ids[p.ID], "panel id %d is unique", p.ID)
		ids[p.ID] = true
		assert.LessOrEqual(t, p.GridPos.X+p.GridPos.W, 24, "panel %q fits Grafana's 24 columns", p.Title)
		assert.Positive(t, p.GridPos.W*p.GridPos.H, "panel %q has a size", p.Title)
	}
}

// TestLatencyAlertBudget: the p99 alert fires above the evaluation timeout,
// which must stay under the API server's timeoutSeconds in the shipped
// configuration.
func TestLatencyAlertBudget(t *testing.T) {
	groups := loadAlertRules(t, filepath.Join(monitoringDir, "prometheusrule.yaml"))
	var threshold float64
	for _, g := range groups.Groups {
		for _, r := range g.Rules {
			if r.Alert != "FeastflowWebhookSlow" {
				continue
			}
			e, err := promql.ParseExpr(r.Expr)
			require.NoError(t, err)
			cmp, ok := e.(*parser.BinaryExpr)
			require.True(t, ok, "FeastflowWebhookSlow compares the p99 with a number")
			n, ok := cmp.RHS.(*parser.NumberLiteral)
			require.True(t, ok, "FeastflowWebhookSlow compares the p99 with a number")
			threshold = n.Val
		}
	}
	assert.Equal(t, webhook.DefaultEvalTimeout.Seconds(), threshold, "the p99 budget is the evaluation timeout")

	b, err := os.ReadFile(filepath.Join("..", "manifests", "webhook", "validatingwebhookconfiguration.yaml"))
	require.NoError(t, err)
	var cfg admissionregistrationv1.ValidatingWebhookConfiguration
	require.NoError(t, yaml.Unmarshal(b, &cfg))
	require.NotEmpty(t, cfg.Webhooks)
	for _, w := range cfg.Webhooks {
		require.NotNil(t, w.TimeoutSeconds)
		assert.Less(t, threshold, float64(*w.TimeoutSeconds), "%s: the alert fires before the API server gives up", w.Name)
	}
}
