package policies

// Inventory is the set of other objects cross-object rules see under
// data.inventory, shaped like Gatekeeper's:
//
//	data.inventory.namespace[<namespace>][<apiVersion>][<kind>][<name>]
//	data.inventory.cluster[<apiVersion>][<kind>][<name>]
//
// Objects are projected to what rules need: workloads keep metadata,
// selector and pod-template metadata; Secrets keep their keys, never values.
type Inventory struct {
	namespaced map[string]any
	cluster    map[string]any
}

// NewInventory returns an empty inventory.
func NewInventory() *Inventory {
	return &Inventory{namespaced: map[string]any{}, cluster: map[string]any{}}
}

func emptyInventory() map[string]any {
	return map[string]any{"namespace": map[string]any{}, "cluster": map[string]any{}}
}

// Add records obj under ref (from Engine.ObjectRef). Not safe for concurrent use.
func (inv *Inventory) Add(ref ObjectRef, obj map[string]any) {
	root := inv.cluster
	if ref.Namespace != "" {
		root = child(inv.namespaced, ref.Namespace)
	}
	child(child(root, ref.APIVersion), ref.Kind)[ref.Name] = project(ref.Kind, obj)
}

func child(m map[string]any, key string) map[string]any {
	c, ok := m[key].(map[string]any)
	if !ok {
		c = map[string]any{}
		m[key] = c
	}
	return c
}

// project trims obj to what cross-object rules read: what its manifest
// says (AsManifest), and less for Secrets, Pods and workloads.
func project(kind string, obj map[string]any) map[string]any {
	obj = AsManifest(obj)
	switch {
	case kind == "Secret":
		return redactValues(obj)
	case kind == "Pod":
		out := map[string]any{"apiVersion": obj["apiVersion"], "kind": kind, "metadata": obj["metadata"]}
		spec, _ := obj["spec"].(map[string]any)
		if hostNetwork(spec) {
			out["spec"] = map[string]any{"hostNetwork": true}
		}
		return out
	case workloadKindSet[kind]:
		spec, _ := obj["spec"].(map[string]any)
		if kind == "CronJob" {
			jt, _ := spec["jobTemplate"].(map[string]any)
			spec, _ = jt["spec"].(map[string]any)
		}
		tmpl, _ := spec["template"].(map[string]any)
		template := map[string]any{"metadata": tmpl["metadata"]}
		if podSpec, _ := tmpl["spec"].(map[string]any); hostNetwork(podSpec) {
			template["spec"] = map[string]any{"hostNetwork": true}
		}
		return map[string]any{
			"apiVersion": obj["apiVersion"], "kind": kind, "metadata": obj["metadata"],
			"spec": map[string]any{"selector": spec["selector"], "template": template},
		}
	}
	return obj
}

// hostNetwork reports whether a pod spec puts its pods in the node's
// network namespace, out of NetworkPolicy's reach.
func hostNetwork(podSpec map[string]any) bool {
	on, _ := podSpec["hostNetwork"].(bool)
	return on
}

func redactValues(obj map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range obj {
		out[k] = v
	}
	for _, field := range []string{"data", "stringData"} {
		if values, ok := obj[field].(map[string]any); ok {
			keys := map[string]any{}
			for k := range values {
				keys[k] = ""
			}
			out[field] = keys
		}
	}
	return out
}
