package policies

import (
	"fmt"
	"regexp"
	"sort"

	apimeta "k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/scheme"
)

// stableVersion matches GA API versions (v1, v2), not alphas or betas.
var stableVersion = regexp.MustCompile(`^v[0-9]+$`)

// BuiltinGVK returns the group, version and kind a front end lists or
// watches objects of a built-in kind through, from client-go's scheme:
// a GA version, the core group before named groups (an Event is a
// core/v1 Event), then the group sorted first. False for kinds that are
// not built in (custom resources) or have no GA version.
func BuiltinGVK(kind string) (schema.GroupVersionKind, bool) {
	var found []schema.GroupVersionKind
	for gvk := range scheme.Scheme.AllKnownTypes() {
		if gvk.Kind == kind && stableVersion.MatchString(gvk.Version) && gvk.Group != "extensions" {
			found = append(found, gvk)
		}
	}
	if len(found) == 0 {
		return schema.GroupVersionKind{}, false
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i].Group != found[j].Group {
			return found[i].Group < found[j].Group // "" (core) first
		}
		return found[i].Version > found[j].Version
	})
	return found[0], true
}

// BuiltinGVR is BuiltinGVK with the resource a client lists the kind at.
func BuiltinGVR(kind string) (schema.GroupVersionResource, bool) {
	gvk, ok := BuiltinGVK(kind)
	if !ok {
		return schema.GroupVersionResource{}, false
	}
	gvr, _ := apimeta.UnsafeGuessKindToResource(gvk)
	return gvr, true
}

// InventoryGVKs returns the GroupVersionKind of every kind a rule of the
// engine's mode reads from data.inventory, whether the configuration
// enables it or not: what a front end that reconfigures while it runs
// (Reconfigure) must watch, so that a rule switched on later finds its
// inventory complete. The error names the kinds that are not built in (a
// front end cannot list those without discovery).
func (e *Engine) InventoryGVKs() ([]schema.GroupVersionKind, error) {
	set := map[string]bool{}
	for _, r := range e.cur().rules {
		if r.AppliesTo(e.mode) {
			for _, k := range r.Inventory {
				set[k] = true
			}
		}
	}
	return builtinGVKs(sortedKindSet(set))
}

func builtinGVKs(kinds []string) ([]schema.GroupVersionKind, error) {
	var out []schema.GroupVersionKind
	var unknown []string
	for _, k := range kinds {
		gvk, ok := BuiltinGVK(k)
		if !ok {
			unknown = append(unknown, k)
			continue
		}
		out = append(out, gvk)
	}
	if len(unknown) > 0 {
		return out, fmt.Errorf("rules read kinds that are not built-in Kubernetes kinds: %v", unknown)
	}
	return out, nil
}
