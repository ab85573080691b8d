package apivalidation

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
)

// lifecycle is when the API server serves one group/version/kind, from
// k8s.io/api's generated prerelease-lifecycle functions
// (APILifecycleIntroduced, Deprecated, Removed, Replacement). Kinds without
// them (most GA kinds) are served at every release.
type lifecycle struct {
	introduced, deprecated, removed Version
	replacement                     schema.GroupVersionKind
}

func (l lifecycle) servedAt(v Version) bool {
	return (l.introduced.isZero() || !v.Before(l.introduced)) && (l.removed.isZero() || v.Before(l.removed))
}

// apiIndex is every versioned kind the API server's scheme registers.
type apiIndex struct {
	kinds  map[schema.GroupVersionKind]lifecycle
	byKind map[string][]schema.GroupVersionKind // lower-case kind
	groups map[string]bool
	gvs    map[schema.GroupVersion][]schema.GroupVersionKind
}

var (
	indexOnce sync.Once
	index     *apiIndex
)

var metaPkg = reflect.TypeFor[metav1.Status]().PkgPath()

// apis indexes legacyscheme: the kinds of every installed group version,
// without internal versions, list kinds and the meta/v1 request options
// every group version registers.
func apis() *apiIndex {
	indexOnce.Do(func() {
		index = &apiIndex{
			kinds: map[schema.GroupVersionKind]lifecycle{}, byKind: map[string][]schema.GroupVersionKind{},
			groups: map[string]bool{}, gvs: map[schema.GroupVersion][]schema.GroupVersionKind{},
		}
		for gvk, t := range legacyscheme.Scheme.AllKnownTypes() {
			if gvk.Version == runtime.APIVersionInternal || t.PkgPath() == metaPkg || strings.HasSuffix(gvk.Kind, "List") {
				continue
			}
			index.kinds[gvk] = lifecycleOf(reflect.New(t).Interface())
			lower := strings.ToLower(gvk.Kind)
			index.byKind[lower] = append(index.byKind[lower], gvk)
			index.groups[gvk.Group] = true
			index.gvs[gvk.GroupVersion()] = append(index.gvs[gvk.GroupVersion()], gvk)
		}
	})
	return index
}

func lifecycleOf(obj any) lifecycle {
	var l lifecycle
	if o, ok := obj.(interface{ APILifecycleIntroduced() (int, int) }); ok {
		l.introduced.Major, l.introduced.Minor = o.APILifecycleIntroduced()
	}
	if o, ok := obj.(interface{ APILifecycleDeprecated() (int, int) }); ok {
		l.deprecated.Major, l.deprecated.Minor = o.APILifecycleDeprecated()
	}
	if o, ok := obj.(interface{ APILifecycleRemoved() (int, int) }); ok {
		l.removed.Major, l.removed.Minor = o.APILifecycleRemoved()
	}
	if o, ok := obj.(interface {
		APILifecycleReplacement() schema.GroupVersionKind
	}); ok {
		l.replacement = o.APILifecycleReplacement()
	}
	return l
}

// APIStatus is the verdict on an object's apiVersion and kind.
type APIStatus struct {
	// Served: the target release serves this apiVersion and kind.
	Served bool
	// Known: the kind is one of the API server's own (validation applies).
	Known bool
	// Message explains a kind that is not served, or served but
	// deprecated; empty otherwise.
	Message string
}

