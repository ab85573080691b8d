package webhook_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"
)

// compliantDeployment is the benchmark's compliant Deployment, renamed into ns.
func compliantDeployment(t *testing.T, ns, name string) *unstructured.Unstructured {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "bench", "deployment.yaml"))
	require.NoError(t, err)
	first := raw
	if i := bytes.Index(raw, []byte("\n---")); i >= 0 {
		first = raw[:i]
	}
	u := &unstructured.Unstructured{}
	require.NoError(t, yaml.Unmarshal(first, &u.Object))
	u.SetNamespace(ns)
	u.SetName(name)
	return u
}

// withoutProbes removes the probes of the Deployment's container.
func withoutProbes(t *testing.T, d *unstructured.Unstructured) *unstructured.Unstructured {
	t.Helper()
	containers, _, err := unstructured.NestedSlice(d.Object, "spec", "template", "spec", "containers")
	require.NoError(t, err)
	c := containers[0].(map[string]any)
	delete(c, "livenessProbe")
	delete(c, "readinessProbe")
	require.NoError(t, unstructured.SetNestedSlice(d.Object, containers, "spec", "template", "spec", "containers"))
	return d
}

func podWithoutProbes(ns, name string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "registry.example.com/app:1.0"}}},
	}
}

// namespaceWithDefaultDeny creates a namespace (with labels) and its
// default-deny NetworkPolicy, so workloads in it only lack what a test removes.
func namespaceWithDefaultDeny(t *testing.T, c client.Client, name string, labels map[string]string) {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}))
	require.NoError(t, c.Create(ctx, defaultDeny(name)))
}

func defaultDeny(ns string) *networkingv1.NetworkPolicy {
	return &networkingv1.NetworkPolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "default-deny"},
		Spec: networkingv1.NetworkPolicySpec{
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress},
		},
	}
}

// bindClusterRole binds a ClusterRole to a user in one namespace.
func bindClusterRole(t *testing.T, c client.Client, ns, user, role string) {
	t.Helper()
	require.NoError(t, c.Create(context.Background(), &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: user + "-" + role},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "ClusterRole", Name: role},
		Subjects:   []rbacv1.Subject{{APIGroup: rbacv1.GroupName, Kind: rbacv1.UserKind, Name: user}},
	}))
}

// warningRecorder collects the warnings the API server returns to a client.
type warningRecorder struct{ warnings []string }

func (w *warningRecorder) HandleWarningHeader(_ int, _ string, text string) {
	w.warnings = append(w.warnings, text)
}
