package webhook

import (
	"context"
	"errors"
	"fmt"

	admissionv1 "k8s.io/api/admission/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	authorizationv1 "k8s.io/api/authorization/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"

	"github.com/feastflow/kubectl-feastflow/policies"
)

// The virtual resource RBAC grants exemptions on: a user may set the
// exemption annotation on objects of a namespace when they may
// `use` exemptions.policy.feastflow.io there. The shipped ClusterRole
// feastflow-exemptions grants it.
const (
	ExemptionGroup    = "policy.feastflow.io"
	ExemptionResource = "exemptions"
	ExemptionVerb     = "use"
)

// ExemptionAuthorizer decides whether a user may exempt objects in a namespace.
type ExemptionAuthorizer interface {
	MayExempt(ctx context.Context, user authenticationv1.UserInfo, namespace string) (bool, error)
}

// SubjectAccessReviewer is the ExemptionAuthorizer of a real cluster: it
// asks the API server with a SubjectAccessReview, so RBAC (or any other
// authorizer the cluster runs) decides.
type SubjectAccessReviewer struct {
	Client client.Client
}

// MayExempt implements ExemptionAuthorizer.
func (r SubjectAccessReviewer) MayExempt(ctx context.Context, user authenticationv1.UserInfo, namespace string) (bool, error) {
	extra := map[string]authorizationv1.ExtraValue{}
	for k, v := range user.Extra {
		extra[k] = authorizationv1.ExtraValue(v)
	}
	sar := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
		User: user.Username, Groups: user.Groups, UID: user.UID, Extra: extra,
		ResourceAttributes: &authorizationv1.ResourceAttributes{
			Namespace: namespace, Verb: ExemptionVerb, Group: ExemptionGroup, Resource: ExemptionResource,
		},
	}}
	if err := r.Client.Create(ctx, sar); err != nil {
		return false, fmt.Errorf("subject access review: %w", err)
	}
	return sar.Status.Allowed, nil
}

// errBadOldObject marks an UPDATE whose old object cannot be decoded.
var errBadOldObject = errors.New("old object")

// checkExemption checks that whoever sets or changes an exemption may. An
// UPDATE that leaves the exemption annotations as they were is not
// re-checked, so controllers and other users can keep updating an
// exempted object; the old object is decoded only to see that. It returns
// the denial, whether it denies, and an error when the check itself failed
// (wrapping errBadOldObject when the old object is malformed).
func (v *Validator) checkExemption(ctx context.Context, req admission.Request, obj map[string]any, ref policies.ObjectRef) (admission.Response, bool, error) {
	exemption := exemptionAnnotations(obj)
	if exemption == nil {
		return admission.Response{}, false, nil
	}
	if req.Operation == admissionv1.Update && len(req.OldObject.Raw) > 0 {
		old, err := decodeObject(req.OldObject.Raw, req.Namespace)
		if err != nil {
			return admission.Response{}, false, fmt.Errorf("%w: %w", errBadOldObject, err)
		}
		if equalAnnotations(exemption, exemptionAnnotations(old)) {
			return admission.Response{}, false, nil
		}
	}
	allowed := false
	if v.Exemptions != nil {
		var err error
		if allowed, err = v.Exemptions.MayExempt(ctx, req.UserInfo, ref.Namespace); err != nil {
			return admission.Response{}, false, fmt.Errorf("check exemption of %s: %w", ref, err)
		}
	}
	if allowed {
		return admission.Response{}, false, nil
	}
	v.Metrics.observeFindings([]policies.Finding{{RuleID: "exemption-unauthorized", Severity: policies.SeverityDeny}})
	return admission.Denied(fmt.Sprintf(
		"%s sets annotation %s=%q, but user %q may not exempt objects in namespace %q: "+
			"that needs RBAC verb %q on resource %q in API group %q (ClusterRole feastflow-exemptions)",
		describe(ref), policies.ExemptAnnotation, exemption[policies.ExemptAnnotation], req.UserInfo.Username,
		ref.Namespace, ExemptionVerb, ExemptionResource, ExemptionGroup)), true, nil
}

// exemptionAnnotations returns the exemption annotations of obj, or nil
// when it has no exemption annotation.
func exemptionAnnotations(obj map[string]any) map[string]string {
	meta, _ := obj["metadata"].(map[string]any)
	ann, _ := meta["annotations"].(map[string]any)
	if _, ok := ann[policies.ExemptAnnotation]; !ok {
		return nil
	}
	out := map[string]string{}
	for _, key := range []string{policies.ExemptAnnotation, policies.ExemptReasonAnnotation, policies.ExemptUntilAnnotation} {
		if s, ok := ann[key].(string); ok {
			out[key] = s
		}
	}
	return out
}

func equalAnnotations(a, b map[string]string) bool {
	if a == nil || b == nil || len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			return false
		}
	}
	return true
}
