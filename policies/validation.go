package policies

// ValidateFunc checks one object as the API server of the target
// Kubernetes release would on create, in namespace (the object's
// effective namespace). Lint sets one (plugin/apicheck, which links
// Kubernetes' own decoding and validation); the webhook and verify see
// objects the API server has already accepted and set none.
type ValidateFunc func(obj map[string]any, namespace string) Validation

// Validation is what the API server would say about one object.
type Validation struct {
	// API: the apiVersion and kind are not served (deny) or deprecated
	// (warn); read by the api-version-served rule as input.api_errors.
	API []ValidationError
	// Schema: decoding and validation errors (unknown fields, wrong
	// types, values out of range, ...); read by the schema-strict rule as
	// input.schema_errors.
	Schema []ValidationError
}

// ValidationError is one message at one field. Path holds map keys
// (strings) and list indices (ints); Severity is deny or warn.
type ValidationError struct {
	Path     []any
	Message  string
	Severity Severity
}

// validationInput renders errors as the Rego input's
// [{"path": [...], "message": "...", "severity": "..."}].
func validationInput(errs []ValidationError) []any {
	out := make([]any, 0, len(errs))
	for _, e := range errs {
		path := make([]any, 0, len(e.Path))
		path = append(path, e.Path...)
		sev := e.Severity
		if sev == "" {
			sev = SeverityDeny
		}
		out = append(out, map[string]any{"path": path, "message": e.Message, "severity": string(sev)})
	}
	return out
}
