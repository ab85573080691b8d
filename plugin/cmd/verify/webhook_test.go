package verify

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	"k8s.io/utils/ptr"

	"github.com/feastflow/kubectl-feastflow/certs"
)

// webhookFixture is a cluster with the shipped webhook registered by
// Service: configuration, TLS Secret, Service, a ready EndpointSlice and
// the namespaces, plus what the dry run answers.
type webhookFixture struct {
	bundle   *certs.Bundle
	vwc      *admissionregistrationv1.ValidatingWebhookConfiguration
	objects  []runtime.Object
	dryRun   func() error
	now      time.Time
	testNS   []string
	warnings []string
	// probe answers the AdmissionReview sent through the service proxy;
	// nil sends none.
	probe reviewProber
}

func newWebhookFixture(t *testing.T) *webhookFixture {
	t.Helper()
	bundle, err := certs.Generate(certs.Options{Service: "feastflow-webhook", Namespace: "feastflow-system"})
	require.NoError(t, err)
	fail, timeout := admissionregistrationv1.Fail, int32(5)
	vwc := &admissionregistrationv1.ValidatingWebhookConfiguration{
		ObjectMeta: metav1.ObjectMeta{Name: "feastflow-webhook"},
		Webhooks: []admissionregistrationv1.ValidatingWebhook{{
			Name: webhookName, FailurePolicy: &fail, TimeoutSeconds: &timeout,
			ClientConfig: admissionregistrationv1.WebhookClientConfig{
				Service:  &admissionregistrationv1.ServiceReference{Name: "feastflow-webhook", Namespace: "feastflow-system"},
				CABundle: bundle.CACert,
			},
			NamespaceSelector: &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{
				Key: "kubernetes.io/metadata.name", Operator: metav1.LabelSelectorOpNotIn,
				Values: []string{"kube-system", "feastflow-system"},
			}}},
		}},
	}
	ready := true
	return &webhookFixture{
		bundle: bundle, vwc: vwc, now: time.Now(), testNS: []string{"shop", "default"},
		objects: []runtime.Object{
			bundle.Secret("feastflow-webhook-tls", "feastflow-system"),
			&corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "feastflow-webhook", Namespace: "feastflow-system"}},
			&discoveryv1.EndpointSlice{
				ObjectMeta: metav1.ObjectMeta{Name: "feastflow-webhook-x", Namespace: "feastflow-system",
					Labels: map[string]string{discoveryv1.LabelServiceName: "feastflow-webhook"}},
				Endpoints: []discoveryv1.Endpoint{{Addresses: []string{"10.0.0.9"}, Conditions: discoveryv1.EndpointConditions{Ready: &ready}}},
			},
			nsTyped("shop"), nsTyped("default"), nsTyped("kube-system"),
		},
		dryRun: func() error {
			return errors.New(`admission webhook "validate.policy.feastflow.io" denied the request: Deployment shop/feastflow-verify-x violates 2 feastflow policies: [liveness-probe-required] container "no-probes" has no livenessProbe`)
		},
	}
}

func nsTyped(name string) *corev1.Namespace {
	return &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{"kubernetes.io/metadata.name": name}}}
}

// run runs the webhook checks against a fake clientset of the fixture.
func (f *webhookFixture) run(t *testing.T) []Check {
	t.Helper()
	objs := f.objects
	if f.vwc != nil {
		objs = append(objs, f.vwc)
	}
	kube := fake.NewClientset(objs...)
	recorder := &warningRecorder{}
	kube.PrependReactor("create", "deployments", func(action k8stesting.Action) (bool, runtime.Object, error) {
		create := action.(k8stesting.CreateActionImpl)
		assert.Equal(t, []string{metav1.DryRunAll}, create.CreateOptions.DryRun, "the probe is only ever sent as a dry run")
		for _, w := range f.warnings {
			recorder.HandleWarningHeader(299, "", w)
		}
		if err := f.dryRun(); err != nil {
			return true, nil, err
		}
		return true, create.GetObject(), nil
	})
	v := &webhookVerifier{
		kube: kube, configName: "feastflow-webhook",
		secretNamespace: "feastflow-system", secretName: "feastflow-webhook-tls",
		testNamespaces: f.testNS, denialMarks: []string{webhookName, "liveness-probe-required"},
		kubectl: "kubectl --context prod", dialTimeout: 2 * time.Second, warnings: recorder, now: f.now,
		probe: f.probe,
	}
	checks := v.checks(context.Background())
	for _, c := range checks {
		for _, line := range append([]string{c.Message}, c.Details...) {
			assert.NotContains(t, line, "PRIVATE KEY", "no key material is ever printed")
		}
	}
	return checks
}

