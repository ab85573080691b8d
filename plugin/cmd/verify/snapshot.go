package verify

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

	"github.com/feastflow/kubectl-feastflow/policies"
)

// liveKind is a kind verify lists from the cluster.
type liveKind struct {
	GVR  schema.GroupVersionResource
	Kind string
}

// ownCheckKinds are the kinds verify's own checks read besides the
// catalog's: Services, their EndpointSlices and NetworkPolicies (network
// checks) and Pods (rollout checks).
var ownCheckKinds = []string{"Service", "EndpointSlice", "NetworkPolicy", "Pod"}

// liveKinds are the namespaced kinds verify reads: those the catalog's
// cluster rules apply to or read from the inventory (Engine.Kinds and
// Engine.InventoryKinds) and ownCheckKinds. Namespaces are read apart;
// Secrets are listed only if a cluster rule names them (none does: verify
// never holds a secret value). Kinds that are not built in are skipped:
// verify lists through client-go's built-in types.
func liveKinds(engine *policies.Engine) []liveKind {
	kinds := append(append(engine.Kinds(), engine.InventoryKinds()...), ownCheckKinds...)
	slices.Sort(kinds)
	var out []liveKind
	for _, kind := range slices.Compact(kinds) {
		gvr, ok := policies.BuiltinGVR(kind)
		if !ok || kind == "Namespace" || policies.IsClusterScoped(kind) {
			continue
		}
		out = append(out, liveKind{GVR: gvr, Kind: kind})
	}
	return out
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

// takeSnapshot lists every kind of kinds in scope. Any error (no
// connection, no permission) is returned: verify cannot vouch for what it
// could not read.
func takeSnapshot(ctx context.Context, dyn dynamic.Interface, scope snapshotScope, kinds []liveKind) (*clusterSnapshot, error) {
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
	for _, k := range kinds {
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
	for _, kind := range policies.WorkloadKinds {
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
