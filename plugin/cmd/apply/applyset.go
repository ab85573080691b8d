package apply

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"

	"github.com/feastflow/kubectl-feastflow/internal/buildinfo"
)

// Labels and annotations of kubectl's ApplySet specification (KEP-3659), so
// that kubectl itself recognises what this tool applied.
const (
	applySetPartOfLabel          = "applyset.kubernetes.io/part-of"
	applySetIDLabel              = "applyset.kubernetes.io/id"
	applySetToolingAnnotation    = "applyset.kubernetes.io/tooling"
	applySetGroupKindsAnnotation = "applyset.kubernetes.io/contains-group-kinds"
	applySetNamespacesAnnotation = "applyset.kubernetes.io/additional-namespaces"
)

// applySet is a parent Secret that records which group-kinds and
// namespaces this tool applied objects to; members carry its id as a label.
type applySet struct {
	name, namespace string
	id              string
	previousKinds   []string
	previousNS      []string
}

func newApplySet(name, namespace string) *applySet {
	sum := sha256.Sum256([]byte(strings.Join([]string{name, namespace, "Secret", ""}, ".")))
	return &applySet{name: name, namespace: namespace,
		id: "applyset-" + base64.RawURLEncoding.EncodeToString(sum[:]) + "-v1"}
}

func (s *applySet) label(obj *unstructured.Unstructured) {
	labels := obj.GetLabels()
	if labels == nil {
		labels = map[string]string{}
	}
	labels[applySetPartOfLabel] = s.id
	obj.SetLabels(labels)
}

// ensureParent reads what the parent recorded before, then writes the
// union of that and this run's kinds and namespaces, so that a run that
// fails half-way never leaves a member the parent does not cover.
func (s *applySet) ensureParent(ctx context.Context, a *applier, objects []*unstructured.Unstructured) error {
	secrets := a.client.CoreV1().Secrets(s.namespace)
	parent, err := secrets.Get(ctx, s.name, metav1.GetOptions{})
	switch {
	case err == nil:
		if tooling := parent.Annotations[applySetToolingAnnotation]; !strings.HasPrefix(tooling, FieldManager+"/") {
			return fmt.Errorf("applyset %s/%s is managed by %q, not %s", s.namespace, s.name, tooling, FieldManager)
		}
		s.previousKinds = splitList(parent.Annotations[applySetGroupKindsAnnotation])
		s.previousNS = splitList(parent.Annotations[applySetNamespacesAnnotation])
	case !apierrors.IsNotFound(err):
		return fmt.Errorf("get applyset parent: %w", err)
	}
	kinds, namespaces := s.scope(a, objects)
	return s.writeParent(ctx, a, union(kinds, s.previousKinds), union(namespaces, s.previousNS))
}

// recordApplied writes exactly this run's kinds and namespaces.
func (s *applySet) recordApplied(ctx context.Context, a *applier) error {
	objects := make([]*unstructured.Unstructured, len(a.applied))
	for i, o := range a.applied {
		objects[i] = o.obj
	}
	kinds, namespaces := s.scope(a, objects)
	return s.writeParent(ctx, a, kinds, namespaces)
}

func (s *applySet) scope(a *applier, objects []*unstructured.Unstructured) (kinds, namespaces []string) {
	for _, obj := range objects {
		gk := obj.GroupVersionKind().GroupKind()
		kinds = union(kinds, []string{gk.Kind + "." + gk.Group})
		if ns := obj.GetNamespace(); ns != "" && ns != s.namespace {
			namespaces = union(namespaces, []string{ns})
		}
	}
	for i, k := range kinds {
		kinds[i] = strings.TrimSuffix(k, ".")
	}
	return kinds, namespaces
}

func (s *applySet) writeParent(ctx context.Context, a *applier, kinds, namespaces []string) error {
	parent := map[string]any{
		"apiVersion": "v1", "kind": "Secret",
		"metadata": map[string]any{
			"name": s.name, "namespace": s.namespace,
			"labels": map[string]any{applySetIDLabel: s.id},
			"annotations": map[string]any{
				applySetToolingAnnotation:    FieldManager + "/" + buildinfo.Version(),
				applySetGroupKindsAnnotation: strings.Join(kinds, ","),
				applySetNamespacesAnnotation: strings.Join(namespaces, ","),
			},
		},
	}
	body, _ := json.Marshal(parent)
	force := true
	_, err := a.client.CoreV1().Secrets(s.namespace).Patch(ctx, s.name, types.ApplyPatchType, body,
		metav1.PatchOptions{FieldManager: FieldManager, Force: &force, DryRun: a.dryRun()})
	if err != nil {
		return fmt.Errorf("record applyset %s/%s: %w", s.namespace, s.name, err)
	}
	return nil
}

// prune deletes members of the set, of any kind and namespace the parent
// covers, that this run did not apply.
func (s *applySet) prune(ctx context.Context, a *applier) error {
	keep := map[string]bool{}
	for _, o := range a.applied {
		keep[o.mapping.Resource.String()+"|"+o.obj.GetNamespace()+"|"+o.obj.GetName()] = true
	}
	objects := make([]*unstructured.Unstructured, len(a.applied))
	for i, o := range a.applied {
		objects[i] = o.obj
	}
	current, _ := s.scope(a, objects)
	kinds := union(s.previousKinds, current)
	namespaces := union(s.previousNS, []string{s.namespace})
	var errs []error
	for _, gkText := range kinds {
		m, err := a.mapper.RESTMapping(schema.ParseGroupKind(gkText))
		if err != nil {
			errs = append(errs, fmt.Errorf("prune %s: %w", gkText, err))
			continue
		}
		scopes := namespaces
		if m.Scope.Name() != meta.RESTScopeNameNamespace {
			scopes = []string{""}
		}
		for _, ns := range scopes {
			errs = append(errs, s.pruneIn(ctx, a, m, ns, keep))
		}
	}
	return errors.Join(errs...)
}

func (s *applySet) pruneIn(ctx context.Context, a *applier, m *meta.RESTMapping, ns string, keep map[string]bool) error {
	ri := a.dyn.Resource(m.Resource).Namespace(ns)
	list, err := ri.List(ctx, metav1.ListOptions{LabelSelector: applySetPartOfLabel + "=" + s.id})
	if err != nil {
		return fmt.Errorf("list %s to prune: %w", m.Resource.Resource, err)
	}
	for _, item := range list.Items {
		if keep[m.Resource.String()+"|"+item.GetNamespace()+"|"+item.GetName()] {
			continue
		}
		policy := metav1.DeletePropagationBackground
		err := ri.Delete(ctx, item.GetName(), metav1.DeleteOptions{PropagationPolicy: &policy, DryRun: a.dryRun()})
		if err != nil && !apierrors.IsNotFound(err) {
			return fmt.Errorf("prune %s: %w", resourceRef(m, item.GetName()), err)
		}
		fmt.Fprintln(a.o.Out, resourceRef(m, item.GetName())+" "+resultPruned+a.o.dryRunLabel())
	}
	return nil
}

// union returns the sorted, de-duplicated union of a and b.
func union(a, b []string) []string {
	set := map[string]bool{}
	for _, s := range append(append([]string(nil), a...), b...) {
		set[s] = true
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}
