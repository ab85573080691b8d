package plugin

import (
	"context"
	"fmt"
	"slices"
	"sort"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
)

// liveKind is a kind verify lists from the cluster.
type liveKind struct {
	GVR  schema.GroupVersionResource
	Kind string
}

// liveKinds are the namespaced kinds verify reads: the workloads and
// ConfigMaps the catalog checks, the Services, NetworkPolicies and
// LimitRanges cross-object rules read, and the EndpointSlices behind
// Services. Secrets are never listed: no rule reads them from a cluster,
// and verify never holds a secret value.
var liveKinds = []liveKind{
	{schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}, "Deployment"},
	{schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "statefulsets"}, "StatefulSet"},
	{schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "daemonsets"}, "DaemonSet"},
	{schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "replicasets"}, "ReplicaSet"},
	{schema.GroupVersionResource{Group: "batch", Version: "v1", Resource: "jobs"}, "Job"},
	{schema.GroupVersionResource{Group: "batch", Version: "v1", Resource: "cronjobs"}, "CronJob"},
	{schema.GroupVersionResource{Version: "v1", Resource: "pods"}, "Pod"},
	{schema.GroupVersionResource{Version: "v1", Resource: "configmaps"}, "ConfigMap"},
	{schema.GroupVersionResource{Version: "v1", Resource: "services"}, "Service"},
	{schema.GroupVersionResource{Version: "v1", Resource: "limitranges"}, "LimitRange"},
	{schema.GroupVersionResource{Group: "networking.k8s.io", Version: "v1", Resource: "networkpolicies"}, "NetworkPolicy"},
	{schema.GroupVersionResource{Group: "discovery.k8s.io", Version: "v1", Resource: "endpointslices"}, "EndpointSlice"},
}

var namespacesGVR = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}

// clusterSnapshot is what verify read from the cluster, listed once and
// shared by the checks.
type clusterSnapshot struct {
	// Namespaces in scope, sorted by name.
	Namespaces []*unstructured.Unstructured
	// objects by kind, sorted by namespace and name.
	objects map[string][]*unstructured.Unstructured
}

// Objects returns the listed objects of kind.
func (s *clusterSnapshot) Objects(kind string) []*unstructured.Unstructured {
	return s.objects[kind]
}

// NamespaceNames returns the names of the namespaces in scope.
func (s *clusterSnapshot) NamespaceNames() []string {
	out := make([]string, len(s.Namespaces))
	for i, ns := range s.Namespaces {
		out[i] = ns.GetName()
	}
	return out
}

// snapshotScope says which namespaces to read: one namespace, or all of
// them but Skip.
type snapshotScope struct {
	Namespace     string
	AllNamespaces bool
	Skip          []string
}

// takeSnapshot lists every liveKinds kind in scope. Any error (no
// connection, no permission) is returned: verify cannot vouch for what it
// could not read.
func takeSnapshot(ctx context.Context, dyn dynamic.Interface, scope snapshotScope) (*clusterSnapshot, error) {
	s := &clusterSnapshot{objects: map[string][]*unstructured.Unstructured{}}
	if err := s.readNamespaces(ctx, dyn, scope); err != nil {
		return nil, err
	}
	inScope := map[string]bool{}
	for _, ns := range s.Namespaces {
		inScope[ns.GetName()] = true
	}
	listNS := scope.Namespace
	if scope.AllNamespaces {
		listNS = metav1.NamespaceAll
	}
	for _, k := range liveKinds {
		list, err := dyn.Resource(k.GVR).Namespace(listNS).List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", k.GVR.Resource, err)
		}
		for i := range list.Items {
			obj := &list.Items[i]
			if !inScope[obj.GetNamespace()] {
				continue
			}
			// Items of a list carry no apiVersion and kind in some clients.
			obj.SetAPIVersion(k.GVR.GroupVersion().String())
			obj.SetKind(k.Kind)
			s.objects[k.Kind] = append(s.objects[k.Kind], obj)
		}
		sortObjects(s.objects[k.Kind])
	}
	return s, nil
}

// readNamespaces fills s.Namespaces. A single namespace that cannot be read
// for lack of permission is kept by name only: its labels are unknown.
func (s *clusterSnapshot) readNamespaces(ctx context.Context, dyn dynamic.Interface, scope snapshotScope) error {
	if !scope.AllNamespaces {
		ns, err := dyn.Resource(namespacesGVR).Get(ctx, scope.Namespace, metav1.GetOptions{})
		switch {
		case apierrors.IsForbidden(err):
			ns = &unstructured.Unstructured{}
			ns.SetName(scope.Namespace)
		case apierrors.IsNotFound(err):
			return fmt.Errorf("namespace %q not found", scope.Namespace)
		case err != nil:
			return fmt.Errorf("get namespace %s: %w", scope.Namespace, err)
		}
		ns.SetAPIVersion("v1")
		ns.SetKind("Namespace")
		s.Namespaces = []*unstructured.Unstructured{ns}
		return nil
	}
	list, err := dyn.Resource(namespacesGVR).List(ctx, metav1.ListOptions{})
	if err != nil {
		return fmt.Errorf("list namespaces: %w", err)
	}
	for i := range list.Items {
		ns := &list.Items[i]
		if slices.Contains(scope.Skip, ns.GetName()) {
			continue
		}
		ns.SetAPIVersion("v1")
		ns.SetKind("Namespace")
		s.Namespaces = append(s.Namespaces, ns)
	}
	sortObjects(s.Namespaces)
	return nil
}

func sortObjects(objs []*unstructured.Unstructured) {
	sort.Slice(objs, func(i, j int) bool {
		if objs[i].GetNamespace() != objs[j].GetNamespace() {
			return objs[i].GetNamespace() < objs[j].GetNamespace()
		}
		return objs[i].GetName() < objs[j].GetName()
	})
}

// controllerKind returns the kind of obj's controlling owner, "" if none.
func controllerKind(obj *unstructured.Unstructured) string {
	if ref := metav1.GetControllerOfNoCopy(obj); ref != nil {
		return ref.Kind
	}
	return ""
}

// topLevelWorkloads are the workloads someone wrote: ReplicaSets owned by
// a Deployment, Jobs owned by a CronJob and Pods with a controller are
// checked through their owner's template instead.
func (s *clusterSnapshot) topLevelWorkloads() []*unstructured.Unstructured {
	var out []*unstructured.Unstructured
	for _, kind := range []string{"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"} {
		for _, obj := range s.objects[kind] {
			if isControlled(obj) {
				continue
			}
			out = append(out, obj)
		}
	}
	return out
}

func isControlled(obj *unstructured.Unstructured) bool {
	owner := controllerKind(obj)
	switch obj.GetKind() {
	case "ReplicaSet":
		return owner == "Deployment"
	case "Job":
		return owner == "CronJob"
	case "Pod":
		return owner != ""
	}
	return false
}

// fromUnstructured converts a listed object to its typed form.
func fromUnstructured[T any](obj *unstructured.Unstructured) (*T, error) {
	out := new(T)
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(obj.Object, out); err != nil {
		return nil, fmt.Errorf("decode %s %s/%s: %w", obj.GetKind(), obj.GetNamespace(), obj.GetName(), err)
	}
	return out, nil
}

// describeObject names an object the way kubectl users read it:
// "Deployment shop/api".
func describeObject(kind, namespace, name string) string {
	if namespace == "" {
		return kind + " " + name
	}
	return kind + " " + namespace + "/" + name
}
