package webhook

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr/funcr"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	admissionv1 "k8s.io/api/admission/v1"
)

// deploymentWithLiteralSecret has a password in plain env: a deny finding
// whose value must appear in no log line, message or metric.
func deploymentWithLiteralSecret(t *testing.T, compliant map[string]any) (map[string]any, string) {
	const secret = "hunter2-Xq9!vL7#pR4@wZ"
	d := deepCopy(t, compliant)
	c := container(d)
	c["env"] = append(c["env"].([]any), map[string]any{"name": "ADMIN_PASSWORD", "value": secret})
	return d, secret
}

func TestDenialsAreLoggedAsJSONWithRuleIDsAndNoSecretValue(t *testing.T) {
	e, compliant := liveEngine(t)
	d, secret := deploymentWithLiteralSecret(t, compliant)
	var lines []string
	log := funcr.NewJSON(func(obj string) { lines = append(lines, obj) }, funcr.Options{})
	resp := (&Validator{Engine: e, Log: log}).Handle(context.Background(), request(t, admissionv1.Create, alice, d, nil))

	require.False(t, resp.Allowed)
	assert.Contains(t, resp.Result.Message, "[env-literal-secret]")
	assert.NotContains(t, resp.Result.Message, secret)
	require.Len(t, lines, 1)
	assert.True(t, strings.HasPrefix(lines[0], "{"), "JSON log line: %s", lines[0])
	assert.Contains(t, lines[0], `"msg":"denied"`)
	assert.Contains(t, lines[0], `"rules":["env-literal-secret"]`)
	assert.Contains(t, lines[0], `"user":"alice@example.com"`)
	assert.NotContains(t, lines[0], secret)
}

func TestMetricsCountRequestsFindingsAndErrors(t *testing.T) {
	e, compliant := liveEngine(t)
	d, secret := deploymentWithLiteralSecret(t, compliant)
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	v := &Validator{Engine: e, Metrics: m}
	v.Handle(context.Background(), request(t, admissionv1.Create, alice, compliant, nil))
	v.Handle(context.Background(), request(t, admissionv1.Create, alice, d, nil))
	v.Handle(context.Background(), request(t, admissionv1.Delete, alice, d, nil))

	assert.Equal(t, 1.0, testutil.ToFloat64(m.requests.WithLabelValues("CREATE", "Deployment", DecisionAllowed)))
	assert.Equal(t, 1.0, testutil.ToFloat64(m.requests.WithLabelValues("CREATE", "Deployment", DecisionDenied)))
	assert.Equal(t, 1.0, testutil.ToFloat64(m.requests.WithLabelValues("DELETE", "Deployment", DecisionSkipped)))
	assert.Equal(t, 1.0, testutil.ToFloat64(m.findings.WithLabelValues("env-literal-secret", "deny")))
	assert.Equal(t, 2, testutil.CollectAndCount(m.latency), "one latency series per operation")
	m.SetCertificateExpiry(time.Unix(1_900_000_000, 0))
	assert.Equal(t, 1.9e9, testutil.ToFloat64(m.certExpiry))

	families, err := reg.Gather()
	require.NoError(t, err)
	for _, f := range families {
		assert.NotContains(t, f.String(), secret)
	}
	problems, err := testutil.GatherAndLint(reg)
	require.NoError(t, err)
	assert.Empty(t, problems, "metric names and help follow Prometheus conventions")
}
