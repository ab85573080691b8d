package policies

// LastAppliedAnnotation is where `kubectl apply` (client-side) keeps the
// configuration it last applied, a copy of the whole manifest.
const LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration"

// serverSetMetadata are the metadata fields the API server sets and no
// manifest declares: ObjectMeta's read-only fields (uid, resourceVersion,
// generation, creationTimestamp, deletionTimestamp,
// deletionGracePeriodSeconds, selfLink) and managedFields, the
// server-side-apply bookkeeping `kubectl get` hides by default
// (--show-managed-fields=false).
var serverSetMetadata = map[string]bool{
	"uid": true, "resourceVersion": true, "generation": true,
	"creationTimestamp": true, "deletionTimestamp": true, "deletionGracePeriodSeconds": true,
	"selfLink": true, "managedFields": true,
}

// AsManifest returns a live object (from a client or an informer) as a
// manifest would declare it: without status, without the metadata the API
// server sets (serverSetMetadata) and without the last-applied annotation
// (an annotations map left empty by it is dropped). Defaulted spec fields
// stay: the API server's defaulting is part of what rules judge. obj is
// not modified; maps below metadata are shared with it.
func AsManifest(obj map[string]any) map[string]any {
	out := make(map[string]any, len(obj))
	for k, v := range obj {
		if k != "status" {
			out[k] = v
		}
	}
	meta, ok := obj["metadata"].(map[string]any)
	if !ok {
		return out
	}
	trimmed := make(map[string]any, len(meta))
	for k, v := range meta {
		if !serverSetMetadata[k] {
			trimmed[k] = v
		}
	}
	if ann, ok := meta["annotations"].(map[string]any); ok {
		if _, applied := ann[LastAppliedAnnotation]; applied {
			kept := make(map[string]any, len(ann))
			for k, v := range ann {
				if k != LastAppliedAnnotation {
					kept[k] = v
				}
			}
			if len(kept) == 0 {
				delete(trimmed, "annotations")
			} else {
				trimmed["annotations"] = kept
			}
		}
	}
	out["metadata"] = trimmed
	return out
}
