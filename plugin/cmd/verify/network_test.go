package verify

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func serviceObject(t *testing.T, name string, mutate func(*corev1.Service)) *unstructured.Unstructured {
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "shop"},
		Spec: corev1.ServiceSpec{
			Selector: map[string]string{"app": name},
			Ports:    []corev1.ServicePort{{Port: 80}},
		},
	}
	if mutate != nil {
		mutate(svc)
	}
	return toUnstructured(t, svc, "v1", "Service")
}

func sliceObject(t *testing.T, service string, ready ...*bool) *unstructured.Unstructured {
	es := &discoveryv1.EndpointSlice{
		ObjectMeta: metav1.ObjectMeta{
			Name: service + "-abcde", Namespace: "shop",
			Labels: map[string]string{discoveryv1.LabelServiceName: service},
		},
		AddressType: discoveryv1.AddressTypeIPv4,
	}
	for _, r := range ready {
		es.Endpoints = append(es.Endpoints, discoveryv1.Endpoint{Addresses: []string{"10.0.0.1"}, Conditions: discoveryv1.EndpointConditions{Ready: r}})
	}
	return toUnstructured(t, es, "discovery.k8s.io/v1", "EndpointSlice")
}

func TestVerifyServiceEndpoints(t *testing.T) {
	yes, no := new(true), new(false)
	tests := []struct {
		name    string
		objs    []*unstructured.Unstructured
		status  CheckStatus
		message string
		skipped bool
	}{
		{name: "ready endpoint", objs: []*unstructured.Unstructured{serviceObject(t, "web", nil), sliceObject(t, "web", yes, no)},
			status: StatusPass, message: "1/2 endpoints ready"},
		{name: "unset ready condition counts as ready", objs: []*unstructured.Unstructured{serviceObject(t, "web", nil), sliceObject(t, "web", nil)},
			status: StatusPass, message: "1/1 endpoints ready"},
		{name: "no EndpointSlice", objs: []*unstructured.Unstructured{serviceObject(t, "web", nil)},
			status: StatusFail, message: "no ready endpoints (0 in total) for selector app=web"},
		{name: "only unready endpoints", objs: []*unstructured.Unstructured{serviceObject(t, "web", nil), sliceObject(t, "web", no)},
			status: StatusFail, message: "no ready endpoints (1 in total)"},
		{name: "slices of another service do not count", objs: []*unstructured.Unstructured{serviceObject(t, "web", nil), sliceObject(t, "api", yes)},
			status: StatusFail, message: "no ready endpoints"},
		{name: "selector-less service with manual slices", objs: []*unstructured.Unstructured{serviceObject(t, "web", func(s *corev1.Service) { s.Spec.Selector = nil })},
			status: StatusFail, message: "managed by hand"},
		{name: "ExternalName is skipped", objs: []*unstructured.Unstructured{serviceObject(t, "web", func(s *corev1.Service) {
			s.Spec.Type, s.Spec.ExternalName = corev1.ServiceTypeExternalName, "example.com"
		})}, skipped: true},
		{name: "headless without selector is skipped", objs: []*unstructured.Unstructured{serviceObject(t, "web", func(s *corev1.Service) {
			s.Spec.ClusterIP, s.Spec.Selector = corev1.ClusterIPNone, nil
		})}, skipped: true},
		{name: "headless with selector is checked", objs: []*unstructured.Unstructured{serviceObject(t, "web", func(s *corev1.Service) {
			s.Spec.ClusterIP = corev1.ClusterIPNone
		}), sliceObject(t, "web", yes)}, status: StatusPass, message: "1/1 endpoints ready"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := snapshotOf(t, "shop", append([]*unstructured.Unstructured{namespaceObject("shop", nil)}, tt.objs...)...)
			checks := serviceChecks(snap)
			if tt.skipped {
				assert.Empty(t, checks)
				return
			}
			c := checkNamed(t, checks, SectionNetwork, "Service shop/web")
			assert.Equal(t, tt.status, c.Status, c.Message)
			assert.Contains(t, c.Message, tt.message)
		})
	}
}

