package webhook

import (
	"strings"

	admissionv1 "k8s.io/api/admission/v1"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"
)

// builtinControllers maps "<kind>/<controller owner kind>" to the service
// account of the kube-controller-manager controller that creates such
// objects from a template the webhook already checked on the owner.
var builtinControllers = map[string]string{
	"Pod/ReplicaSet":            "replicaset-controller",
	"Pod/StatefulSet":           "statefulset-controller",
	"Pod/DaemonSet":             "daemon-set-controller",
	"Pod/Job":                   "job-controller",
	"Pod/ReplicationController": "replication-controller",
	"ReplicaSet/Deployment":     "deployment-controller",
	"Job/CronJob":               "cronjob-controller",
}

// controllerManagerUser is kube-controller-manager's own identity, used by
// all its controllers when it runs with --use-service-account-credentials=false.
const controllerManagerUser = "system:kube-controller-manager"

// createdByController reports whether obj was written by the built-in
// controller that owns it, from the owner's already-checked template. An
// ownerReference alone proves nothing (any user can write one): the
// requesting user must be that controller.
func createdByController(req admission.Request, obj map[string]any) (string, bool) {
	kind, _ := obj["kind"].(string)
	owner := controllerOwnerKind(obj)
	sa, ok := builtinControllers[kind+"/"+owner]
	if !ok {
		return "", false
	}
	user := req.UserInfo.Username
	if user == controllerManagerUser || user == "system:serviceaccount:kube-system:"+sa {
		return strings.ToLower(owner), true
	}
	return "", false
}

// controllerOwnerKind is the kind of obj's controller ownerReference, if any.
func controllerOwnerKind(obj map[string]any) string {
	meta, _ := obj["metadata"].(map[string]any)
	refs, _ := meta["ownerReferences"].([]any)
	for _, r := range refs {
		ref, _ := r.(map[string]any)
		if controller, _ := ref["controller"].(bool); controller {
			kind, _ := ref["kind"].(string)
			return kind
		}
	}
	return ""
}

// kubeSystemServiceAccountPrefix is the user name prefix of the built-in
// controllers when kube-controller-manager runs with
// --use-service-account-credentials (the default of kubeadm and most
// distributions).
const kubeSystemServiceAccountPrefix = "system:serviceaccount:kube-system:"

// isControllerUpdate reports an UPDATE by a built-in controller (the
// garbage collector adding an ownerReference or a finalizer, a controller
// bumping an annotation). Such updates are audited, never denied: they do
// not change what runs, and denying them would wedge controllers on
// objects that predate the webhook or carry a lapsed exemption.
func isControllerUpdate(req admission.Request) bool {
	user := req.UserInfo.Username
	return req.Operation == admissionv1.Update &&
		(user == controllerManagerUser || strings.HasPrefix(user, kubeSystemServiceAccountPrefix))
}
