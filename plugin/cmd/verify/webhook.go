package verify

import (
	"context"
	"fmt"
	"strings"
	"time"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
)

// webhookVerifier checks the admission webhook's registration and proves
// it enforces by a server-side dry run.
type webhookVerifier struct {
	kube            kubernetes.Interface
	configName      string
	secretNamespace string
	secretName      string
	// testNamespaces are tried in order for the dry run; the first that
	// exists and that the webhook covers is used.
	testNamespaces []string
	// denialMarks are strings of which one appears in a denial by this
	// webhook: webhook names and rule ids.
	denialMarks []string
	// kubectl is the kubectl command line (with --kubeconfig, --context)
	// for the commands verify prints.
	kubectl     string
	dialTimeout time.Duration
	// probe, when set, checks that a Service-registered webhook answers.
	probe    reviewProber
	warnings *warningRecorder
	now      time.Time
}

// checks runs every webhook check. Without a configuration there is
// nothing more to check, and nothing to unblock.
func (v *webhookVerifier) checks(ctx context.Context) []Check {
	c := Check{Section: SectionWebhook, Name: "configuration"}
	vwc, err := v.kube.AdmissionregistrationV1().ValidatingWebhookConfigurations().Get(ctx, v.configName, metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		c.Status, c.Message = StatusFail, fmt.Sprintf("ValidatingWebhookConfiguration %s not found: nothing enforces the policies at admission", v.configName)
		return []Check{c}
	case err != nil:
		c.Status, c.Message = StatusFail, fmt.Sprintf("get ValidatingWebhookConfiguration %s: %v", v.configName, err)
		return []Check{c}
	}
	names := make([]string, len(vwc.Webhooks))
	for i, wh := range vwc.Webhooks {
		names[i] = wh.Name
	}
	c.Status = StatusPass
	c.Message = fmt.Sprintf("ValidatingWebhookConfiguration %s: %s", v.configName, strings.Join(names, ", "))
	if len(vwc.Webhooks) == 0 {
		c.Status, c.Message = StatusFail, fmt.Sprintf("ValidatingWebhookConfiguration %s has no webhooks", v.configName)
		return []Check{c}
	}
	checks := []Check{c}
	for i := range vwc.Webhooks {
		wh := &vwc.Webhooks[i]
		label := func(name string) string {
			if len(vwc.Webhooks) == 1 {
				return name
			}
			return name + " (" + wh.Name + ")"
		}
		sc := v.fetchServingCert(ctx, wh)
		served := v.endpointsCheck(ctx, label("endpoints"), wh, sc)
		if served.Status == StatusFail {
			served.Details = v.notServed(vwc)
		}
		checks = append(checks,
			caBundleCheck(label("caBundle"), wh, sc, v.now),
			expiryCheck(label("certificate expiry"), sc, v.now),
			served,
			failurePolicyCheck(label("failure policy"), wh),
		)
	}
	return append(checks, v.dryRunCheck(ctx, vwc))
}

