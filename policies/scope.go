package policies

// clusterScopedKinds are the built-in kinds without a namespace; any other
// kind (CRDs included) is treated as namespaced.
var clusterScopedKinds = map[string]bool{
	"Namespace": true, "Node": true, "PersistentVolume": true,
	"ClusterRole": true, "ClusterRoleBinding": true, "StorageClass": true,
	"CustomResourceDefinition": true, "APIService": true, "PriorityClass": true,
	"ValidatingWebhookConfiguration": true, "MutatingWebhookConfiguration": true,
	"ValidatingAdmissionPolicy": true, "ValidatingAdmissionPolicyBinding": true,
	"IngressClass": true, "RuntimeClass": true, "CSIDriver": true, "CSINode": true,
	"VolumeAttachment": true, "CertificateSigningRequest": true,
	"FlowSchema": true, "PriorityLevelConfiguration": true,
}

// IsClusterScoped reports whether kind is a built-in cluster-scoped kind.
func IsClusterScoped(kind string) bool { return clusterScopedKinds[kind] }
