package webhook_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/util/wait"

	"github.com/feastflow/kubectl-feastflow/policies"
	"github.com/feastflow/kubectl-feastflow/webhook"
)

// scrapeMetrics starts a webhook server with its metrics endpoint on a free
// loopback port, sends it one review (denied: a Deployment without probes)
// and returns the metric names its /metrics serves; a histogram's family
// counts as its _bucket, _sum and _count series.
func scrapeMetrics(t *testing.T) map[string]bool {
	t.Helper()
	s := cluster(t)
	ctx := context.Background()
	engine, err := policies.New(ctx, policies.Options{Mode: policies.ModeAdmission})
	require.NoError(t, err)
	port, err := freePort()
	require.NoError(t, err)
	metricsPort, err := freePort()
	require.NoError(t, err)
	srv, err := webhook.NewServer(ctx, webhook.Config{
		RestConfig: s.env.Config, Engine: engine, Host: "127.0.0.1", Port: port, CertDir: s.certDir,
		MetricsAddr: fmt.Sprintf("127.0.0.1:%d", metricsPort), ProbeAddr: "0", Log: logr.Discard(),
	})
	require.NoError(t, err)
	runCtx, stop := context.WithCancel(ctx)
	stopped := make(chan error, 1)
	go func() { stopped <- srv.Start(runCtx) }()
	t.Cleanup(func() {
		stop()
		<-stopped
	})
	require.NoError(t, wait.PollUntilContextTimeout(ctx, 20*time.Millisecond, 30*time.Second, true,
		func(context.Context) (bool, error) { return srv.Ready(), nil }))
	require.Equal(t, http.StatusOK, postReview(t, s, port))

	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	textParser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := textParser.TextToMetricFamilies(resp.Body)
	require.NoError(t, err)
	names := map[string]bool{}
	for name, f := range families {
		names[name] = true
		switch f.GetType() {
		case dto.MetricType_HISTOGRAM:
			names[name+"_bucket"], names[name+"_sum"], names[name+"_count"] = true, true, true
		case dto.MetricType_SUMMARY:
			names[name+"_sum"], names[name+"_count"] = true, true
		}
	}
	return names
}

// TestMonitoringQueriesExportedMetrics: every metric the shipped alerts and
// dashboard query is one a running webhook exports (kube-state-metrics'
// aside), and the dashboard shows every feastflow_webhook_* metric.
func TestMonitoringQueriesExportedMetrics(t *testing.T) {
	exported := scrapeMetrics(t)
	require.True(t, exported["feastflow_webhook_requests_total"], "the scrape holds the webhook's metrics")

	alerts := alertMetrics(t, loadAlertRules(t, filepath.Join(monitoringDir, "prometheusrule.yaml")))
	for alert, names := range alerts {
		for _, name := range names {
			assert.True(t, exported[name] || kubeStateMetrics[name], "alert %s reads %s, which the webhook does not export", alert, name)
		}
	}
	shown := map[string]bool{}
	for _, name := range dashboardMetrics(t, loadDashboard(t, filepath.Join(monitoringDir, "dashboard.yaml"))) {
		assert.True(t, exported[name], "the dashboard queries %s, which the webhook does not export", name)
		shown[name] = true
	}
	for name := range exported {
		if strings.HasPrefix(name, "feastflow_webhook_") && !shown[name] && !shown[histogramFamily(name)+"_bucket"] {
			t.Errorf("the dashboard does not show %s", name)
		}
	}
}

// histogramFamily strips a histogram series suffix: a dashboard showing
// the _bucket series shows the histogram.
func histogramFamily(name string) string {
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if s, ok := strings.CutSuffix(name, suffix); ok {
			return s
		}
	}
	return name
}