func podObject(t *testing.T, name string, podLabels map[string]string, mutate func(*corev1.Pod)) *unstructured.Unstructured {
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "shop", Labels: podLabels},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "app:1"}}},
		Status: corev1.PodStatus{
			Phase:      corev1.PodRunning,
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}},
		},
	}
	if mutate != nil {
		mutate(pod)
	}
	return toUnstructured(t, pod, "v1", "Pod")
}

func netpolObject(t *testing.T, name string, spec networkingv1.NetworkPolicySpec) *unstructured.Unstructured {
	np := &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "shop"}, Spec: spec}
	return toUnstructured(t, np, "networking.k8s.io/v1", "NetworkPolicy")
}

func TestVerifyNetworkPolicyCoverage(t *testing.T) {
	ingress := []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
	egress := []networkingv1.PolicyType{networkingv1.PolicyTypeEgress}
	defaultDeny := netpolObject(t, "default-deny", networkingv1.NetworkPolicySpec{PolicyTypes: ingress})
	allowAPI := netpolObject(t, "allow-api", networkingv1.NetworkPolicySpec{
		PodSelector: metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "app", Operator: metav1.LabelSelectorOpIn, Values: []string{"api", "worker"}},
		}},
		Ingress: []networkingv1.NetworkPolicyIngressRule{{}},
	})
	apiPod := podObject(t, "api-1", map[string]string{"app": "api"}, nil)
	webPod := podObject(t, "web-1", map[string]string{"app": "web"}, nil)
	tests := []struct {
		name                  string
		objs                  []*unstructured.Unstructured
		denyStatus, covStatus CheckStatus
		uncovered             []string
	}{
		{name: "default deny covers every pod", objs: []*unstructured.Unstructured{defaultDeny, apiPod, webPod},
			denyStatus: StatusPass, covStatus: StatusPass},
		{name: "matchExpressions select api only", objs: []*unstructured.Unstructured{allowAPI, apiPod, webPod},
			denyStatus: StatusFail, covStatus: StatusFail, uncovered: []string{"web-1"}},
		{name: "egress-only policy covers no ingress", objs: []*unstructured.Unstructured{
			netpolObject(t, "egress", networkingv1.NetworkPolicySpec{PolicyTypes: egress}), apiPod},
			denyStatus: StatusFail, covStatus: StatusFail, uncovered: []string{"api-1"}},
		{name: "empty podSelector with an allow-all rule is no default deny", objs: []*unstructured.Unstructured{
			netpolObject(t, "allow-all", networkingv1.NetworkPolicySpec{PolicyTypes: ingress, Ingress: []networkingv1.NetworkPolicyIngressRule{{}}}), apiPod},
			denyStatus: StatusFail, covStatus: StatusPass},
		{name: "pending, succeeded and host-network pods are not counted", objs: []*unstructured.Unstructured{defaultDeny, apiPod,
			podObject(t, "pending", nil, func(p *corev1.Pod) { p.Status.Phase = corev1.PodPending }),
			podObject(t, "host", nil, func(p *corev1.Pod) { p.Spec.HostNetwork = true }),
		}, denyStatus: StatusPass, covStatus: StatusPass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := snapshotOf(t, "shop", append([]*unstructured.Unstructured{namespaceObject("shop", nil)}, tt.objs...)...)
			checks := networkPolicyChecks(snap)
			require.Len(t, checks, 2)
			deny := checkNamed(t, checks, SectionNetwork, "default-deny ingress (shop)")
			assert.Equal(t, tt.denyStatus, deny.Status, deny.Message)
			cov := checkNamed(t, checks, SectionNetwork, "NetworkPolicy coverage (shop)")
			assert.Equal(t, tt.covStatus, cov.Status, cov.Message)
			require.Len(t, cov.Details, len(tt.uncovered))
			for i, pod := range tt.uncovered {
				assert.Contains(t, cov.Details[i], "Pod "+pod+" ")
			}
		})
	}
}

func TestVerifyNetworkPolicyCoverageSkipsNamespacesWithoutRunningPods(t *testing.T) {
	snap := snapshotOf(t, "shop", namespaceObject("shop", nil))
	assert.Empty(t, networkPolicyChecks(snap))
}
