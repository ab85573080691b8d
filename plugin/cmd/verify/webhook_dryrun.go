package verify

import (
	"context"
	"fmt"
	"strings"
	"sync"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
)

// probeDeployment is the deliberately non-compliant object of the dry
// run: no probes, no resources. It is only ever sent with dryRun=All.
func probeDeployment(namespace string) *appsv1.Deployment {
	podLabels := map[string]string{"app.kubernetes.io/name": "feastflow-verify"}
	replicas := int32(1)
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{
			GenerateName: "feastflow-verify-",
			Namespace:    namespace,
			Labels:       podLabels,
			Annotations:  map[string]string{"feastflow.io/verify": "server-side dry run of kubectl feastflow verify; never stored"},
		},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: podLabels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: podLabels},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{
					Name:  "no-probes",
					Image: "registry.k8s.io/pause:3.10",
				}}},
			},
		},
	}
}

// dryRunCheck creates probeDeployment with dryRun=All in a namespace the
// webhook covers and passes only when this webhook denies it.
func (v *webhookVerifier) dryRunCheck(ctx context.Context, vwc *admissionregistrationv1.ValidatingWebhookConfiguration) Check {
	c := Check{Section: SectionWebhook, Name: "dry-run denied"}
	ns, skipped, err := v.coveredNamespace(ctx, vwc)
	if err != nil {
		c.Status, c.Message = StatusFail, err.Error()
		return c
	}
	if ns == "" {
		c.Status, c.Message, c.Details = StatusWarn, "no namespace to test in: dry run skipped", skipped
		return c
	}
	v.warnings.take()
	_, err = v.kube.AppsV1().Deployments(ns).Create(ctx, probeDeployment(ns), metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
	warnings := v.warnings.take()
	what := "a Deployment without probes in namespace " + ns
	switch {
	case err == nil && v.mentionsWebhook(strings.Join(warnings, "\n")):
		c.Status, c.Message = StatusWarn, what+" was admitted with warnings only: the webhook does not enforce (warn mode?)"
		c.Details = warnings
	case err == nil:
		c.Status, c.Message = StatusFail, what+" was admitted: the webhook does not enforce the policies there"
	case strings.Contains(err.Error(), "failed calling webhook"):
		c.Status, c.Message = StatusFail, "webhook unreachable: "+cmdutil.Shorten(err.Error(), 300)
		c.Details = v.unblockCommands(vwc)
	case v.mentionsWebhook(err.Error()):
		c.Status, c.Message = StatusPass, what+" was denied by the webhook"
		c.Details = []string{cmdutil.Shorten(err.Error(), 300)}
	default:
		c.Status, c.Message = StatusFail, "dry run of "+what+" failed, not by the webhook: "+cmdutil.Shorten(err.Error(), 300)
	}
	c.Details = append(skipped, c.Details...)
	return c
}

// mentionsWebhook reports whether msg names one of the webhook's names or
// rule ids, i.e. comes from this webhook.
func (v *webhookVerifier) mentionsWebhook(msg string) bool {
	for _, mark := range v.denialMarks {
		if mark != "" && strings.Contains(msg, mark) {
			return true
		}
	}
	return false
}

// coveredNamespace returns the first test namespace that exists and that a
// webhook of vwc selects, with a line for each namespace passed over.
func (v *webhookVerifier) coveredNamespace(ctx context.Context, vwc *admissionregistrationv1.ValidatingWebhookConfiguration) (string, []string, error) {
	var skipped []string
	for _, name := range v.testNamespaces {
		ns, err := v.kube.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			skipped = append(skipped, "namespace "+name+" does not exist")
			continue
		}
		if err != nil {
			return "", skipped, fmt.Errorf("get namespace %s: %w", name, err)
		}
		if selectsNamespace(vwc, ns.Labels) {
			return name, skipped, nil
		}
		skipped = append(skipped, "namespace "+name+" is excluded by the webhook's namespaceSelector")
	}
	return "", skipped, nil
}

// selectsNamespace reports whether a webhook of vwc selects a namespace
// with nsLabels; a missing selector selects every namespace.
func selectsNamespace(vwc *admissionregistrationv1.ValidatingWebhookConfiguration, nsLabels map[string]string) bool {
	for _, wh := range vwc.Webhooks {
		if wh.NamespaceSelector == nil {
			return true
		}
		sel, err := metav1.LabelSelectorAsSelector(wh.NamespaceSelector)
		if err == nil && sel.Matches(labels.Set(nsLabels)) {
			return true
		}
	}
	return false
}

// warningRecorder is a rest.WarningHandler that keeps the API server's
// warnings, so the dry run can tell a webhook in warn mode from none.
type warningRecorder struct {
	mu   sync.Mutex
	msgs []string
}

// HandleWarningHeader records one warning.
func (r *warningRecorder) HandleWarningHeader(_ int, _ string, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, text)
}

// take returns the warnings recorded so far and forgets them.
func (r *warningRecorder) take() []string {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.msgs
	r.msgs = nil
	return out
}