func TestVerifyWebhookChecks(t *testing.T) {
	type want struct {
		status  CheckStatus
		message string
		details []string
	}
	tests := []struct {
		name   string
		mutate func(t *testing.T, f *webhookFixture)
		want   map[string]want
		count  int
	}{
		{name: "healthy and enforcing", want: map[string]want{
			"configuration":      {StatusPass, "ValidatingWebhookConfiguration feastflow-webhook: " + webhookName, nil},
			"caBundle":           {StatusPass, "caBundle verifies the serving certificate (from Secret feastflow-system/feastflow-webhook-tls) for feastflow-webhook.feastflow-system.svc", nil},
			"certificate expiry": {StatusPass, "serving certificate expires in", nil},
			"endpoints":          {StatusPass, "Service feastflow-system/feastflow-webhook: 1/1 endpoints ready", nil},
			"failure policy":     {StatusPass, "failurePolicy Fail, timeout 5s, excluded namespaces: kube-system, feastflow-system", nil},
			"dry-run denied": {StatusPass, "a Deployment without probes in namespace shop was denied by the webhook", []string{
				`admission webhook "validate.policy.feastflow.io" denied the request: Deployment shop/feastflow-verify-x violates 2 feastflow policies: [liveness-probe-required] container "no-probes" has no livenessProbe`,
			}},
		}},
		{name: "no configuration: one failing check, no unblock hint", mutate: func(_ *testing.T, f *webhookFixture) { f.vwc = nil },
			count: 1, want: map[string]want{"configuration": {StatusFail, "ValidatingWebhookConfiguration feastflow-webhook not found", nil}}},
		{name: "caBundle of another CA", mutate: func(t *testing.T, f *webhookFixture) {
			other, err := certs.Generate(certs.Options{Service: "feastflow-webhook", Namespace: "feastflow-system"})
			require.NoError(t, err)
			f.vwc.Webhooks[0].ClientConfig.CABundle = other.CACert
		}, want: map[string]want{"caBundle": {StatusFail, "caBundle does not verify the serving certificate", nil}}},
		{name: "empty caBundle", mutate: func(_ *testing.T, f *webhookFixture) { f.vwc.Webhooks[0].ClientConfig.CABundle = nil },
			want: map[string]want{"caBundle": {StatusFail, "caBundle is empty", nil}}},
		{name: "certificate expires soon", mutate: func(t *testing.T, f *webhookFixture) {
			f.now = notAfter(t, f.bundle.Cert).Add(-10 * 24 * time.Hour)
		}, want: map[string]want{"certificate expiry": {StatusWarn, "expires in 10 days", nil}}},
		{name: "certificate expired", mutate: func(t *testing.T, f *webhookFixture) {
			f.now = notAfter(t, f.bundle.Cert).Add(time.Hour)
		}, want: map[string]want{
			"certificate expiry": {StatusFail, "serving certificate expired on", nil},
			"caBundle":           {StatusFail, "expired", nil},
		}},
		{name: "Secret unreadable", mutate: func(_ *testing.T, f *webhookFixture) { f.objects = f.objects[1:] },
			want: map[string]want{
				"caBundle":           {StatusWarn, "serving certificate not found", []string{`read Secret feastflow-system/feastflow-webhook-tls: secrets "feastflow-webhook-tls" not found`, "the webhook is registered by Service, so there is no URL to dial"}},
				"certificate expiry": {StatusWarn, "expiry unknown", nil},
			}},
		{name: "no ready endpoints", mutate: func(_ *testing.T, f *webhookFixture) {
			f.objects = append(f.objects[:2:2], f.objects[3:]...)
		}, want: map[string]want{"endpoints": {StatusFail, "has no ready endpoints (0 in total): the API server cannot reach the webhook", nil}}},
		{name: "no ready endpoints, failurePolicy Fail: unblock commands", mutate: func(_ *testing.T, f *webhookFixture) {
			f.objects = append(f.objects[:2:2], f.objects[3:]...)
		}, want: map[string]want{"endpoints": {StatusFail, "has no ready endpoints", []string{
			"registered but not served, with failurePolicy Fail:",
			"the webhook is unreachable, so the API server refuses every write it covers; to unblock the cluster, remove the webhook:",
			"  kubectl --context prod delete validatingwebhookconfiguration feastflow-webhook",
			"or keep it and let writes through unchecked until it is back:",
			`  kubectl --context prod patch validatingwebhookconfiguration feastflow-webhook --type=json -p '[{"op":"replace","path":"/webhooks/0/failurePolicy","value":"Ignore"}]'`,
		}}}},
		{name: "ready endpoints that do not answer (broken image), failurePolicy Ignore", mutate: func(_ *testing.T, f *webhookFixture) {
			f.vwc.Webhooks[0].FailurePolicy = ptr.To(admissionregistrationv1.Ignore)
			f.probe = func(context.Context, *admissionregistrationv1.ServiceReference) error {
				return errors.New(`error trying to reach service: dial tcp 10.0.0.9:9443: connect: connection refused`)
			}
		}, want: map[string]want{"endpoints": {StatusFail, "Service feastflow-system/feastflow-webhook: 1/1 endpoints ready, but none answers an AdmissionReview through the API server: error trying to reach service", []string{
			"registered but not served, with failurePolicy Ignore: the writes it covers pass unchecked (the server sets its failure policy once it serves);",
			"if it will not serve again (uninstalled, broken image), remove the registration:",
			"  kubectl --context prod delete validatingwebhookconfiguration feastflow-webhook",
		}}}},
		{name: "ready endpoints that answer", mutate: func(_ *testing.T, f *webhookFixture) {
			f.probe = func(_ context.Context, svc *admissionregistrationv1.ServiceReference) error {
				assert.Equal(t, "feastflow-webhook", svc.Name)
				return nil
			}
		}, want: map[string]want{"endpoints": {StatusPass, "1/1 endpoints ready, answering AdmissionReviews", nil}}},
		{name: "failurePolicy Ignore warns", mutate: func(_ *testing.T, f *webhookFixture) {
			ignore := admissionregistrationv1.Ignore
			f.vwc.Webhooks[0].FailurePolicy = &ignore
		}, want: map[string]want{"failure policy": {StatusWarn, "failurePolicy Ignore", []string{"with Ignore, writes pass unchecked whenever the webhook is unreachable"}}}},
		{name: "unreachable webhook prints the unblock commands", mutate: func(_ *testing.T, f *webhookFixture) {
			f.dryRun = func() error {
				return errors.New(`Internal error occurred: failed calling webhook "validate.policy.feastflow.io": failed to call webhook: Post "https://feastflow-webhook.feastflow-system.svc:443/validate": no endpoints available`)
			}
		}, want: map[string]want{"dry-run denied": {StatusFail, "webhook unreachable: Internal error occurred: failed calling webhook", []string{
			"the webhook is unreachable, so the API server refuses every write it covers; to unblock the cluster, remove the webhook:",
			"  kubectl --context prod delete validatingwebhookconfiguration feastflow-webhook",
			"or keep it and let writes through unchecked until it is back:",
			`  kubectl --context prod patch validatingwebhookconfiguration feastflow-webhook --type=json -p '[{"op":"replace","path":"/webhooks/0/failurePolicy","value":"Ignore"}]'`,
		}}}},
		{name: "admitted", mutate: func(_ *testing.T, f *webhookFixture) { f.dryRun = func() error { return nil } },
			want: map[string]want{"dry-run denied": {StatusFail, "was admitted: the webhook does not enforce", nil}}},
		{name: "admitted with warnings (warn mode)", mutate: func(_ *testing.T, f *webhookFixture) {
			f.dryRun = func() error { return nil }
			f.warnings = []string{`deny [liveness-probe-required] container "no-probes" has no livenessProbe`}
		}, want: map[string]want{"dry-run denied": {StatusWarn, "admitted with warnings only", []string{`deny [liveness-probe-required] container "no-probes" has no livenessProbe`}}}},
		{name: "denied by something else", mutate: func(_ *testing.T, f *webhookFixture) {
			f.dryRun = func() error { return errors.New(`deployments.apps is forbidden: User "x" cannot create resource`) }
		}, want: map[string]want{"dry-run denied": {StatusFail, "failed, not by the webhook: deployments.apps is forbidden", nil}}},
		{name: "excluded namespace falls back to default", mutate: func(_ *testing.T, f *webhookFixture) { f.testNS = []string{"kube-system", "default"} },
			want: map[string]want{"dry-run denied": {StatusPass, "in namespace default was denied", nil}}},
		{name: "no covered namespace", mutate: func(_ *testing.T, f *webhookFixture) { f.testNS = []string{"kube-system", "missing"} },
			want: map[string]want{"dry-run denied": {StatusWarn, "dry run skipped", []string{
				"namespace kube-system is excluded by the webhook's namespaceSelector", "namespace missing does not exist",
			}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newWebhookFixture(t)
			if tt.mutate != nil {
				tt.mutate(t, f)
			}
			checks := f.run(t)
			if tt.count > 0 {
				require.Len(t, checks, tt.count)
			}
			for name, w := range tt.want {
				c := checkNamed(t, checks, SectionWebhook, name)
				assert.Equal(t, w.status, c.Status, "%s: %s", name, c.Message)
				assert.Contains(t, c.Message, w.message, name)
				if w.details != nil {
					assert.Equal(t, w.details, c.Details, name)
				}
			}
		})
	}
}

func notAfter(t *testing.T, certPEM []byte) time.Time {
	t.Helper()
	na, err := certs.NotAfter(certPEM)
	require.NoError(t, err)
	return na
}

// TestVerifyURLWebhook checks a URL-registered webhook against a real TLS
// listener: reachability and the served certificate come from the dial.
func TestVerifyURLWebhook(t *testing.T) {
	bundle, err := certs.Generate(certs.Options{Service: "feastflow-webhook", Namespace: "feastflow-system", IPs: []net.IP{net.IPv4(127, 0, 0, 1)}})
	require.NoError(t, err)
	pair, err := tls.X509KeyPair(bundle.Cert, bundle.Key)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	closed := httptest.NewUnstartedServer(http.NotFoundHandler())
	closedURL := "https://" + closed.Listener.Addr().String() + "/validate"
	closed.Close()

	tests := []struct {
		name                      string
		url                       string
		endpoints, caBundle       CheckStatus
		endpointsMsg, caBundleMsg string
	}{
		{name: "reachable", url: srv.URL + "/validate",
			endpoints: StatusPass, endpointsMsg: "url-registered webhook: no Service; " + srv.URL + "/validate reachable",
			caBundle: StatusPass, caBundleMsg: "(served at " + srv.URL + "/validate) for 127.0.0.1"},
		{name: "unreachable", url: closedURL,
			endpoints: StatusFail, endpointsMsg: "url-registered webhook: no Service; " + closedURL + " unreachable",
			caBundle: StatusWarn, caBundleMsg: "serving certificate not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newWebhookFixture(t)
			f.objects = f.objects[3:] // no Secret, Service or EndpointSlice
			f.vwc.Webhooks[0].ClientConfig = admissionregistrationv1.WebhookClientConfig{URL: &tt.url, CABundle: bundle.CACert}
			checks := f.run(t)
			ep := checkNamed(t, checks, SectionWebhook, "endpoints")
			assert.Equal(t, tt.endpoints, ep.Status, ep.Message)
			assert.True(t, strings.HasPrefix(ep.Message, tt.endpointsMsg), ep.Message)
			ca := checkNamed(t, checks, SectionWebhook, "caBundle")
			assert.Equal(t, tt.caBundle, ca.Status, ca.Message)
			assert.Contains(t, ca.Message, tt.caBundleMsg)
		})
	}
}
