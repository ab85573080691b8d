// Package apicheck gives the engine the API server's verdict on each
// manifest (policies.ValidateFunc) from plugin/apivalidation, which links
// Kubernetes' own decoding, defaulting and validation. Only the
// kubectl-feastflow binary links it (lint and apply), never the webhook:
// the API server has validated what the webhook sees.
package apicheck

import (
	"github.com/feastflow/kubectl-feastflow/plugin/apivalidation"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// New returns the check for Kubernetes release version ("1.37", "v1.37"
// or "1.37.2"), or an error naming a malformed version.
func New(version string) (policies.ValidateFunc, error) {
	v, err := apivalidation.ParseVersion(version)
	if err != nil {
		return nil, err
	}
	return Func(apivalidation.New(v)), nil
}

// Func adapts a Validator: an apiVersion/kind the release does not serve
// is a deny API error, one it has deprecated a warn API error (both at
// apiVersion); decoding and validation errors are deny schema errors.
func Func(val *apivalidation.Validator) policies.ValidateFunc {
	return func(obj map[string]any, namespace string) policies.Validation {
		res := val.Validate(obj, namespace)
		var out policies.Validation
		if res.API.Message != "" {
			sev := policies.SeverityDeny
			if res.API.Served {
				sev = policies.SeverityWarn
			}
			out.API = []policies.ValidationError{{Path: []any{"apiVersion"}, Message: res.API.Message, Severity: sev}}
		}
		for _, e := range res.Errors {
			out.Schema = append(out.Schema, policies.ValidationError{Path: e.Path, Message: e.Message, Severity: policies.SeverityDeny})
		}
		return out
	}
}
