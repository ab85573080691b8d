package apply

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"
)

// Results of applying one object, as kubectl prints them.
const (
	resultCreated    = "created"
	resultConfigured = "configured"
	resultUnchanged  = "unchanged"
	resultPruned     = "pruned"
)

// appliedObject is one object the run sent, and what happened to it.
type appliedObject struct {
	obj     *unstructured.Unstructured
	mapping *meta.RESTMapping
	result  string
}

// ref is how kubectl names an object: deployment.apps/feastflow-backend.
func (a appliedObject) ref() string { return resourceRef(a.mapping, a.obj.GetName()) }

func resourceRef(m *meta.RESTMapping, name string) string {
	gr := m.Resource.GroupResource()
	kind := strings.ToLower(m.GroupVersionKind.Kind)
	if gr.Group != "" {
		kind += "." + gr.Group
	}
	return kind + "/" + name
}

// resourceFor is the dynamic client of obj's resource, in its namespace
// (given the run's default when a namespaced object names none).
func (a *applier) resourceFor(obj *unstructured.Unstructured) (dynamic.ResourceInterface, *meta.RESTMapping, error) {
	gvk := obj.GroupVersionKind()
	m, err := a.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %w", gvk.Kind, obj.GetName(), err)
	}
	if m.Scope.Name() != meta.RESTScopeNameNamespace {
		obj.SetNamespace("")
		return a.dyn.Resource(m.Resource), m, nil
	}
	if obj.GetNamespace() == "" {
		obj.SetNamespace(a.o.namespace)
	}
	return a.dyn.Resource(m.Resource).Namespace(obj.GetNamespace()), m, nil
}

// getLive reads obj's live version; exists is false when there is none.
func (a *applier) getLive(ctx context.Context, obj *unstructured.Unstructured) (dynamic.ResourceInterface, appliedObject, *unstructured.Unstructured, error) {
	ri, m, err := a.resourceFor(obj)
	if err != nil {
		return nil, appliedObject{}, nil, err
	}
	done := appliedObject{obj: obj, mapping: m}
	live, err := ri.Get(ctx, obj.GetName(), metav1.GetOptions{})
	switch {
	case apierrors.IsNotFound(err):
		return ri, done, nil, nil
	case err != nil:
		return nil, done, nil, fmt.Errorf("get %s: %w", done.ref(), err)
	}
	return ri, done, live, nil
}

// applyObject server-side applies obj and classifies the result by
// comparing the object before and after (dry runs change no
// resourceVersion, so the content is what is compared).
func (a *applier) applyObject(ctx context.Context, obj *unstructured.Unstructured) (appliedObject, []string, error) {
	ri, done, live, err := a.getLive(ctx, obj)
	if err != nil {
		return done, nil, err
	}
	existed := live != nil
	body, err := json.Marshal(obj.Object)
	if err != nil {
		return done, nil, fmt.Errorf("encode %s: %w", done.ref(), err)
	}
	force := a.o.ForceConflicts
	opts := metav1.PatchOptions{FieldManager: FieldManager, Force: &force, DryRun: a.dryRun()}
	after, err := ri.Patch(ctx, obj.GetName(), types.ApplyPatchType, body, opts)
	switch {
	case apierrors.IsConflict(err):
		return done, nil, fmt.Errorf("%s: %w\nThe fields above are owned by another field manager; rerun with --force-conflicts to take them", done.ref(), err)
	case err != nil:
		return done, nil, fmt.Errorf("apply %s: %w", done.ref(), err)
	}
	if !existed {
		done.result = resultCreated
		return done, nil, nil
	}
	changed := changedFields(live.Object, after.Object)
	done.result = resultConfigured
	if len(changed) == 0 {
		done.result = resultUnchanged
	}
	return done, changed, nil
}

// volatile fields change on every write or are the server's own.
var volatile = []string{"resourceVersion", "managedFields", "generation", "creationTimestamp", "uid"}

// changedFields lists the top-level and second-level fields (spec.replicas,
// metadata.labels) that differ between two versions of an object.
func changedFields(before, after map[string]any) []string {
	var out []string
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	for k := range keys {
		if k == "status" {
			continue
		}
		b, _ := before[k].(map[string]any)
		n, _ := after[k].(map[string]any)
		if b == nil || n == nil {
			if !equality.Semantic.DeepEqual(before[k], after[k]) {
				out = append(out, k)
			}
			continue
		}
		for _, sub := range changedSubfields(k, b, n) {
			out = append(out, k+"."+sub)
		}
	}
	sort.Strings(out)
	return out
}

func changedSubfields(parent string, before, after map[string]any) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range []map[string]any{before, after} {
		for k := range m {
			if seen[k] || (parent == "metadata" && contains(volatile, k)) {
				continue
			}
			seen[k] = true
			if !equality.Semantic.DeepEqual(before[k], after[k]) {
				out = append(out, k)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