// CheckAPI says whether Kubernetes release v serves kind at apiVersion.
// Kinds of API groups Kubernetes does not define (custom resources) are
// served as far as it can tell: Served, not Known, no message. An
// apiVersion whose group cannot be a custom resource's (no dot in its name)
// or belongs to Kubernetes is not served unless Kubernetes serves the kind
// there; the message then names the served replacement, if any.
func CheckAPI(apiVersion, kind string, v Version) APIStatus {
	idx := apis()
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return APIStatus{Message: fmt.Sprintf("apiVersion %q is not a group/version: %v", apiVersion, err)}
	}
	gvk := gv.WithKind(kind)
	name := apiVersion + " " + kind
	if l, ok := idx.kinds[gvk]; ok {
		return idx.knownStatus(name, gvk, l, v)
	}
	builtinGroup := idx.groups[gv.Group]
	if !builtinGroup && strings.Contains(gv.Group, ".") {
		return APIStatus{Served: true} // a custom resource, or an aggregated API
	}
	if gvKinds, ok := idx.gvs[gv]; ok {
		if gone, ok := groupVersionRemoved(idx, gvKinds, v); ok {
			return APIStatus{Message: fmt.Sprintf("%s is not served by Kubernetes %s: %s was removed in %s; %s",
				name, v, apiVersion, gone, idx.suggest(kind, v))}
		}
		if v.Before(Built) {
			return APIStatus{Served: true} // kinds removed before this build are not in its scheme
		}
		return APIStatus{Message: fmt.Sprintf("%s is not served by Kubernetes %s: %s has no kind %s; %s", name, v, apiVersion, kind, idx.suggest(kind, v))}
	}
	reason := fmt.Sprintf("no API group %q", gv.Group)
	if builtinGroup {
		reason = fmt.Sprintf("API group %q has no version %s", gv.Group, gv.Version)
	}
	return APIStatus{Message: fmt.Sprintf("%s is not served by Kubernetes %s: %s; %s", name, v, reason, idx.suggest(kind, v))}
}

func (idx *apiIndex) knownStatus(name string, gvk schema.GroupVersionKind, l lifecycle, v Version) APIStatus {
	switch {
	case !l.introduced.isZero() && v.Before(l.introduced):
		return APIStatus{Message: fmt.Sprintf("%s is not served by Kubernetes %s: it was introduced in %s; %s", name, v, l.introduced, idx.suggest(gvk.Kind, v))}
	case !l.removed.isZero() && !v.Before(l.removed):
		return APIStatus{Message: fmt.Sprintf("%s is not served by Kubernetes %s: it was removed in %s; %s", name, v, l.removed, idx.replacementOf(gvk, v))}
	case !l.deprecated.isZero() && !v.Before(l.deprecated):
		msg := fmt.Sprintf("%s is deprecated since Kubernetes %s", name, l.deprecated)
		if !l.removed.isZero() {
			msg += fmt.Sprintf(" and is not served from %s", l.removed)
		}
		return APIStatus{Served: true, Known: true, Message: msg + "; " + idx.replacementOf(gvk, v)}
	}
	return APIStatus{Served: true, Known: true}
}

// replacementOf follows the declared replacements of gvk to one served at
// v, else suggests any served version of the kind.
func (idx *apiIndex) replacementOf(gvk schema.GroupVersionKind, v Version) string {
	seen := map[schema.GroupVersionKind]bool{}
	for cur := gvk; !cur.Empty() && !seen[cur]; {
		seen[cur] = true
		l, ok := idx.kinds[cur]
		if cur != gvk && ok && l.servedAt(v) {
			return "use " + cur.GroupVersion().String() + " " + cur.Kind
		}
		cur = l.replacement
	}
	return idx.suggest(gvk.Kind, v)
}

// suggest names the apiVersions that serve kind (any case) at v.
func (idx *apiIndex) suggest(kind string, v Version) string {
	var served []string
	for _, gvk := range idx.byKind[strings.ToLower(kind)] {
		if l := idx.kinds[gvk]; l.servedAt(v) && (l.deprecated.isZero() || v.Before(l.deprecated)) {
			served = append(served, gvk.GroupVersion().String()+" "+gvk.Kind)
		}
	}
	if len(served) == 0 {
		return fmt.Sprintf("no API of Kubernetes %s serves kind %s", v, kind)
	}
	sort.Strings(served)
	return "use " + strings.Join(served, " or ")
}

// groupVersionRemoved returns when every kind of a group version was
// removed, if they all were by v.
func groupVersionRemoved(idx *apiIndex, kinds []schema.GroupVersionKind, v Version) (Version, bool) {
	var last Version
	for _, gvk := range kinds {
		l := idx.kinds[gvk]
		if l.removed.isZero() || v.Before(l.removed) {
			return Version{}, false
		}
		if last.Before(l.removed) {
			last = l.removed
		}
	}
	return last, true
}
