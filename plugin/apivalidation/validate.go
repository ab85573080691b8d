// Package apivalidation checks manifests as the API server of a chosen
// Kubernetes release accepts them on create, with Kubernetes' own code
// (k8s.io/kubernetes v1.37.2): whether that release serves the apiVersion
// and kind (k8s.io/api's prerelease-lifecycle data), strict decoding into
// the versioned type, the API server's defaulting and conversion to the
// internal type (legacyscheme with every API group installed), and the
// create strategy of the kind's REST storage (PrepareForCreate, Validate,
// object metadata and declarative validation: rest.ValidateCreate).
//
// Lint alone uses it; the webhook and verify see objects the API server has
// already decoded and validated, so they do not link it.
package apivalidation

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/rest"
	"k8s.io/kubernetes/pkg/api/legacyscheme"
	api "k8s.io/kubernetes/pkg/apis/core"
)

// Validator checks objects against one Kubernetes release. It is safe for
// concurrent use.
type Validator struct {
	version Version
}

// New returns a Validator for release v (see ParseVersion).
func New(v Version) *Validator { return &Validator{version: v} }

// Version is the release the Validator checks against.
func (v *Validator) Version() Version { return v.version }

// Error is one problem, in the API server's words: Path holds the field's
// map keys (strings) and list indices (ints) for locating it in the source;
// Message is what the API server would say, e.g.
// `spec.template.spec.containers[0].ports[0].containerPort: Invalid value: 99999: must be between 1 and 65535, inclusive`.
// Values of Secrets and of environment variables are never included.
type Error struct {
	Path    []any
	Message string
}

// Result is the verdict on one object.
type Result struct {
	// API is the verdict on the apiVersion and kind; when it is not served,
	// nothing else is checked.
	API APIStatus
	// Errors are what decoding and create validation reject.
	Errors []Error
}

// Validate checks obj (a decoded manifest: maps, slices, strings, int64,
// float64, bools) as a create request; namespace is where kubectl would
// send an object that names none (its -n). Kinds that are not Kubernetes'
// own get only the API verdict.
func (v *Validator) Validate(obj map[string]any, namespace string) (res Result) {
	apiVersion, _ := obj["apiVersion"].(string)
	kind, _ := obj["kind"].(string)
	res.API = CheckAPI(apiVersion, kind, v.version)
	if !res.API.Served || !res.API.Known {
		return res
	}
	gv, _ := schema.ParseGroupVersion(apiVersion)
	gvk := gv.WithKind(kind)
	redact := secretKind(gvk)
	versioned, decodeErrs := decode(obj, gvk)
	rejected := false
	for _, e := range decodeErrs {
		msg := e.message
		if e.err != nil {
			msg = e.fieldError(redact || underEnv(e.path)).Error()
			rejected = true
		}
		res.Errors = append(res.Errors, Error{Path: e.path, Message: msg})
	}
	if versioned == nil || rejected {
		// The API server validates only what it could decode; validating
		// the object without the rejected values would report their
		// consequences (a dropped port defaulting targetPort to 0).
		return res
	}
	for _, fe := range createErrors(versioned, gvk, namespace) {
		path := ParsePath(fe.Field)
		if redact || underEnv(path) || !printable(fe.BadValue) {
			fe.BadValue = field.OmitValueType{}
		}
		res.Errors = append(res.Errors, Error{Path: path, Message: fe.Error()})
	}
	res.Errors = dedupe(res.Errors)
	return res
}

// createErrors defaults and converts the versioned object as the API
// server does, then runs the kind's create strategy.
func createErrors(versioned runtime.Object, gvk schema.GroupVersionKind, namespace string) (errs field.ErrorList) {
	defer func() {
		if r := recover(); r != nil {
			errs = field.ErrorList{field.InternalError(nil, fmt.Errorf("validation of %s failed: %v", gvk.Kind, r))}
		}
	}()
	legacyscheme.Scheme.Default(versioned)
	internal, err := legacyscheme.Scheme.ConvertToVersion(versioned, schema.GroupVersion{Group: gvk.Group, Version: runtime.APIVersionInternal})
	if err != nil {
		return field.ErrorList{field.InternalError(nil, fmt.Errorf("convert %s: %w", gvk.Kind, err))}
	}
	strategy := strategyFor(gvk.GroupKind(), internal)
	if strategy == nil {
		return nil
	}
	objMeta, err := meta.Accessor(internal)
	if err != nil {
		return nil
	}
	switch {
	case !strategy.NamespaceScoped():
		namespace = ""
	case objMeta.GetNamespace() != "":
		namespace = objMeta.GetNamespace() // kubectl sends the object to its own namespace
	}
	if err := rest.EnsureObjectNamespaceMatchesRequestNamespace(namespace, objMeta); err != nil {
		return field.ErrorList{field.Invalid(field.NewPath("metadata", "namespace"), objMeta.GetNamespace(), err.Error())}
	}
	rest.FillObjectMetaSystemFields(objMeta) // uid and creationTimestamp, as the REST store sets them first
	if objMeta.GetName() == "" && objMeta.GetGenerateName() != "" {
		objMeta.SetName(strategy.GenerateName(objMeta.GetGenerateName()))
	}
	ctx := genericapirequest.WithNamespace(context.Background(), namespace)
	ctx = genericapirequest.WithRequestInfo(ctx, &genericapirequest.RequestInfo{
		IsResourceRequest: true, Verb: "create", APIGroup: gvk.Group, APIVersion: gvk.Version,
		Namespace: namespace, Resource: strings.ToLower(gvk.Kind) + "s", Name: objMeta.GetName(),
	})
	if svc, ok := internal.(*api.Service); ok {
		allocateService(svc)
	}
	strategy.PrepareForCreate(ctx, internal)
	return rest.ValidateCreate(ctx, internal, strategy)
}

// strategyFor finds the create strategy by group and kind, or by the other
// groups the internal type is registered in (an extensions/v1beta1
// Deployment is an apps Deployment inside).
func strategyFor(gk schema.GroupKind, internal runtime.Object) rest.RESTCreateStrategy {
	if s, ok := createStrategies[gk]; ok {
		return s
	}
	kinds, _, err := legacyscheme.Scheme.ObjectKinds(internal)
	if err != nil {
		return nil
	}
	for _, k := range kinds {
		if s, ok := createStrategies[k.GroupKind()]; ok {
			return s
		}
	}
	return nil
}

// printable: field.Error prints values as JSON, or else with Go's %#v,
// which would show Go type names (internal types refuse JSON).
func printable(v any) bool {
	if _, err := json.Marshal(v); err != nil {
		return false
	}
	return true
}

func secretKind(gvk schema.GroupVersionKind) bool {
	return gvk.Group == "" && gvk.Kind == "Secret"
}

// underEnv: environment variable values may be credentials.
func underEnv(path []any) bool {
	for _, p := range path {
		if p == "env" {
			return true
		}
	}
	return false
}

func dedupe(errs []Error) []Error {
	seen := map[string]bool{}
	out := errs[:0]
	for _, e := range errs {
		if !seen[e.Message] {
			seen[e.Message] = true
			out = append(out, e)
		}
	}
	return out
}