// endpointsCheck: a Service-registered webhook needs ready endpoints; a
// URL-registered one must answer a TLS dial.
func (v *webhookVerifier) endpointsCheck(ctx context.Context, name string, wh *admissionregistrationv1.ValidatingWebhook, sc servingCert) Check {
	c := Check{Section: SectionWebhook, Name: name}
	svc := wh.ClientConfig.Service
	if svc == nil {
		if sc.DialErr != nil {
			c.Status, c.Message = StatusFail, fmt.Sprintf("url-registered webhook: no Service; %s unreachable: %v", sc.URL, sc.DialErr)
			return c
		}
		c.Status, c.Message = StatusPass, fmt.Sprintf("url-registered webhook: no Service; %s reachable (TLS handshake)", sc.URL)
		return c
	}
	ref := svc.Namespace + "/" + svc.Name
	if _, err := v.kube.CoreV1().Services(svc.Namespace).Get(ctx, svc.Name, metav1.GetOptions{}); err != nil {
		c.Status, c.Message = StatusFail, fmt.Sprintf("Service %s: %v", ref, err)
		return c
	}
	list, err := v.kube.DiscoveryV1().EndpointSlices(svc.Namespace).List(ctx, metav1.ListOptions{LabelSelector: discoveryv1.LabelServiceName + "=" + svc.Name})
	if err != nil {
		c.Status, c.Message = StatusFail, fmt.Sprintf("list EndpointSlices of Service %s: %v", ref, err)
		return c
	}
	eps := make([]*discoveryv1.EndpointSlice, len(list.Items))
	for i := range list.Items {
		eps[i] = &list.Items[i]
	}
	ready, total := countEndpoints(eps)
	if ready == 0 {
		c.Status, c.Message = StatusFail, fmt.Sprintf("Service %s has no ready endpoints (%d in total): the API server cannot reach the webhook", ref, total)
		return c
	}
	if v.probe != nil {
		probeCtx, cancel := context.WithTimeout(ctx, v.dialTimeout)
		defer cancel()
		if err := v.probe(probeCtx, svc); err != nil {
			c.Status, c.Message = StatusFail, fmt.Sprintf("Service %s: %d/%d endpoints ready, but none answers an AdmissionReview through the API server: %s",
				ref, ready, total, cmdutil.Shorten(err.Error(), 200))
			return c
		}
		c.Status, c.Message = StatusPass, fmt.Sprintf("Service %s: %d/%d endpoints ready, answering AdmissionReviews", ref, ready, total)
		return c
	}
	c.Status, c.Message = StatusPass, fmt.Sprintf("Service %s: %d/%d endpoints ready", ref, ready, total)
	return c
}

// failurePolicyCheck shows the failure policy, timeout and excluded
// namespaces; Ignore warns, as requests then pass unchecked while the
// webhook is down.
func failurePolicyCheck(name string, wh *admissionregistrationv1.ValidatingWebhook) Check {
	policy := admissionregistrationv1.Fail
	if wh.FailurePolicy != nil {
		policy = *wh.FailurePolicy
	}
	msg := "failurePolicy " + string(policy)
	if wh.TimeoutSeconds != nil {
		msg += fmt.Sprintf(", timeout %ds", *wh.TimeoutSeconds)
	}
	excluded := excludedNamespaces(wh.NamespaceSelector)
	if len(excluded) == 0 {
		msg += ", no namespace excluded"
	} else {
		msg += ", excluded namespaces: " + strings.Join(excluded, ", ")
	}
	c := Check{Section: SectionWebhook, Name: name, Status: StatusPass, Message: msg}
	if policy == admissionregistrationv1.Ignore {
		c.Status = StatusWarn
		c.Details = []string{"with Ignore, writes pass unchecked whenever the webhook is unreachable"}
	}
	return c
}

// excludedNamespaces lists the values of the selector's NotIn
// requirements, prefixed by the label key unless it is the namespace name.
func excludedNamespaces(sel *metav1.LabelSelector) []string {
	if sel == nil {
		return nil
	}
	var out []string
	for _, req := range sel.MatchExpressions {
		if req.Operator != metav1.LabelSelectorOpNotIn {
			continue
		}
		for _, val := range req.Values {
			if req.Key == "kubernetes.io/metadata.name" {
				out = append(out, val)
				continue
			}
			out = append(out, req.Key+"="+val)
		}
	}
	return out
}

// unblockCommands are the two ways out when a failurePolicy=Fail webhook
// is down and refuses every matching write.
func (v *webhookVerifier) unblockCommands(vwc *admissionregistrationv1.ValidatingWebhookConfiguration) []string {
	ops := make([]string, len(vwc.Webhooks))
	for i := range vwc.Webhooks {
		ops[i] = fmt.Sprintf(`{"op":"replace","path":"/webhooks/%d/failurePolicy","value":"Ignore"}`, i)
	}
	return []string{
		"the webhook is unreachable, so the API server refuses every write it covers; to unblock the cluster, remove the webhook:",
		"  " + v.kubectl + " delete validatingwebhookconfiguration " + vwc.Name,
		"or keep it and let writes through unchecked until it is back:",
		"  " + v.kubectl + " patch validatingwebhookconfiguration " + vwc.Name + " --type=json -p '[" + strings.Join(ops, ",") + "]'",
	}
}
