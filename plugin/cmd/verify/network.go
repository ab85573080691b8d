package verify

import (
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// serviceChecks reports, per Service, whether its EndpointSlices hold a
// ready endpoint. ExternalName Services and headless Services without a
// selector have no endpoints to check and are skipped.
func serviceChecks(snap *clusterSnapshot) []Check {
	bySvc := slicesByService(snap)
	var checks []Check
	for _, obj := range snap.Objects("Service") {
		svc, err := fromUnstructured[corev1.Service](obj)
		if err != nil {
			checks = append(checks, Check{Section: SectionNetwork, Name: describeObject("Service", obj.GetNamespace(), obj.GetName()), Status: StatusFail, Message: err.Error()})
			continue
		}
		if svc.Spec.Type == corev1.ServiceTypeExternalName ||
			(svc.Spec.ClusterIP == corev1.ClusterIPNone && len(svc.Spec.Selector) == 0) {
			continue
		}
		checks = append(checks, serviceEndpointsCheck(svc, bySvc[svc.Namespace+"/"+svc.Name]))
	}
	return checks
}

func serviceEndpointsCheck(svc *corev1.Service, eps []*discoveryv1.EndpointSlice) Check {
	c := Check{Section: SectionNetwork, Name: describeObject("Service", svc.Namespace, svc.Name)}
	ready, total := countEndpoints(eps)
	switch {
	case ready > 0:
		c.Status, c.Message = StatusPass, fmt.Sprintf("%d/%d endpoints ready", ready, total)
	case len(svc.Spec.Selector) == 0:
		c.Status, c.Message = StatusFail, fmt.Sprintf("no ready endpoints (%d in total); the Service has no selector, so its EndpointSlices are managed by hand", total)
	default:
		c.Status, c.Message = StatusFail, fmt.Sprintf("no ready endpoints (%d in total) for selector %s", total, labels.Set(svc.Spec.Selector))
	}
	return c
}

// countEndpoints counts the ready and all endpoints of eps. An endpoint
// whose ready condition is unset counts as ready, as the API documents.
func countEndpoints(eps []*discoveryv1.EndpointSlice) (ready, total int) {
	for _, es := range eps {
		for _, ep := range es.Endpoints {
			total++
			if ep.Conditions.Ready == nil || *ep.Conditions.Ready {
				ready++
			}
		}
	}
	return ready, total
}

// slicesByService groups the snapshot's EndpointSlices by "ns/service".
func slicesByService(snap *clusterSnapshot) map[string][]*discoveryv1.EndpointSlice {
	out := map[string][]*discoveryv1.EndpointSlice{}
	for _, obj := range snap.Objects("EndpointSlice") {
		es, err := fromUnstructured[discoveryv1.EndpointSlice](obj)
		if err != nil {
			continue
		}
		svc := es.Labels[discoveryv1.LabelServiceName]
		if svc == "" {
			continue
		}
		out[es.Namespace+"/"+svc] = append(out[es.Namespace+"/"+svc], es)
	}
	return out
}

// networkPolicyChecks computes NetworkPolicy coverage on the live Pods:
// per namespace with running Pods, a default-deny ingress policy exists,
// and every running Pod (host-network Pods aside, which policies cannot
// isolate) is selected by a policy with Ingress in its policyTypes.
func networkPolicyChecks(snap *clusterSnapshot) []Check {
	pods := podsByNamespace(snap)
	nps := map[string][]*networkingv1.NetworkPolicy{}
	var checks []Check
	for _, obj := range snap.Objects("NetworkPolicy") {
		np, err := fromUnstructured[networkingv1.NetworkPolicy](obj)
		if err != nil {
			checks = append(checks, Check{Section: SectionNetwork, Name: describeObject("NetworkPolicy", obj.GetNamespace(), obj.GetName()), Status: StatusFail, Message: err.Error()})
			continue
		}
		nps[np.Namespace] = append(nps[np.Namespace], np)
	}
	for _, ns := range snap.NamespaceNames() {
		running := runningPods(pods[ns])
		if len(running) == 0 {
			continue
		}
		checks = append(checks, defaultDenyCheck(ns, nps[ns]), coverageCheck(ns, running, nps[ns]))
	}
	return checks
}

func runningPods(pods []*corev1.Pod) []*corev1.Pod {
	var out []*corev1.Pod
	for _, pod := range pods {
		if pod.Status.Phase == corev1.PodRunning && !pod.Spec.HostNetwork {
			out = append(out, pod)
		}
	}
	return out
}

func defaultDenyCheck(ns string, nps []*networkingv1.NetworkPolicy) Check {
	c := Check{Section: SectionNetwork, Name: "default-deny ingress (" + ns + ")"}
	for _, np := range nps {
		if isDefaultDenyIngress(np) {
			c.Status, c.Message = StatusPass, "NetworkPolicy "+np.Name+" denies all ingress not allowed by another policy"
			return c
		}
	}
	c.Status = StatusFail
	c.Message = "no default-deny ingress NetworkPolicy (empty podSelector, Ingress in policyTypes, no ingress rules)"
	return c
}

// isDefaultDenyIngress: empty podSelector, Ingress in policyTypes, no
// ingress rules.
func isDefaultDenyIngress(np *networkingv1.NetworkPolicy) bool {
	sel := np.Spec.PodSelector
	return len(sel.MatchLabels) == 0 && len(sel.MatchExpressions) == 0 &&
		policiesIngress(np) && len(np.Spec.Ingress) == 0
}

// policiesIngress reports whether np restricts ingress: Ingress is in its
// policyTypes, or policyTypes is empty (the API server then defaults it
// to Ingress, plus Egress when egress rules are given).
func policiesIngress(np *networkingv1.NetworkPolicy) bool {
	return len(np.Spec.PolicyTypes) == 0 || slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeIngress)
}

func coverageCheck(ns string, pods []*corev1.Pod, nps []*networkingv1.NetworkPolicy) Check {
	c := Check{Section: SectionNetwork, Name: "NetworkPolicy coverage (" + ns + ")", Status: StatusPass}
	for _, pod := range pods {
		if !selectedForIngress(pod, nps) {
			c.Details = append(c.Details, fmt.Sprintf("Pod %s (labels %s) is selected by no ingress NetworkPolicy", pod.Name, labels.Set(pod.Labels)))
		}
	}
	c.Message = fmt.Sprintf("%d/%d running Pods selected by an ingress NetworkPolicy", len(pods)-len(c.Details), len(pods))
	if len(c.Details) > 0 {
		c.Status = StatusFail
	}
	return c
}

// selectedForIngress reports whether a policy restricting ingress selects
// pod, with the API's label selector semantics. A policy whose selector
// does not parse selects nothing, as the network plugin would treat it.
func selectedForIngress(pod *corev1.Pod, nps []*networkingv1.NetworkPolicy) bool {
	for _, np := range nps {
		if !policiesIngress(np) {
			continue
		}
		sel, err := metav1.LabelSelectorAsSelector(&np.Spec.PodSelector)
		if err != nil {
			continue
		}
		if sel.Matches(labels.Set(pod.Labels)) {
			return true
		}
	}
	return false
}
