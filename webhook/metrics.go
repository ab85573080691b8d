package webhook

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// Metrics are the webhook's Prometheus collectors, served on /metrics by
// the manager's metrics server. A nil *Metrics counts nothing.
type Metrics struct {
	requests      *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	findings      *prometheus.CounterVec
	evalErrors    *prometheus.CounterVec
	inventoryErrs prometheus.Counter
	cache         *prometheus.CounterVec
	certExpiry    prometheus.Gauge
}

// EvaluationErrorReasons are the values of the reason label of
// feastflow_webhook_evaluation_errors_total: the evaluation failed, passed its
// deadline (--eval-timeout), or an exemption's authorization check failed.
var EvaluationErrorReasons = []string{"runtime", "deadline", "authorization"}

// NewMetrics creates the collectors and registers them with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "feastflow_webhook_requests_total",
			Help: "Admission requests by operation, kind and decision (allowed, warned, denied, skipped, error).",
		}, []string{"operation", "kind", "decision"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "feastflow_webhook_request_duration_seconds",
			Help:    "Time to answer an admission request, decoding to response.",
			Buckets: []float64{.0001, .00025, .0005, .001, .002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"operation"}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "feastflow_webhook_findings_total",
			Help: "Findings by rule id and severity (exempted findings count as severity exempted).",
		}, []string{"rule", "severity"}),
		evalErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "feastflow_webhook_evaluation_errors_total",
			Help: "Requests whose evaluation failed, by reason (runtime, deadline, authorization).",
		}, []string{"reason"}),
		inventoryErrs: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "feastflow_webhook_inventory_errors_total",
			Help: "Informer events that could not be written to the policy inventory.",
		}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "feastflow_webhook_findings_cache_requests_total",
			Help: "Evaluations asked of the findings cache, by result: hit (an identical object's findings reused) or miss (evaluated). Hit rate: hit / (hit + miss).",
		}, []string{"result"}),
		certExpiry: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "feastflow_webhook_certificate_expiry_timestamp_seconds",
			Help: "NotAfter of the serving certificate, as a Unix time.",
		}),
	}
	// Every reason is exported from the start, at zero, so a dashboard or an
	// alert on the error rate sees 0 rather than no series at all.
	for _, reason := range EvaluationErrorReasons {
		m.evalErrors.WithLabelValues(reason)
	}
	m.cache.WithLabelValues("hit")
	m.cache.WithLabelValues("miss")
	reg.MustRegister(m.requests, m.latency, m.findings, m.evalErrors, m.inventoryErrs, m.cache, m.certExpiry)
	return m
}

func (m *Metrics) observeRequest(req admission.Request, decision string, took time.Duration) {
	if m == nil {
		return
	}
	op := string(req.Operation)
	m.requests.WithLabelValues(op, req.Kind.Kind, decision).Inc()
	m.latency.WithLabelValues(op).Observe(took.Seconds())
}

func (m *Metrics) observeFindings(findings []policies.Finding) {
	if m == nil {
		return
	}
	for _, f := range findings {
		severity := string(f.Severity)
		if f.Exempted() {
			severity = "exempted"
		}
		m.findings.WithLabelValues(f.RuleID, severity).Inc()
	}
}

func (m *Metrics) observeEvalError(reason string) {
	if m != nil {
		m.evalErrors.WithLabelValues(reason).Inc()
	}
}

func (m *Metrics) observeCache(hit bool) {
	if m == nil {
		return
	}
	result := "miss"
	if hit {
		result = "hit"
	}
	m.cache.WithLabelValues(result).Inc()
}

func (m *Metrics) observeInventoryError() {
	if m != nil {
		m.inventoryErrs.Inc()
	}
}

// SetCertificateExpiry records the serving certificate's NotAfter.
func (m *Metrics) SetCertificateExpiry(notAfter time.Time) {
	if m != nil {
		m.certExpiry.Set(float64(notAfter.Unix()))
	}
}
