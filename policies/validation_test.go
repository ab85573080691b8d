package policies

import (
	"github.com/feastflow/kubectl-feastflow/plugin/apivalidation"
)

// apiServerCheck is lint's API server check (plugin/apicheck does the same
// adaptation; it imports this package, so the tests here cannot use it).
func apiServerCheck() ValidateFunc {
	val := apivalidation.New(apivalidation.Built)
	return func(obj map[string]any, namespace string) Validation {
		res := val.Validate(obj, namespace)
		var out Validation
		if res.API.Message != "" {
			sev := SeverityDeny
			if res.API.Served {
				sev = SeverityWarn
			}
			out.API = []ValidationError{{Path: []any{"apiVersion"}, Message: res.API.Message, Severity: sev}}
		}
		for _, e := range res.Errors {
			out.Schema = append(out.Schema, ValidationError{Path: e.Path, Message: e.Message})
		}
		return out
	}
}
